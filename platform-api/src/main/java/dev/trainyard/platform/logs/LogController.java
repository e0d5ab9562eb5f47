package dev.trainyard.platform.logs;

import dev.trainyard.platform.auth.Caller;
import dev.trainyard.platform.logs.LogRecords.AppendLogsRequest;
import dev.trainyard.platform.logs.LogRecords.AppendLogsResponse;
import dev.trainyard.platform.logs.LogRecords.LogPage;
import dev.trainyard.platform.scheduling.LeaseGuard;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

@RestController
@RequestMapping("/api/v1/projects/{projectId}/runs/{runId}/logs")
public class LogController {

    private final LogService logs;

    public LogController(LogService logs) {
        this.logs = logs;
    }

    @Operation(summary = "Append lines to a run's log", description = "Up to 5,000 lines per request: {\"lines\": "
            + "[{\"seq\": 1, \"text\": \"epoch 1\", \"time\": \"...\", \"stream\": \"stdout\"}]}. seq numbers the "
            + "lines of an attempt; a seq already stored keeps its first line, so a retried batch stores nothing "
            + "twice. The lines go to the attempt in X-Run-Attempt, else to the run's current attempt. A write for a "
            + "worker names X-Worker-Id and X-Run-Attempt (both or neither, as for metrics and checkpoint uploads) "
            + "and is refused with 409 unless that attempt holds the run.")
    @Parameter(name = LeaseGuard.ATTEMPT_HEADER, in = ParameterIn.HEADER, description = "a worker's run attempt")
    @Parameter(name = LeaseGuard.WORKER_HEADER, in = ParameterIn.HEADER)
    @PostMapping
    public AppendLogsResponse append(Caller caller, @PathVariable long projectId, @PathVariable long runId,
            @RequestHeader(name = LeaseGuard.ATTEMPT_HEADER, required = false) Integer attempt,
            @RequestHeader(name = LeaseGuard.WORKER_HEADER, required = false) String workerId,
            @RequestBody AppendLogsRequest request) {
        return logs.append(caller, projectId, runId, request, attempt, workerId);
    }

    @Operation(summary = "Read a run's log", description = "One attempt's lines (default: the last attempt that "
            + "logged) in seq order: after=<seq> for the lines after a seq (poll with the answer's lastSeq to tail "
            + "the log), or tail=<n> for the last n; limit 1 to 5,000 (default 1,000).")
    @GetMapping
    public LogPage read(Caller caller, @PathVariable long projectId, @PathVariable long runId,
            @RequestParam(required = false) Integer attempt, @RequestParam(required = false) Long after,
            @RequestParam(required = false) Integer tail, @RequestParam(required = false) Integer limit) {
        return logs.read(caller, projectId, runId, attempt, after, tail, limit);
    }

    @Operation(summary = "Follow a run's log (SSE)", description = "A 'snapshot' event (the run and the attempt "
            + "followed), then the lines after `after` (or the last `tail`, default 100) as 'logs' events, then "
            + "new lines as they are appended, and 'status' events so you know when the run ends. Each 'logs' "
            + "event has runId, attempt, count, lastSeq, missed (lines dropped because the client fell behind: "
            + "fetch them with GET ?after=) and lines.")
    @GetMapping("/follow")
    public SseEmitter follow(Caller caller, @PathVariable long projectId, @PathVariable long runId,
            @RequestParam(required = false) Integer attempt, @RequestParam(required = false) Long after,
            @RequestParam(required = false) Integer tail) {
        return logs.follow(caller, projectId, runId, attempt, after, tail);
    }
}
