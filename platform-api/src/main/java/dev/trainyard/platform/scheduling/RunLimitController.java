package dev.trainyard.platform.scheduling;

import dev.trainyard.platform.auth.Caller;
import dev.trainyard.platform.scheduling.SchedulingRecords.RunLimitRequest;
import dev.trainyard.platform.scheduling.SchedulingRecords.RunLimitResponse;
import dev.trainyard.platform.web.Statuses;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** How many of a project's runs may run at once. */
@RestController
@RequestMapping("/api/v1/projects/{projectId}/run-limit")
public class RunLimitController {

    private final RunLimitService limits;

    public RunLimitController(RunLimitService limits) {
        this.limits = limits;
    }

    @Operation(summary = "The project's limit on concurrent runs (null: none) and how many run now")
    @GetMapping
    public RunLimitResponse get(Caller caller, @PathVariable long projectId) {
        return limits.get(caller, projectId);
    }

    @Operation(summary = "Set the limit on concurrent runs (project admin)", description = "The scheduler starts "
            + "no run of the project while maxRunning of its runs are RUNNING; 0 pauses the project.")
    @PutMapping
    public RunLimitResponse set(Caller caller, @PathVariable long projectId,
            @Valid @RequestBody RunLimitRequest request) {
        return limits.set(caller, projectId, request.maxRunning());
    }

    @Operation(summary = "Remove the limit (project admin)")
    @Statuses(success = 204)
    @DeleteMapping
    public ResponseEntity<Void> remove(Caller caller, @PathVariable long projectId) {
        limits.remove(caller, projectId);
        return ResponseEntity.noContent().build();
    }
}
