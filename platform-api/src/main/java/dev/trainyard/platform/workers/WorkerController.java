package dev.trainyard.platform.workers;

import dev.trainyard.platform.web.ItemList;
import dev.trainyard.platform.web.Statuses;
import dev.trainyard.platform.workers.WorkerRecords.RegisterWorkerRequest;
import dev.trainyard.platform.workers.WorkerRecords.WorkerResponse;
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

/**
 * Workers register, describe themselves and deregister here, with a worker token. Leases, heartbeats and status
 * reports are in {@link dev.trainyard.platform.scheduling.LeaseController}.
 */
@RestController
@RequestMapping(WorkerPaths.PREFIX)
public class WorkerController {

    private final WorkerService workers;

    public WorkerController(WorkerService workers) {
        this.workers = workers;
    }

    @Operation(summary = "Register a worker (worker token)", description = "201 with Location; each registration "
            + "gets a new worker id. The answer says how long leases last and how often to send heartbeats.")
    @Statuses(success = 201, problems = 409)
    @PostMapping
    public ResponseEntity<WorkerResponse> register(WorkerPrincipal principal,
            @Valid @RequestBody RegisterWorkerRequest request) {
        WorkerResponse worker = workers.register(principal, request);
        return ResponseEntity.created(URI.create(WorkerPaths.PREFIX + "/" + worker.id())).body(worker);
    }

    @Operation(summary = "List the workers registered with this worker token (worker token)")
    @GetMapping
    public ItemList<WorkerResponse> list(WorkerPrincipal principal) {
        return workers.list(principal);
    }

    @Operation(summary = "A worker, its free resources and what its attempts hold (worker token)")
    @GetMapping("/{workerId}")
    public WorkerResponse get(WorkerPrincipal principal, @PathVariable String workerId) {
        return workers.get(principal, workerId);
    }

    @Operation(summary = "Deregister a worker (worker token)", description = "Runs it still holds go back to the "
            + "queue at once. 204, also when it was already deregistered.")
    @Statuses(success = 204, problems = 409)
    @DeleteMapping("/{workerId}")
    public ResponseEntity<Void> deregister(WorkerPrincipal principal, @PathVariable String workerId) {
        workers.deregister(principal, workerId);
        return ResponseEntity.noContent().build();
    }
}
