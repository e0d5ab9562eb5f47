package dev.trainyard.platform.logs;

import dev.trainyard.platform.logs.LogRecords.AppendLogsRequest;
import dev.trainyard.platform.logs.LogRecords.AppendLogsResponse;
import dev.trainyard.platform.scheduling.LeaseGuard;
import dev.trainyard.platform.workers.WorkerPaths;
import dev.trainyard.platform.workers.WorkerPrincipal;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Log lines from the worker running a run, with its worker token. */
@RestController
@RequestMapping(WorkerPaths.PREFIX + "/{workerId}/runs/{runId}")
public class WorkerLogController {

    private final LogService logs;

    public WorkerLogController(LogService logs) {
        this.logs = logs;
    }

    @Operation(summary = "Append lines to the log of a run the worker holds (worker token)", description = "The "
            + "body and answer are those of POST /api/v1/projects/{projectId}/runs/{runId}/logs; the lines go to "
            + "the attempt in X-Run-Attempt, refused with 409 unless it is the run's live attempt and this worker "
            + "holds it.")
    @Parameter(name = LeaseGuard.ATTEMPT_HEADER, in = ParameterIn.HEADER, required = true)
    @PostMapping("/logs")
    public AppendLogsResponse append(WorkerPrincipal principal, @PathVariable String workerId,
            @PathVariable long runId, @RequestHeader(LeaseGuard.ATTEMPT_HEADER) int attempt,
            @RequestBody AppendLogsRequest request) {
        return logs.append(principal, workerId, runId, attempt, request);
    }
}
