package dev.trainyard.platform.workers;

import dev.trainyard.platform.auth.Caller;
import dev.trainyard.platform.auth.RequiresScope;
import dev.trainyard.platform.auth.Scope;
import dev.trainyard.platform.web.ItemList;
import dev.trainyard.platform.web.Statuses;
import dev.trainyard.platform.workers.WorkerRecords.CreateWorkerTokenRequest;
import dev.trainyard.platform.workers.WorkerRecords.CreatedWorkerTokenResponse;
import dev.trainyard.platform.workers.WorkerRecords.WorkerTokenResponse;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import java.net.URI;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Site admins (with an admin-scope user token) create, list and revoke the tokens workers authenticate with. */
@RestController
@RequestMapping("/api/v1/worker-tokens")
public class WorkerTokenController {

    private final WorkerTokenService tokens;

    public WorkerTokenController(WorkerTokenService tokens) {
        this.tokens = tokens;
    }

    @Operation(summary = "Create a worker token (site admin)", description = "The response is the only place the "
            + "token appears. It may call the /api/v1/workers endpoints and nothing else.")
    @Statuses(success = 201)
    @PostMapping
    @RequiresScope(Scope.ADMIN)
    public ResponseEntity<CreatedWorkerTokenResponse> create(Caller caller,
            @Valid @RequestBody CreateWorkerTokenRequest request) {
        CreatedWorkerTokenResponse created = tokens.create(caller, request.name(), request.expiresInDays());
        return ResponseEntity.created(URI.create("/api/v1/worker-tokens/" + created.info().id())).body(created);
    }

    @Operation(summary = "List worker tokens (site admin)")
    @GetMapping
    @RequiresScope(Scope.ADMIN)
    public ItemList<WorkerTokenResponse> list(Caller caller) {
        return ItemList.of(tokens.list(caller));
    }

    @Operation(summary = "Revoke a worker token (site admin)", description = "Its workers get 401 from their next "
            + "call; the runs they held go back to the queue when their leases run out.")
    @DeleteMapping("/{tokenId}")
    @RequiresScope(Scope.ADMIN)
    public WorkerTokenResponse revoke(Caller caller, @PathVariable long tokenId) {
        return tokens.revoke(caller, tokenId);
    }
}
