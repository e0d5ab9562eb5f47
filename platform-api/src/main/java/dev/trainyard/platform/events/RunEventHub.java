package dev.trainyard.platform.events;

import dev.trainyard.platform.auth.Caller;
import dev.trainyard.platform.projects.ProjectAccess;
import dev.trainyard.platform.projects.ProjectRole;
import dev.trainyard.platform.runs.RunStatus;
import dev.trainyard.platform.web.ApiException;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The Server-Sent Event streams of runs, experiments and projects: who listens to what, and delivery.
 *
 * <p>Events ({@link RunStatusChanged}, {@link MetricsAppended}, {@link LogsAppended}) are not written to the
 * streams as they come: each subscriber buffers them, and every {@code trainyard.events.flush-interval} (250 ms) a
 * ticker hands each subscriber with something buffered to a virtual thread that writes it out. So a run logging
 * a thousand batches a second costs a subscriber at most four {@code metrics} events a second (the latest state of
 * each key, and how many points arrived), and a slow client only delays itself. Within one flush a subscriber gets
 * its {@code logs} events first, then {@code metrics}, then {@code status}.
 *
 * <p>Every {@code trainyard.events.heartbeat} (15 s) an idle stream gets a comment line, so proxies keep it open
 * and a client that went away is noticed; at most once a minute that also re-checks the caller's project role, so a
 * member who is removed stops receiving events. Streams end after {@code trainyard.events.stream-timeout} (30 min);
 * clients reconnect, and the {@code snapshot} event every stream starts with gives them the current state.
 *
 * <p>Events published in this process arrive through the listeners below; on PostgreSQL, those published by the
 * other platform-api instances arrive through {@link RunEventRelay} (LISTEN/NOTIFY), so every stream sees every
 * instance's events, each once.
 */
@Component
public class RunEventHub {

    private static final Logger log = LoggerFactory.getLogger(RunEventHub.class);

    /** Beyond this many open streams, new ones get 503. */
    static final int MAX_SUBSCRIBERS = 10_000;
    /** Log lines a subscriber buffers per run between flushes; beyond that they are counted as missed. */
    static final int MAX_BUFFERED_LINES = 5_000;
    private static final int MAX_BUFFERED_STATUSES = 1_000;
    private static final Duration ACCESS_RECHECK = Duration.ofMinutes(1);
    /** How long a client waits before reconnecting after the stream ends (the SSE retry field). */
    private static final long RETRY_MILLIS = 3_000;

    private final ProjectAccess access;
    private final long timeoutMillis;
    private final Duration flushInterval;
    private final Duration heartbeat;
    private final Map<Long, Set<Subscriber>> byRun = new ConcurrentHashMap<>();
    private final Map<Long, Set<Subscriber>> byExperiment = new ConcurrentHashMap<>();
    private final Map<Long, Set<Subscriber>> byProject = new ConcurrentHashMap<>();
    private final Set<Subscriber> all = ConcurrentHashMap.newKeySet();
    private final AtomicLong ids = new AtomicLong();
    private final ScheduledExecutorService ticker;
    private final ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();

