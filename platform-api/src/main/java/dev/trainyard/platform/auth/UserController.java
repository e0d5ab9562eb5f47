package dev.trainyard.platform.auth;

import dev.trainyard.platform.auth.AuthRecords.CreateUserRequest;
import dev.trainyard.platform.auth.AuthRecords.CreatedUserResponse;
import dev.trainyard.platform.auth.AuthRecords.MeResponse;
import dev.trainyard.platform.web.Statuses;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import java.net.URI;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/users")
public class UserController {

    private final UserService users;

    public UserController(UserService users) {
        this.users = users;
    }

    /** Who this token belongs to. */
    @Operation(summary = "Who this token belongs to")
    @GetMapping("/me")
    public MeResponse me(Caller caller) {
        return new MeResponse(users.get(caller.userId()), caller.scope(), caller.tokenId());
    }

    /** Creates a user (site admins, with an admin token); the response holds the user's first token. */
    @Operation(summary = "Create a user (site admins); the response holds the user's first token")
    @Statuses(success = 201, problems = 409)
    @PostMapping
    @RequiresScope(Scope.ADMIN)
    public ResponseEntity<CreatedUserResponse> create(Caller caller, @Valid @RequestBody CreateUserRequest request) {
        CreatedUserResponse created = users.create(caller, request);
        return ResponseEntity.created(URI.create("/api/v1/users/" + created.user().id())).body(created);
    }
}
