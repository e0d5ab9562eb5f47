package dev.trainyard.platform.metrics;

import dev.trainyard.platform.auth.Caller;
import dev.trainyard.platform.events.MetricsAppended;
import dev.trainyard.platform.metrics.MetricQueries.SeriesId;
import dev.trainyard.platform.metrics.MetricRecords.Bucket;
import dev.trainyard.platform.metrics.MetricRecords.Format;
import dev.trainyard.platform.metrics.MetricRecords.IngestResponse;
import dev.trainyard.platform.metrics.MetricRecords.KeySummary;
import dev.trainyard.platform.metrics.MetricRecords.Point;
import dev.trainyard.platform.metrics.MetricRecords.RunSummaries;
import dev.trainyard.platform.metrics.MetricRecords.Series;
import dev.trainyard.platform.metrics.MetricRecords.SeriesQueryResponse;
import dev.trainyard.platform.projects.ProjectAccess;
import dev.trainyard.platform.projects.ProjectRole;
import dev.trainyard.platform.runs.RunRef;
import dev.trainyard.platform.runs.RunRefs;
import dev.trainyard.platform.scheduling.LeaseGuard;
import dev.trainyard.platform.web.ApiException;
import dev.trainyard.platform.web.FieldProblem;
import dev.trainyard.platform.web.ItemList;
import dev.trainyard.platform.web.KeySearch;
import dev.trainyard.platform.workers.WorkerPrincipal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Metric ingestion and queries. Editors write, viewers read, workers write through their own endpoint; a write that
 * names a run attempt is fenced by the worker's lease ({@link LeaseGuard}).
 */
@Service
public class MetricService {

    /** Query limits: runs and keys per query, and buckets per series. */
    static final int MAX_RUNS = 100;
    static final int MAX_KEYS = 100;
    static final int MAX_BUCKETS = 10_000;
    static final int DEFAULT_BUCKETS = 1_000;
    /** At most this many buckets in one answer, all series together. */
    static final long MAX_TOTAL_BUCKETS = 2_000_000;

    private final ProjectAccess access;
    private final RunRefs runs;
    private final LeaseGuard fence;
    private final MetricKeys keys;
    private final MetricWriter writer;
    private final MetricQueries queries;
    private final JdbcClient jdbc;
    private final ApplicationEventPublisher events;

    MetricService(ProjectAccess access, RunRefs runs, LeaseGuard fence, MetricKeys keys, MetricWriter writer,
            MetricQueries queries, JdbcClient jdbc, ApplicationEventPublisher events) {
        this.access = access;
        this.runs = runs;
        this.fence = fence;
        this.keys = keys;
        this.writer = writer;
        this.queries = queries;
        this.jdbc = jdbc;
        this.events = events;
    }

    /** A batch sent with a user token; fenced when it names a worker's attempt. */
    public IngestResponse ingest(Caller caller, long projectId, long runId, MetricBatch batch, Integer attempt,
            String workerId) {
        access.require(caller, projectId, ProjectRole.EDITOR);
        RunRef run = runs.require(projectId, runId);
        return ingest(run, batch, fence.forHeaders(runId, attempt, workerId));
    }

    /** A batch sent by a worker with its worker token: fenced by its lease. */
    public IngestResponse ingest(WorkerPrincipal principal, String workerId, long runId, int attempt,
            MetricBatch batch) {
        RunRef run = runs.requireById(runId);
        return ingest(run, batch, fence.forWorker(principal, workerId, runId, attempt));
    }

    /** Stores a batch for a run that exists, unfenced (the benchmark calls this directly). */
    public IngestResponse ingest(RunRef run, MetricBatch batch) {
        return ingest(run, batch, null);
    }

    private IngestResponse ingest(RunRef run, MetricBatch batch, Runnable leaseCheck) {
        if (batch.total() > MetricBatch.MAX_POINTS) {
            String detail = "a request holds at most " + MetricBatch.MAX_POINTS + " points; this one has "
                    + batch.total() + ": split it into batches of " + MetricBatch.MAX_POINTS + " or fewer";
            throw new ApiException(HttpStatus.CONTENT_TOO_LARGE, detail,
                    List.of(FieldProblem.atPointer("/points", detail, batch.total())));
        }
        if (!batch.problems().isEmpty()) {
            throw ApiException.invalid(batch.problems(), batch.moreProblems());
        }
        if (batch.size() == 0) {
            if (leaseCheck != null) {
                leaseCheck.run(); // an empty batch from a stale attempt is refused like any other
            }
            return new IngestResponse(0, 0, 0);
        }
        Instant now = Instant.now();
        long nowMicros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
        // the keys are interned inside the write, after the lease check: a refused write creates none
        MetricWriter.Written written = writer.write(run.projectId(), run.id(), leaseCheck,
                () -> SortedPoints.of(batch, keys.intern(run.projectId(), batch.keyNames()), nowMicros));
        if (written.inserted() > 0) {
            events.publishEvent(new MetricsAppended(run.projectId(), run.experimentId(), run.id(), written.inserted(),
                    written.keys()));
        }
        return new IngestResponse(batch.size(), written.inserted(), batch.size() - written.inserted());
    }

