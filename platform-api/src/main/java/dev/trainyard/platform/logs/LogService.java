package dev.trainyard.platform.logs;

import dev.trainyard.platform.auth.Caller;
import dev.trainyard.platform.events.EventSnapshots;
import dev.trainyard.platform.events.LogLine;
import dev.trainyard.platform.events.LogsAppended;
import dev.trainyard.platform.events.RunEventHub;
import dev.trainyard.platform.logs.LogRecords.AppendLogsRequest;
import dev.trainyard.platform.logs.LogRecords.AppendLogsResponse;
import dev.trainyard.platform.logs.LogRecords.LogPage;
import dev.trainyard.platform.logs.LogRecords.NewLine;
import dev.trainyard.platform.projects.ProjectAccess;
import dev.trainyard.platform.projects.ProjectRole;
import dev.trainyard.platform.runs.RunRef;
import dev.trainyard.platform.runs.RunRefs;
import dev.trainyard.platform.scheduling.LeaseGuard;
import dev.trainyard.platform.web.ApiException;
import dev.trainyard.platform.web.FieldProblem;
import dev.trainyard.platform.web.Times;
import dev.trainyard.platform.workers.WorkerPrincipal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Run logs: workers append lines in batches, numbered per attempt, and clients page through them or follow them.
 * Appending is idempotent: a seq already stored keeps its first line, so a retried batch stores nothing twice.
 */
@Service
public class LogService {

    static final int MAX_LINES = 5_000;
    static final int MAX_LINE_LENGTH = 16_384;
    static final int MAX_PAGE = 5_000;
    static final int DEFAULT_PAGE = 1_000;
    /** Lines a follow replays when it names neither after nor tail. */
    static final int DEFAULT_TAIL = 100;
    private static final Pattern STREAM = Pattern.compile("[a-z]{1,16}");

    private final ProjectAccess access;
    private final RunRefs runs;
    private final LeaseGuard fence;
    private final LogRepository logs;
    private final EventSnapshots snapshots;
    private final RunEventHub hub;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate tx;

    LogService(ProjectAccess access, RunRefs runs, LeaseGuard fence, LogRepository logs, EventSnapshots snapshots,
            RunEventHub hub, ApplicationEventPublisher events, PlatformTransactionManager transactions) {
        this.access = access;
        this.runs = runs;
        this.fence = fence;
        this.logs = logs;
        this.snapshots = snapshots;
        this.hub = hub;
        this.events = events;
        this.tx = new TransactionTemplate(transactions);
    }

    /**
     * Appends lines to an attempt's log: the attempt named by {@code X-Run-Attempt} with {@code X-Worker-Id}
     * (fenced: refused unless that worker holds that attempt), else the run's current attempt.
     */
    public AppendLogsResponse append(Caller caller, long projectId, long runId, AppendLogsRequest request,
            Integer attemptHeader, String workerId) {
        access.require(caller, projectId, ProjectRole.EDITOR);
        RunRef run = runs.require(projectId, runId);
        Runnable leaseCheck = fence.forHeaders(runId, attemptHeader, workerId);
        return append(run, attemptHeader != null ? attemptHeader : run.attempt(), request, leaseCheck);
    }

    /** Lines sent by a worker with its worker token, to the attempt its lease gave: fenced by that lease. */
    public AppendLogsResponse append(WorkerPrincipal principal, String workerId, long runId, int attempt,
            AppendLogsRequest request) {
        RunRef run = runs.requireById(runId);
        return append(run, attempt, request, fence.forWorker(principal, workerId, runId, attempt));
    }

