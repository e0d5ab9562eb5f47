package dev.trainyard.platform.auth;

import dev.trainyard.platform.auth.AuthRecords.CreateUserRequest;
import dev.trainyard.platform.auth.AuthRecords.CreatedUserResponse;
import dev.trainyard.platform.auth.AuthRecords.UserResponse;
import dev.trainyard.platform.web.ApiException;
import dev.trainyard.platform.web.Times;
import java.time.Duration;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
public class UserService {

    private final UserRepository users;
    private final TokenService tokens;

    public UserService(UserRepository users, TokenService tokens) {
        this.users = users;
        this.tokens = tokens;
    }

    /** Site admins create users; the answer carries the new user's first token (write scope, 90 days). */
    @Transactional
    public CreatedUserResponse create(Caller caller, CreateUserRequest request) {
        if (!caller.siteAdmin()) {
            throw ApiException.forbidden("only site admins create users");
        }
        if (users.findByUsername(request.username()).isPresent()) {
            throw ApiException.conflict("user " + request.username() + " already exists");
        }
        User user = users.save(new User(request.username(), request.displayName(),
                Boolean.TRUE.equals(request.siteAdmin()), Times.now()));
        var token = tokens.issue(user.getId(), "initial", Scope.WRITE,
                Times.now().plus(Duration.ofDays(TokenService.DEFAULT_DAYS)));
        return new CreatedUserResponse(UserResponse.of(user), token);
    }

    @Transactional(readOnly = true)
    public UserResponse get(long userId) {
        return users.findById(userId).map(UserResponse::of)
                .orElseThrow(() -> ApiException.notFound("no user " + userId));
    }
}
