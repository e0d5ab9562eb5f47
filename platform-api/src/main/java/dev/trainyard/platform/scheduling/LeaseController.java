package dev.trainyard.platform.scheduling;

import dev.trainyard.platform.scheduling.SchedulingRecords.HeartbeatRequest;
import dev.trainyard.platform.scheduling.SchedulingRecords.HeartbeatResponse;
import dev.trainyard.platform.scheduling.SchedulingRecords.LeaseRequest;
import dev.trainyard.platform.scheduling.SchedulingRecords.LeaseResponse;
import dev.trainyard.platform.scheduling.SchedulingRecords.RunStateResponse;
import dev.trainyard.platform.scheduling.SchedulingRecords.StatusReport;
import dev.trainyard.platform.web.Statuses;
import dev.trainyard.platform.workers.WorkerPaths;
import dev.trainyard.platform.workers.WorkerPrincipal;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** A registered worker takes runs, keeps their leases alive and reports how they end (worker token). */
@RestController
@RequestMapping(WorkerPaths.PREFIX + "/{workerId}")
public class LeaseController {

    private final LeaseService leases;

    public LeaseController(LeaseService leases) {
        this.leases = leases;
    }

    @Operation(summary = "Lease runs (worker token)", description = "Claims up to maxRuns queued runs that fit the "
            + "worker's free CPUs, memory and GPUs (all a run asks for, or it is not given) and carry only labels the "
            + "worker has, by priority then submission. With waitSeconds (up to 30) it waits for one when none is "
            + "ready, and answers with an empty list if none came. Each run comes with its attempt number, which "
            + "every later write about it must carry.")
    @Statuses(problems = 409)
    @PostMapping("/lease")
    public LeaseResponse lease(WorkerPrincipal principal, @PathVariable String workerId,
            @Valid @RequestBody(required = false) LeaseRequest request) {
        return leases.lease(principal, workerId, request);
    }

    @Operation(summary = "Heartbeat (worker token)", description = "Lists the run attempts the worker is running; "
            + "renews their leases and answers which to stop: CANCELLED (report CANCELLED once stopped), LEASE_LOST "
            + "(the run went to another attempt: drop its results), FINISHED or NOT_FOUND.")
    @Statuses(problems = 409)
    @PostMapping("/heartbeat")
    public HeartbeatResponse heartbeat(WorkerPrincipal principal, @PathVariable String workerId,
            @Valid @RequestBody(required = false) HeartbeatRequest request) {
        return leases.heartbeat(principal, workerId, request);
    }

    @Operation(summary = "Report a run attempt's status (worker token)", description = "RUNNING, SUCCEEDED, FAILED "
            + "(re-queued with back-off while attempts are left, unless retryable is false) or CANCELLED. 409 when "
            + "the attempt is not the run's live attempt any more (its lease was lost, or it was cancelled).")
    @Statuses(problems = 409)
    @PostMapping("/runs/{runId}/status")
    public RunStateResponse report(WorkerPrincipal principal, @PathVariable String workerId,
            @PathVariable long runId, @Valid @RequestBody StatusReport report) {
        return leases.report(principal, workerId, runId, report);
    }
}
