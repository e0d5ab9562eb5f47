package dev.trainyard.platform.metrics;

import dev.trainyard.platform.auth.Caller;
import dev.trainyard.platform.metrics.MetricRecords.IngestResponse;
import dev.trainyard.platform.metrics.MetricRecords.KeySummary;
import dev.trainyard.platform.metrics.MetricRecords.RunSummaries;
import dev.trainyard.platform.metrics.MetricRecords.SeriesQueryResponse;
import dev.trainyard.platform.scheduling.LeaseGuard;
import dev.trainyard.platform.web.ItemList;
import dev.trainyard.platform.web.KeySearch;
import dev.trainyard.platform.web.Statuses;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Locale;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/projects/{projectId}")
public class MetricController {

    private final MetricService metrics;

    public MetricController(MetricService metrics) {
        this.metrics = metrics;
    }

    @Operation(summary = "Add metric points to a run", description = "Up to 10,000 points per request: "
            + "{\"points\": [{\"key\": \"train/loss\", \"step\": 100, \"value\": 0.25, \"time\": \"...\"}]}. value "
            + "is a number or \"NaN\", \"Infinity\", \"-Infinity\"; time (optional, default now) RFC 3339 text or "
            + "epoch seconds. Idempotent: a step already stored for a key keeps its first value, so a retried "
            + "batch stores nothing twice (the answer counts duplicates). More than 10,000 points is 413; any bad "
            + "point makes the request 400, listing each one by JSON pointer, and stores nothing. A worker adds "
            + "X-Run-Attempt (and X-Worker-Id): the write is then refused with 409 unless that attempt holds the run.")
    @Parameter(name = LeaseGuard.ATTEMPT_HEADER, in = ParameterIn.HEADER, description = "a worker's run attempt")
    @Parameter(name = LeaseGuard.WORKER_HEADER, in = ParameterIn.HEADER)
    @Statuses(problems = 409)
    @PostMapping("/runs/{runId}/metrics")
    public IngestResponse ingest(Caller caller, @PathVariable long projectId, @PathVariable long runId,
            @RequestHeader(name = LeaseGuard.ATTEMPT_HEADER, required = false) Integer attempt,
            @RequestHeader(name = LeaseGuard.WORKER_HEADER, required = false) String workerId,
            @RequestBody MetricBatch batch) {
        return metrics.ingest(caller, projectId, runId, batch, attempt, workerId);
    }

    @Operation(summary = "A run's metric summaries", description = "Each key's latest value and step, lowest and "
            + "highest value (NaN left out), by key name.")
    @GetMapping("/runs/{runId}/metrics")
    public ItemList<KeySummary> runSummaries(Caller caller, @PathVariable long projectId, @PathVariable long runId) {
        return metrics.runSummaries(caller, projectId, runId);
    }

    @Operation(summary = "Query metric series, downsampled", description = "For each run and key, the points in "
            + "[fromStep, toStep] (default: the series' whole range) grouped into at most `buckets` buckets that "
            + "keep each bucket's first and last step, count, NaN count, min, max and last value, so no spike is "
            + "ever lost; the points themselves too when there are no more than `buckets`. Every series shares "
            + "the same step grid. Up to 100 runs and 100 keys; buckets 1 to 10,000 (default 1,000). "
            + "`format=columns` sends each series' buckets as `bucketColumns` (an array per field: stepStart, "
            + "stepEnd, count, nanCount, min, max, last, element i of each being bucket i) and its points as "
            + "`pointColumns` (step, value, timeMicros: wall time in microseconds since the epoch) instead of "
            + "`buckets` and `points`: the same values in about half the bytes. `format=chart` sends what a chart "
            + "draws, in about half the bytes again: columns of the buckets' stepEnd, min, max and last and the "
            + "points' step, value and timeMicros, each value rounded to a 32-bit float (written with at most 9 "
            + "significant digits; values beyond a 32-bit float's normal range exactly). The answer's Server-Timing "
            + "header says how long the database reads took (db;dur=<ms>).")
    @GetMapping("/metrics/query")
    public SeriesQueryResponse query(Caller caller, @PathVariable long projectId,
            @Parameter(description = "run ids, comma-separated") @RequestParam(required = false) String runs,
            @Parameter(description = "metric keys, comma-separated") @RequestParam(required = false) String keys,
            @RequestParam(required = false) Integer buckets,
            @RequestParam(required = false) Long fromStep,
            @RequestParam(required = false) Long toStep,
            @Parameter(description = "objects (the default): buckets and points as lists of objects; columns: as "
                    + "bucketColumns and pointColumns, an array per field; chart: as columns, only the fields a chart "
                    + "draws, values at 32-bit float precision",
                    schema = @Schema(allowableValues = {"objects", "columns", "chart"}))
            @RequestParam(required = false) String format,
            HttpServletResponse response) {
        long started = System.nanoTime();
        long[] database = {0};
        SeriesQueryResponse answer = metrics.query(caller, projectId, runs, keys, buckets, fromStep, toStep, format,
                nanos -> database[0] += nanos);
        response.setHeader("Server-Timing", String.format(Locale.ROOT, "db;dur=%.1f, query;dur=%.1f",
                database[0] / 1e6, (System.nanoTime() - started) / 1e6));
        return answer;
    }

    @Operation(summary = "Metric summaries of several runs", description = "Each run's keys (all, or those in "
            + "`keys`) with their latest value and step, lowest and highest value, for comparison tables.")
    @GetMapping("/metrics/summaries")
    public ItemList<RunSummaries> summaries(Caller caller, @PathVariable long projectId,
            @Parameter(description = "run ids, comma-separated") @RequestParam(required = false) String runs,
            @Parameter(description = "metric keys, comma-separated; default all")
            @RequestParam(required = false) String keys) {
        return metrics.summaries(caller, projectId, runs, keys);
    }

    @Operation(summary = "The project's metric keys", description = "In order; prefix keeps the names starting "
            + "with it, q those containing it (ignoring case); limit (1 to 1000, default 100) and cursor "
            + "(nextCursor of the previous page) page.")
    @GetMapping("/metrics/keys")
    public ItemList<String> keys(Caller caller, @PathVariable long projectId,
            @RequestParam(required = false) String prefix,
            @Parameter(description = "text the name contains, ignoring case") @RequestParam(required = false) String q,
            @RequestParam(required = false) Integer limit, @RequestParam(required = false) String cursor) {
        return metrics.keys(caller, projectId, prefix, KeySearch.of(q, limit, cursor));
    }
}
