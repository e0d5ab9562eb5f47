package dev.trainyard.platform.metrics;

import dev.trainyard.platform.metrics.MetricRecords.IngestResponse;
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

/** Metric points from the worker running a run, with its worker token. */
@RestController
@RequestMapping(WorkerPaths.PREFIX + "/{workerId}/runs/{runId}")
public class WorkerMetricController {

    private final MetricService metrics;

    public WorkerMetricController(MetricService metrics) {
        this.metrics = metrics;
    }

    @Operation(summary = "Add metric points to a run the worker holds (worker token)", description = "The body "
            + "and answer are those of POST /api/v1/projects/{projectId}/runs/{runId}/metrics. X-Run-Attempt names "
            + "the attempt the lease gave: the write is refused with 409 unless it is the run's live attempt and "
            + "this worker holds it.")
    @Parameter(name = LeaseGuard.ATTEMPT_HEADER, in = ParameterIn.HEADER, required = true)
    @PostMapping("/metrics")
    public IngestResponse ingest(WorkerPrincipal principal, @PathVariable String workerId, @PathVariable long runId,
            @RequestHeader(LeaseGuard.ATTEMPT_HEADER) int attempt, @RequestBody MetricBatch batch) {
        return metrics.ingest(principal, workerId, runId, attempt, batch);
    }
}
