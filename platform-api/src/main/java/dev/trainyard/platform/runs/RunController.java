package dev.trainyard.platform.runs;

import dev.trainyard.platform.auth.Caller;
import dev.trainyard.platform.runs.RunRecords.CloneRunRequest;
import dev.trainyard.platform.runs.RunRecords.RunResponse;
import dev.trainyard.platform.runs.RunRecords.RunSummary;
import dev.trainyard.platform.runs.RunRecords.SubmitRunRequest;
import dev.trainyard.platform.web.ItemList;
import dev.trainyard.platform.web.Statuses;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.node.StringNode;

@RestController
@RequestMapping("/api/v1/projects/{projectId}/runs")
public class RunController {

    private final RunService runs;

    public RunController(RunService runs) {
        this.runs = runs;
    }

    @Operation(summary = "Submit a run", description = "201 with Location for a new run. With an Idempotency-Key, "
            + "a repeat of the same request answers 200 with the run the first one created (header "
            + "Idempotent-Replayed: true), and a different request with the same key answers 409.")
    @Statuses(success = {201, 200}, problems = 409)
    @PostMapping
    public ResponseEntity<RunResponse> submit(Caller caller, @PathVariable long projectId,
            @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
            @Valid @RequestBody SubmitRunRequest request) {
        return created(projectId, runs.submit(caller, projectId, request, idempotencyKey));
    }

    @Operation(summary = "Submit a run spec written in YAML", description = "The body is the run spec itself "
            + "(docs/run-spec.md), as Content-Type application/yaml (or application/x-yaml, text/yaml); the run's "
            + "other fields take their defaults (send JSON to set them). Answers as the JSON submission does.")
    @Statuses(success = {201, 200}, problems = 409)
    @PostMapping(consumes = {"application/yaml", "application/x-yaml", "text/yaml"})
    public ResponseEntity<RunResponse> submitYaml(Caller caller, @PathVariable long projectId,
            @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
            @RequestBody String spec) {
        SubmitRunRequest request = new SubmitRunRequest(null, null, StringNode.valueOf(spec), null, null, null, null,
                null, null);
        return created(projectId, runs.submit(caller, projectId, request, idempotencyKey));
    }

    @Operation(summary = "List runs", description = "Filters: id (up to 100 run ids: several runs in one request), "
            + "status, tag, experimentId, name (contains), param.<name><op><value>, "
            + "metric.<name><op><value> (or filter=<the same>); sort=createdAt|metric.<name>|param.<name>[,asc|desc]; "
            + "limit (1-500, default 50) and cursor (nextCursor of the previous page).")
    @Parameter(name = "status", in = ParameterIn.QUERY, description = "QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED; repeatable or comma-separated")
    @Parameter(name = "id", in = ParameterIn.QUERY, description = "run ids, repeatable or comma-separated, at most "
            + RunQuery.MAX_IDS + "; ids of no run in the project match nothing")
    @Parameter(name = "tag", in = ParameterIn.QUERY, description = "repeatable; runs carrying every tag")
    @Parameter(name = "experimentId", in = ParameterIn.QUERY)
    @Parameter(name = "name", in = ParameterIn.QUERY, description = "text the run's name contains, ignoring case")
    @Parameter(name = "filter", in = ParameterIn.QUERY, description = "repeatable, e.g. param.lr<0.01 or metric.test_acc>=0.9")
    @Parameter(name = "sort", in = ParameterIn.QUERY, description = "e.g. metric.test_acc,desc (default createdAt,desc). "
            + "By a parameter: its numbers first, then its strings and booleans by their text; by a metric or a "
            + "parameter, the runs without it last (by creation time), in either direction")
    @Parameter(name = "limit", in = ParameterIn.QUERY)
    @Parameter(name = "cursor", in = ParameterIn.QUERY)
    @GetMapping
    public ItemList<RunSummary> list(Caller caller, @PathVariable long projectId, HttpServletRequest request) {
        return runs.list(caller, projectId, request.getParameterMap());
    }

    @Operation(summary = "Get a run: its spec, params, status, attempts and latest metrics")
    @GetMapping("/{runId}")
    public RunResponse get(Caller caller, @PathVariable long projectId, @PathVariable long runId) {
        return runs.get(caller, projectId, runId);
    }

    @Operation(summary = "Cancel a QUEUED or RUNNING run (409 otherwise)")
    @Statuses(problems = 409)
    @PostMapping("/{runId}/cancel")
    public RunResponse cancel(Caller caller, @PathVariable long projectId, @PathVariable long runId) {
        return runs.cancel(caller, projectId, runId);
    }

    @Operation(summary = "Re-queue a FAILED or CANCELLED run (409 otherwise); its next start is a new attempt")
    @Statuses(problems = 409)
    @PostMapping("/{runId}/retry")
    public RunResponse retry(Caller caller, @PathVariable long projectId, @PathVariable long runId) {
        return runs.retry(caller, projectId, runId);
    }

    @Operation(summary = "Submit a copy of a run with changes", description = "spec is a JSON merge patch on the "
            + "original spec; params are merged (null removes one); other fields replace. Takes Idempotency-Key.")
    @Statuses(success = {201, 200}, problems = 409)
    @PostMapping("/{runId}/clone")
    public ResponseEntity<RunResponse> cloneRun(Caller caller, @PathVariable long projectId, @PathVariable long runId,
            @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
            @Valid @RequestBody CloneRunRequest request) {
        return created(projectId, runs.cloneRun(caller, projectId, runId, request, idempotencyKey));
    }

    @Operation(summary = "Delete a run that is not RUNNING")
    @Statuses(success = 204, problems = 409)
    @DeleteMapping("/{runId}")
    public ResponseEntity<Void> delete(Caller caller, @PathVariable long projectId, @PathVariable long runId) {
        runs.delete(caller, projectId, runId);
        return ResponseEntity.noContent().build();
    }

    private static ResponseEntity<RunResponse> created(long projectId, RunService.Submitted submitted) {
        URI location = URI.create("/api/v1/projects/" + projectId + "/runs/" + submitted.run().id());
        if (submitted.created()) {
            return ResponseEntity.created(location).body(submitted.run());
        }
        return ResponseEntity.status(HttpStatus.OK).location(location).header("Idempotent-Replayed", "true")
                .body(submitted.run());
    }
}