    /**
     * Many runs' series of many keys, downsampled into at most {@code buckets} buckets each over a common step
     * range: {@code [fromStep, toStep]}, by default from the lowest to the highest step of the series together,
     * so the buckets of different runs line up.
     */
    public SeriesQueryResponse query(Caller caller, long projectId, String runsParam, String keysParam,
            Integer bucketsParam, Long fromStep, Long toStep, String format) {
        return query(caller, projectId, runsParam, keysParam, bucketsParam, fromStep, toStep, format,
                QueryTimings.NONE);
    }

    /** As above, reporting the time spent reading the database to {@code timings}. */
    public SeriesQueryResponse query(Caller caller, long projectId, String runsParam, String keysParam,
            Integer bucketsParam, Long fromStep, Long toStep, String format, QueryTimings timings) {
        List<Long> runIds = parseRuns(runsParam);
        List<String> names = parseKeys(keysParam, true);
        int n = bucketsParam == null ? DEFAULT_BUCKETS : bucketsParam;
        List<FieldProblem> problems = new ArrayList<>();
        Format answerFormat = format == null ? Format.OBJECTS : Format.named(format);
        if (answerFormat == null) {
            problems.add(FieldProblem.atParameter("format", "'objects' (the default), 'columns' or 'chart'", format));
        }
        if (n < 1 || n > MAX_BUCKETS) {
            problems.add(FieldProblem.atParameter("buckets", "from 1 to " + MAX_BUCKETS, n));
        }
        checkStep("fromStep", fromStep, problems);
        checkStep("toStep", toStep, problems);
        if (fromStep != null && toStep != null && fromStep > toStep) {
            problems.add(FieldProblem.atParameter("toStep", "must not be below fromStep (" + fromStep + ")", toStep));
        }
        long total = (long) runIds.size() * names.size() * n;
        if (problems.isEmpty() && total > MAX_TOTAL_BUCKETS) {
            problems.add(FieldProblem.atParameter("buckets", runIds.size() + " runs x " + names.size() + " keys x "
                    + n + " buckets is more than " + MAX_TOTAL_BUCKETS + " buckets in one answer; ask for fewer", n));
        }
        throwIfAny(problems);
        access.require(caller, projectId, ProjectRole.VIEWER);
        runs.requireAll(projectId, runIds);

        Map<String, Long> ids = keys.resolve(projectId, names);
        List<Series> series = new ArrayList<>();
        if (ids.isEmpty()) {
            for (long runId : runIds) {
                for (String name : names) {
                    series.add(Series.of(runId, name, 0, List.of(), List.of(), answerFormat));
                }
            }
            return new SeriesQueryResponse(fromStep, toStep, null, series);
        }
        long started = System.nanoTime();
        long from;
        long to;
        if (fromStep == null || toStep == null) {
            long[] extent = queries.extent(runIds, ids.values());
            if (extent == null) {
                extent = new long[] {0, 0};
            }
            from = fromStep != null ? fromStep : Math.min(extent[0], toStep != null ? toStep : extent[0]);
            to = toStep != null ? toStep : Math.max(extent[1], from);
        } else {
            from = fromStep;
            to = toStep;
        }
        long width = Math.ceilDiv(to - from + 1, n);
        Map<SeriesId, List<Bucket>> buckets = queries.buckets(runIds, ids.values(), from, to, width,
                Rollups.levelFor(width));
        List<SeriesId> small = new ArrayList<>();
        buckets.forEach((id, list) -> {
            if (list.stream().mapToLong(Bucket::count).sum() <= n) {
                small.add(id);
            }
        });
        Map<SeriesId, List<Point>> points = queries.points(small, from, to);
        timings.database(System.nanoTime() - started);
        for (long runId : runIds) {
            for (String name : names) {
                Long keyId = ids.get(name);
                SeriesId id = keyId == null ? null : new SeriesId(runId, keyId);
                List<Bucket> b = id == null ? List.of() : buckets.getOrDefault(id, List.of());
                long count = b.stream().mapToLong(Bucket::count).sum();
                List<Point> p = count == 0 ? List.of() : points.get(id);
                series.add(Series.of(runId, name, count, b, p, answerFormat));
            }
        }
        return new SeriesQueryResponse(from, to, width, series);
    }