    public RunEventHub(ProjectAccess access,
            @Value("${trainyard.events.stream-timeout:30m}") Duration streamTimeout,
            @Value("${trainyard.events.flush-interval:250ms}") Duration flushInterval,
            @Value("${trainyard.events.heartbeat:15s}") Duration heartbeat) {
        this.access = access;
        this.timeoutMillis = streamTimeout.toMillis();
        this.flushInterval = flushInterval;
        this.heartbeat = heartbeat;
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "run-event-hub");
            t.setDaemon(true);
            return t;
        });
    }

    @PostConstruct
    void start() {
        ticker.scheduleWithFixedDelay(this::flushAll, flushInterval.toMillis(), flushInterval.toMillis(),
                TimeUnit.MILLISECONDS);
        ticker.scheduleWithFixedDelay(this::heartbeatAll, heartbeat.toMillis(), heartbeat.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /**
     * What a stream receives.
     *
     * @param logLines whether {@code logs} events carry the lines (run streams) or only their count and last seq
     *     (experiment and project streams)
     * @param logAttempt only this attempt's lines, or null for every attempt
     */
    public record Options(boolean status, boolean metrics, boolean logs, boolean logLines, Integer logAttempt) {

        /** A run's stream: everything. */
        public static final Options RUN = new Options(true, true, true, true, null);
        /** An experiment's stream: status and metrics of every run in it, and log counts without the lines. */
        public static final Options EXPERIMENT = new Options(true, true, true, false, null);
        /** A project's stream: as an experiment's, for every run of the project. */
        public static final Options PROJECT = EXPERIMENT;

        /** Following one attempt's log: its lines, and status changes so the follower knows when the run ends. */
        public static Options followLogs(int attempt) {
            return new Options(true, false, true, true, attempt);
        }
    }

    /**
     * Opens a stream of one run's events. The stream stays silent until {@link #start} runs its opening (the
     * snapshot); events that happen meanwhile are buffered and follow it.
     */
    public Subscription subscribeRun(Caller caller, long projectId, long runId, Options options) {
        return subscribe(caller, projectId, runId, null, options);
    }

    /** Opens a stream of the events of every run in an experiment; see {@link #subscribeRun}. */
    public Subscription subscribeExperiment(Caller caller, long projectId, long experimentId, Options options) {
        return subscribe(caller, projectId, null, experimentId, options);
    }

    /** Opens a stream of the events of every run in a project; see {@link #subscribeRun}. */
    public Subscription subscribeProject(Caller caller, long projectId, Options options) {
        return subscribe(caller, projectId, null, null, options);
    }

    /** Where a subscriber is filed: by its run, else by its experiment, else by its project. */
    private Map<Long, Set<Subscriber>> index(Subscriber s) {
        return s.runId != null ? byRun : s.experimentId != null ? byExperiment : byProject;
    }

    private static long indexKey(Subscriber s) {
        return s.runId != null ? s.runId : s.experimentId != null ? s.experimentId : s.projectId;
    }

    private Subscription subscribe(Caller caller, long projectId, Long runId, Long experimentId, Options options) {
        if (all.size() >= MAX_SUBSCRIBERS) {
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "this server already has " + MAX_SUBSCRIBERS
                    + " open event streams; retry later", List.of());
        }
        Subscriber s = new Subscriber(ids.incrementAndGet(), caller, projectId, runId, experimentId, options,
                new SseEmitter(timeoutMillis));
        s.emitter.onCompletion(() -> remove(s));
        s.emitter.onTimeout(() -> remove(s));
        s.emitter.onError(e -> remove(s));
        all.add(s);
        index(s).computeIfAbsent(indexKey(s), k -> ConcurrentHashMap.newKeySet()).add(s);
        return new Subscription(s);
    }

    /**
     * Runs the stream's opening on a virtual thread (it may read the database and write a lot, such as a log
     * backlog), then lets buffered and new events through. If the opening fails, the stream ends.
     */
    public void start(Subscription subscription, Opening opening) {
        Subscriber s = subscription.subscriber;
        senders.execute(() -> {
            try {
                s.emitter.send(SseEmitter.event().reconnectTime(RETRY_MILLIS).comment("trainyard events"));
                opening.run(subscription);
                s.activate();
            } catch (IOException | IllegalStateException e) {
                remove(s); // the client went away
            } catch (RuntimeException e) {
                log.warn("event stream {} failed while opening", s.id, e);
                sendErrorAndEnd(s, e);
            }
        });
    }

    /** A stream's first events, written before any buffered event. */
    @FunctionalInterface
    public interface Opening {
        void run(Subscription subscription) throws IOException;
    }

    /** A stream in the making: the emitter to return from the controller, and what its opening may send. */
    public static final class Subscription {
        private final Subscriber subscriber;

        Subscription(Subscriber subscriber) {
            this.subscriber = subscriber;
        }

        public SseEmitter emitter() {
            return subscriber.emitter;
        }

        /** Writes one event now (from the opening). */
        public void send(String name, Object data) throws IOException {
            subscriber.emitter.send(SseEmitter.event().name(name).data(data, MediaType.APPLICATION_JSON));
        }

        /** Drops buffered and future lines of the attempt up to this seq: the opening already sent them. */
        public void logsSentUpTo(int attempt, long seq) {
            subscriber.logsSentUpTo(attempt, seq);
        }
    }

    @TransactionalEventListener(fallbackExecution = true)
    public void onStatus(RunStatusChanged e) {
        deliver(e.projectId(), e.runId(), e.experimentId(), s -> s.offerStatus(e));
    }

    @EventListener
    public void onMetrics(MetricsAppended e) {
        deliver(e.projectId(), e.runId(), e.experimentId(), s -> s.offerMetrics(e));
    }

    @EventListener
    public void onLogs(LogsAppended e) {
        deliver(e.projectId(), e.runId(), e.experimentId(), s -> s.offerLogs(e));
    }

    private void deliver(long projectId, long runId, Long experimentId, Consumer<Subscriber> offer) {
        Set<Subscriber> run = byRun.get(runId);
        if (run != null) {
            run.forEach(offer);
        }
        if (experimentId != null) {
            Set<Subscriber> experiment = byExperiment.get(experimentId);
            if (experiment != null) {
                experiment.forEach(offer);
            }
        }
        Set<Subscriber> project = byProject.get(projectId);
        if (project != null) {
            project.forEach(offer);
        }
    }

    /** Whether any stream wants the events of this run. */
    boolean hasStreams(long projectId, long runId, Long experimentId) {
        return byRun.containsKey(runId) || experimentId != null && byExperiment.containsKey(experimentId)
                || byProject.containsKey(projectId);
    }

    /** How many streams are open (for tests and metrics). */
    public int openStreams() {
        return all.size();
    }

    private void flushAll() {
        try {
            for (Subscriber s : all) {
                if (s.claimFlush(false)) {
                    senders.execute(() -> drain(s, false));
                }
            }
        } catch (RuntimeException e) {
            log.warn("event flush failed", e); // keep the ticker alive
        }
    }

    private void heartbeatAll() {
        try {
            for (Subscriber s : all) {
                if (s.claimFlush(true)) {
                    senders.execute(() -> drain(s, true));
                }
            }
        } catch (RuntimeException e) {
            log.warn("event heartbeat failed", e);
        }
    }

    private void drain(Subscriber s, boolean heartbeatDue) {
        try {
            if (heartbeatDue && s.accessCheckDue()) {
                try {
                    access.require(s.caller, s.projectId, ProjectRole.VIEWER);
                } catch (ApiException e) {
                    sendErrorAndEnd(s, e);
                    return;
                }
            }
            List<SseEmitter.SseEventBuilder> events = s.takePending();
            if (events.isEmpty() && heartbeatDue) {
                s.emitter.send(SseEmitter.event().comment("keep-alive " + Instant.now()));
            }
            for (SseEmitter.SseEventBuilder event : events) {
                s.emitter.send(event);
            }
        } catch (IOException | IllegalStateException e) {
            remove(s); // the client went away, or the stream already ended
        } catch (RuntimeException e) {
            log.warn("event stream {} failed", s.id, e);
            remove(s);
        } finally {
            s.flushDone();
        }
    }

    private void sendErrorAndEnd(Subscriber s, RuntimeException e) {
        HttpStatus status = e instanceof ApiException api ? api.status() : HttpStatus.INTERNAL_SERVER_ERROR;
        String detail = e instanceof ApiException ? e.getMessage() : "internal error; the server log has the details";
        try {
            s.emitter.send(SseEmitter.event().name("error")
                    .data(ProblemDetail.forStatusAndDetail(status, detail), MediaType.APPLICATION_JSON));
            s.emitter.complete();
        } catch (IOException | IllegalStateException ignored) {
            // the client is gone already
        }
        remove(s);
    }

    private void remove(Subscriber s) {
        if (!all.remove(s)) {
            return;
        }
        s.close();
        index(s).computeIfPresent(indexKey(s), (k, set) -> {
            set.remove(s);
            return set.isEmpty() ? null : set;
        });
    }

    /**
     * Ends every stream as soon as the application starts closing, so that the web server's graceful shutdown need
     * not wait for them: clients reconnect (behind a load balancer, to another instance) and the snapshot catches
     * them up.
     */
    @EventListener(ContextClosedEvent.class)
    void endStreams() {
        endAllStreams();
    }

    /** Ends every open stream (its client reconnects and starts again from a snapshot); returns how many. */
    int endAllStreams() {
        int ended = 0;
        for (Subscriber s : all) {
            try {
                s.emitter.complete();
            } catch (RuntimeException ignored) {
                // already ended
            }
            remove(s);
            ended++;
        }
        return ended;
    }

    @PreDestroy
    void shutdown() {
        ticker.shutdownNow();
        endStreams();
        senders.shutdownNow();
    }

    // ---------------------------------------------------------------------------------------------------------

    /** The {@code metrics} event: how many points arrived since the last one, and each touched key's state. */
    public record MetricsEvent(long runId, int points, Map<String, KeyValue> keys) {}

    public record KeyValue(long step, double last, double min, double max) {}

    /**
     * The {@code logs} event. {@code lines} is null on experiment and project streams; {@code missed} counts lines that were
     * not sent because the client fell too far behind (fetch them with GET .../logs?attempt=&after=).
     */
    public record LogsEvent(long runId, int attempt, int count, long lastSeq, int missed, List<LogLine> lines) {}

    /** The {@code status} event. */
    public record StatusEvent(long runId, Long experimentId, RunStatus from, RunStatus to, int attempt, Instant at) {}

    private record RunAttempt(long runId, int attempt) {}

    private static final class PendingLogs {
        final List<LogLine> lines = new ArrayList<>();
        int count;
        int missed;
        long lastSeq = -1;
    }

    private final class Subscriber {
        final long id;
        final Caller caller;
        final long projectId;
        final Long runId;
        final Long experimentId;
        final Options options;
        final SseEmitter emitter;

        private boolean active;
        private boolean flushing;
        private boolean closed;
        private Instant lastAccessCheck = Instant.now();
        private final List<RunStatusChanged> statuses = new ArrayList<>();
        private final Map<Long, MetricsEvent> metrics = new LinkedHashMap<>();
        private final Map<RunAttempt, PendingLogs> logs = new LinkedHashMap<>();
        private final Map<Integer, Long> logsSentUpTo = new ConcurrentHashMap<>();

        Subscriber(long id, Caller caller, long projectId, Long runId, Long experimentId, Options options,
                SseEmitter emitter) {
            this.id = id;
            this.caller = caller;
            this.projectId = projectId;
            this.runId = runId;
            this.experimentId = experimentId;
            this.options = options;
            this.emitter = emitter;
        }

        synchronized void offerStatus(RunStatusChanged e) {
            if (options.status() && !closed && statuses.size() < MAX_BUFFERED_STATUSES) {
                statuses.add(e);
            }
        }

        synchronized void offerMetrics(MetricsAppended e) {
            if (!options.metrics() || closed) {
                return;
            }
            MetricsEvent before = metrics.get(e.runId());
            Map<String, KeyValue> keys = before == null ? new LinkedHashMap<>() : before.keys();
            for (MetricsAppended.KeyState k : e.keys()) {
                keys.put(k.key(), new KeyValue(k.step(), k.last(), k.min(), k.max()));
            }
            metrics.put(e.runId(), new MetricsEvent(e.runId(), (before == null ? 0 : before.points()) + e.points(),
                    keys));
        }

        synchronized void offerLogs(LogsAppended e) {
            if (!options.logs() || closed
                    || options.logAttempt() != null && options.logAttempt() != e.attempt()) {
                return;
            }
            long sentUpTo = logsSentUpTo.getOrDefault(e.attempt(), -1L);
            PendingLogs p = logs.computeIfAbsent(new RunAttempt(e.runId(), e.attempt()), k -> new PendingLogs());
            for (LogLine line : e.lines()) {
                if (line.seq() <= sentUpTo) {
                    continue;
                }
                p.count++;
                p.lastSeq = Math.max(p.lastSeq, line.seq());
                if (options.logLines()) {
                    if (p.lines.size() < MAX_BUFFERED_LINES) {
                        p.lines.add(line);
                    } else {
                        p.missed++;
                    }
                }
            }
            if (p.count == 0) {
                logs.remove(new RunAttempt(e.runId(), e.attempt()));
            }
        }

        synchronized void logsSentUpTo(int attempt, long seq) {
            logsSentUpTo.merge(attempt, seq, Math::max);
            PendingLogs p = runId == null ? null : logs.get(new RunAttempt(runId, attempt));
            if (p != null) {
                p.lines.removeIf(line -> line.seq() <= seq);
                p.count = p.lines.size() + p.missed;
                if (p.count == 0) {
                    logs.remove(new RunAttempt(runId, attempt));
                }
            }
        }

        synchronized void activate() {
            active = true;
        }

        /** Whether this call may flush now (nobody else is); heartbeats flush even with nothing buffered. */
        synchronized boolean claimFlush(boolean heartbeatDue) {
            if (!active || flushing || closed) {
                return false;
            }
            if (!heartbeatDue && statuses.isEmpty() && metrics.isEmpty() && logs.isEmpty()) {
                return false;
            }
            flushing = true;
            return true;
        }

        synchronized void flushDone() {
            flushing = false;
        }

        synchronized boolean accessCheckDue() {
            Instant now = Instant.now();
            if (Duration.between(lastAccessCheck, now).compareTo(ACCESS_RECHECK.minus(heartbeat)) < 0) {
                return false;
            }
            lastAccessCheck = now;
            return true;
        }

        synchronized List<SseEmitter.SseEventBuilder> takePending() {
            List<SseEmitter.SseEventBuilder> out = new ArrayList<>();
            logs.forEach((ra, p) -> out.add(event("logs", new LogsEvent(ra.runId(), ra.attempt(), p.count,
                    p.lastSeq, p.missed, options.logLines() ? List.copyOf(p.lines) : null))));
            metrics.values().forEach(m -> out.add(event("metrics", m)));
            statuses.forEach(e -> out.add(event("status", new StatusEvent(e.runId(), e.experimentId(), e.from(),
                    e.to(), e.attempt(), e.at()))));
            logs.clear();
            metrics.clear();
            statuses.clear();
            return out;
        }

        synchronized void close() {
            closed = true;
            logs.clear();
            metrics.clear();
            statuses.clear();
        }

        private static SseEmitter.SseEventBuilder event(String name, Object data) {
            return SseEmitter.event().name(name).data(data, MediaType.APPLICATION_JSON);
        }
    }
}