    private AppendLogsResponse append(RunRef run, int attempt, AppendLogsRequest request, Runnable leaseCheck) {
        long runId = run.id();
        List<LogLine> lines = validate(request);
        // each seq once, the first occurrence winning, in seq order
        Map<Long, LogLine> bySeq = new LinkedHashMap<>();
        lines.forEach(l -> bySeq.putIfAbsent(l.seq(), l));
        List<LogLine> unique = new ArrayList<>(bySeq.values());
        unique.sort(Comparator.comparingLong(LogLine::seq));
        List<LogLine> inserted = tx.execute(status -> {
            if (leaseCheck != null) {
                leaseCheck.run(); // in the insert's transaction: the lease cannot move before it commits
            }
            return unique.isEmpty() ? List.<LogLine>of() : logs.insert(runId, attempt, unique);
        });
        if (!inserted.isEmpty()) {
            events.publishEvent(new LogsAppended(run.projectId(), run.experimentId(), runId, attempt, inserted));
        }
        return new AppendLogsResponse(attempt, lines.size(), inserted.size(), lines.size() - inserted.size(),
                unique.isEmpty() ? null : unique.getLast().seq());
    }

    private static List<LogLine> validate(AppendLogsRequest request) {
        if (request.lines() == null) {
            throw ApiException.badRequest(FieldProblem.atPointer("/lines", "required: an array of lines", null));
        }
        int n = request.lines().size();
        if (n > MAX_LINES) {
            String detail = "a request holds at most " + MAX_LINES + " lines; this one has " + n
                    + ": split it into batches of " + MAX_LINES + " or fewer";
            throw new ApiException(HttpStatus.CONTENT_TOO_LARGE, detail,
                    List.of(FieldProblem.atPointer("/lines", detail, n)));
        }
        List<FieldProblem> problems = new ArrayList<>();
        List<LogLine> lines = new ArrayList<>(n);
        Instant now = Times.now();
        for (int i = 0; i < n; i++) {
            NewLine l = request.lines().get(i);
            String at = "/lines/" + i;
            if (l == null) {
                problems.add(FieldProblem.atPointer(at, "a line is an object {\"seq\", \"text\"[, \"time\", \"stream\"]}",
                        null));
                continue;
            }
            int before = problems.size();
            if (l.seq() == null || l.seq() < 0) {
                problems.add(FieldProblem.atPointer(at + "/seq", "required: an integer, 0 or more", l.seq()));
            }
            if (l.text() == null) {
                problems.add(FieldProblem.atPointer(at + "/text", "required", null));
            } else if (l.text().length() > MAX_LINE_LENGTH) {
                problems.add(FieldProblem.atPointer(at + "/text", "at most " + MAX_LINE_LENGTH + " characters (this "
                        + "one has " + l.text().length() + "): split long lines", null));
            }
            if (l.stream() != null && !STREAM.matcher(l.stream()).matches()) {
                problems.add(FieldProblem.atPointer(at + "/stream", "1 to 16 lowercase letters, such as stdout or "
                        + "stderr", l.stream()));
            }
            if (problems.size() == before) {
                // PostgreSQL text cannot hold NUL characters
                String text = l.text().indexOf('\0') < 0 ? l.text() : l.text().replace('\0', '\uFFFD');
                lines.add(new LogLine(l.seq(), l.time() != null ? l.time() : now,
                        l.stream() != null ? l.stream() : "stdout", text));
            }
        }
        if (!problems.isEmpty()) {
            FieldProblem first = problems.getFirst();
            throw ApiException.badRequest(first.pointer() + ": " + first.detail()
                    + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more)" : ""),
                    problems.size() > 100 ? problems.subList(0, 100) : problems);
        }
        return lines;
    }

    /**
     * A page of an attempt's log (default: the last attempt that logged): the lines after {@code after}, or the last
     * {@code tail} lines, or the first lines.
     */
    public LogPage read(Caller caller, long projectId, long runId, Integer attemptParam, Long after, Integer tail,
            Integer limitParam) {
        int limit = limitParam == null ? DEFAULT_PAGE : limitParam;
        List<FieldProblem> problems = new ArrayList<>();
        if (limit < 1 || limit > MAX_PAGE) {
            problems.add(FieldProblem.atParameter("limit", "from 1 to " + MAX_PAGE, limit));
        }
        checkCursor(after, tail, problems);
        if (!problems.isEmpty()) {
            throw ApiException.badRequest(problems.getFirst().parameter() + ": " + problems.getFirst().detail(),
                    problems);
        }
        access.require(caller, projectId, ProjectRole.VIEWER);
        RunRef run = runs.require(projectId, runId);
        int attempt = attemptParam != null ? attemptParam : defaultAttempt(run);
        if (tail != null) {
            List<LogLine> lines = logs.last(runId, attempt, tail);
            return new LogPage(runId, attempt, lines, lines.isEmpty() ? null : lines.getLast().seq(), false);
        }
        List<LogLine> lines = logs.after(runId, attempt, after == null ? -1 : after, limit + 1);
        boolean more = lines.size() > limit;
        if (more) {
            lines = lines.subList(0, limit);
        }
        Long last = lines.isEmpty() ? after : Long.valueOf(lines.getLast().seq());
        return new LogPage(runId, attempt, lines, last, more);
    }

    /** A follow: the stream and what it needs to know about the run, once access has been checked. */
    public SseEmitter follow(Caller caller, long projectId, long runId, Integer attemptParam, Long after,
            Integer tail) {
        List<FieldProblem> problems = new ArrayList<>();
        checkCursor(after, tail, problems);
        if (!problems.isEmpty()) {
            throw ApiException.badRequest(problems.getFirst().parameter() + ": " + problems.getFirst().detail(),
                    problems);
        }
        access.require(caller, projectId, ProjectRole.VIEWER);
        RunRef run = runs.require(projectId, runId);
        int attempt = attemptParam != null ? attemptParam : defaultAttempt(run);
        RunEventHub.Subscription subscription = hub.subscribeRun(caller, projectId, runId,
                RunEventHub.Options.followLogs(attempt));
        hub.start(subscription, s -> {
            RunRef now = runs.find(projectId, runId).orElseThrow(() -> RunRefs.notFound(projectId, runId));
            s.send("snapshot", new FollowSnapshot(new EventSnapshots.RunState(now.id(), now.name(),
                    now.experimentId(), now.status(), now.attempt()), attempt));
            // the backlog, in pages; lines that arrive meanwhile are buffered, and those already sent dropped
            List<LogLine> page = after == null ? logs.last(runId, attempt, tail != null ? tail : DEFAULT_TAIL)
                    : logs.after(runId, attempt, after, DEFAULT_PAGE);
            long sent = after == null ? -1 : after;
            while (!page.isEmpty()) {
                long last = page.getLast().seq();
                s.send("logs", new RunEventHub.LogsEvent(runId, attempt, page.size(), last, 0, page));
                sent = last;
                if (after == null || page.size() < DEFAULT_PAGE) {
                    break;
                }
                page = logs.after(runId, attempt, last, DEFAULT_PAGE);
            }
            s.logsSentUpTo(attempt, sent);
        });
        return subscription.emitter();
    }

    /** A follow's {@code snapshot} event: the run's state, and the attempt whose log it follows. */
    public record FollowSnapshot(EventSnapshots.RunState run, int attempt) {}

    private int defaultAttempt(RunRef run) {
        Integer logged = snapshots.logPosition(run.id()).attempt();
        return logged != null ? logged : run.attempt();
    }

    private static void checkCursor(Long after, Integer tail, List<FieldProblem> problems) {
        if (after != null && after < -1) {
            problems.add(FieldProblem.atParameter("after", "a seq, 0 or more (or -1 for the start)", after));
        }
        if (tail != null && (tail < 1 || tail > MAX_PAGE)) {
            problems.add(FieldProblem.atParameter("tail", "from 1 to " + MAX_PAGE, tail));
        }
        if (after != null && tail != null) {
            problems.add(FieldProblem.atParameter("tail", "give after or tail, not both", tail));
        }
    }
}