    /** The summaries of one run's keys. */
    public ItemList<KeySummary> runSummaries(Caller caller, long projectId, long runId) {
        access.require(caller, projectId, ProjectRole.VIEWER);
        runs.require(projectId, runId);
        return ItemList.of(List.copyOf(summaries(List.of(runId), null).getOrDefault(runId, Map.of()).values()));
    }

    /** The summaries of several runs, of every key or only of the keys given. */
    public ItemList<RunSummaries> summaries(Caller caller, long projectId, String runsParam, String keysParam) {
        List<Long> runIds = parseRuns(runsParam);
        List<String> names = keysParam == null || keysParam.isBlank() ? null : parseKeys(keysParam, false);
        access.require(caller, projectId, ProjectRole.VIEWER);
        runs.requireAll(projectId, runIds);
        Map<Long, Map<String, KeySummary>> byRun = summaries(runIds, names);
        return ItemList.of(runIds.stream()
                .map(id -> new RunSummaries(id, byRun.getOrDefault(id, Map.of())))
                .toList());
    }

    /** The project's metric names, in order, a page at a time. */
    public ItemList<String> keys(Caller caller, long projectId, String prefix, KeySearch search) {
        access.require(caller, projectId, ProjectRole.VIEWER);
        return search.page(keys.list(projectId, prefix, search.containsPattern(), search.cursor(),
                search.limit() + 1));
    }

    private Map<Long, Map<String, KeySummary>> summaries(List<Long> runIds, List<String> names) {
        Map<Long, Map<String, KeySummary>> out = new LinkedHashMap<>();
        var spec = jdbc.sql("SELECT run_id, name, last_value, last_step, min_value, max_value, updated_at"
                        + " FROM run_metric_summaries WHERE run_id IN (:runs)"
                        + (names == null ? "" : " AND name IN (:names)") + " ORDER BY run_id, name")
                .param("runs", runIds);
        if (names != null) {
            spec = spec.param("names", names);
        }
        spec.query(rs -> {
            String name = rs.getString("name");
            out.computeIfAbsent(rs.getLong("run_id"), id -> new LinkedHashMap<>()).put(name, new KeySummary(name,
                    rs.getDouble("last_value"), rs.getLong("last_step"), rs.getDouble("min_value"),
                    rs.getDouble("max_value"), rs.getObject("updated_at", OffsetDateTime.class).toInstant()
                            .truncatedTo(ChronoUnit.MICROS)));
        });
        return out;
    }

    private static List<Long> parseRuns(String param) {
        if (param == null || param.isBlank()) {
            throw ApiException.badRequest(FieldProblem.atParameter("runs", "required: run ids, comma-separated",
                    param));
        }
        Set<Long> ids = new LinkedHashSet<>();
        for (String part : param.split(",")) {
            try {
                ids.add(Long.parseLong(part.strip()));
            } catch (NumberFormatException e) {
                throw ApiException.badRequest(FieldProblem.atParameter("runs", "'" + part.strip()
                        + "' is not a run id; runs is run ids, comma-separated", param));
            }
        }
        if (ids.size() > MAX_RUNS) {
            throw ApiException.badRequest(FieldProblem.atParameter("runs", "at most " + MAX_RUNS + " runs per query",
                    ids.size()));
        }
        return List.copyOf(ids);
    }

    private static List<String> parseKeys(String param, boolean required) {
        if (param == null || param.isBlank()) {
            if (required) {
                throw ApiException.badRequest(FieldProblem.atParameter("keys",
                        "required: metric keys, comma-separated", param));
            }
            return List.of();
        }
        Set<String> names = new LinkedHashSet<>();
        for (String part : param.split(",")) {
            String name = part.strip();
            if (!MetricBatchReader.KEY.matcher(name).matches()) {
                throw ApiException.badRequest(FieldProblem.atParameter("keys", "'" + name + "': "
                        + MetricBatchReader.KEY_RULE, param));
            }
            names.add(name);
        }
        if (names.size() > MAX_KEYS) {
            throw ApiException.badRequest(FieldProblem.atParameter("keys", "at most " + MAX_KEYS + " keys per query",
                    names.size()));
        }
        return List.copyOf(names);
    }

    private static void checkStep(String name, Long step, List<FieldProblem> problems) {
        if (step != null && (step < 0 || step > MetricBatchReader.MAX_STEP)) {
            problems.add(FieldProblem.atParameter(name, "a step from 0 to " + MetricBatchReader.MAX_STEP, step));
        }
    }

    private static void throwIfAny(List<FieldProblem> problems) {
        if (!problems.isEmpty()) {
            throw ApiException.invalid(problems);
        }
    }
}
