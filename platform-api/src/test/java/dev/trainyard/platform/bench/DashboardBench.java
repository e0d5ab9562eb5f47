package dev.trainyard.platform.bench;

import dev.trainyard.platform.auth.UserRepository;
import dev.trainyard.platform.metrics.MetricBatch;
import dev.trainyard.platform.metrics.MetricService;
import dev.trainyard.platform.runs.RunRef;
import dev.trainyard.platform.runs.RunRefs;
import dev.trainyard.platform.testing.Api;
import dev.trainyard.platform.testing.Specs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * bench/dashboard's platform: the whole application (with the dashboard it serves) on a fresh PostgreSQL database
 * (or, with DASHBOARD_BENCH_DB=name, on that kept database, seeded only when it does not hold this seeding yet),
 * seeded with COMPARE_RUNS runs (100) in one experiment, each with 4 metric keys of POINTS points (default 1,000,000,
 * through the ingestion path, so rollups are built as in production; with FULL_RUNS=n in the environment only the
 * first n runs have POINTS points and the others POINTS / 10, for a disk that cannot hold 400 M points), TABLE_RUNS runs (default 100,000, by SQL as
 * bench/runs-list does) in a second project, and 10 queued runs in a third experiment for the live test. Writes
 * what the browser driver needs (URL, token, ids) as JSON to the file given, then serves until stdin closes.
 */
public final class DashboardBench {

    static final int COMPARE_RUNS = 100;
    static final int LIVE_RUNS = 10;
    static final List<String> KEYS = List.of("train/loss", "train/accuracy", "test/loss", "test/accuracy");

    public static void main(String[] args) throws Exception {
        int points = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int tableRuns = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        Path out = Path.of(args.length > 2 ? args[2] : "target/dashboard-bench.json");
        String keep = System.getenv("DASHBOARD_BENCH_DB");
        String full = System.getenv("FULL_RUNS");
        int fullRuns = full == null || full.isBlank() ? COMPARE_RUNS : Integer.parseInt(full.strip());
        if (fullRuns < 0 || fullRuns > COMPARE_RUNS) {
            throw new IllegalArgumentException("FULL_RUNS must be 0 to " + COMPARE_RUNS + ", got " + fullRuns);
        }
        KeptDatabase kept = keep == null || keep.isBlank() ? null : new KeptDatabase(keep.strip());
        KeptDatabase.Seeding seeded = kept == null ? null : kept.open(points, tableRuns, fullRuns);
        Map<String, Object> info = new LinkedHashMap<>();
        if (seeded != null) {
            Api.JSON.readTree(seeded.info()).properties().forEach(e -> info.put(e.getKey(), e.getValue()));
        }
        Long seededProject = seeded == null ? null : ((tools.jackson.databind.JsonNode) info.get("project")).longValue();
        try (BenchPlatform platform = kept == null ? new BenchPlatform()
                : new BenchPlatform(kept.coordinates(), seededProject)) {
            Api api = platform.api;
            if (seeded == null) {
                seed(platform, points, fullRuns, tableRuns, info);
                if (kept != null) {
                    kept.finished(Api.JSON.writeValueAsString(info));
                }
            }
            vacuum(platform);
            // new live runs every time: the live test's points must be new to be streamed
            // (experiment names are unique in a project: a kept database has the earlier runs' live experiments)
            long liveExperiment = experiment(platform, platform.project, "live-" + System.currentTimeMillis());
            List<Long> live = new ArrayList<>();
            for (int i = 0; i < LIVE_RUNS; i++) {
                live.add(run(platform, platform.project, liveExperiment, "live-" + i, 0.001 * (i + 1), 64));
            }
            info.put("url", "http://127.0.0.1:"
                    + ((WebServerApplicationContext) platform.app).getWebServer().getPort());
            info.put("token", platform.token);
            info.put("liveExperiment", liveExperiment);
            info.put("liveRuns", live);
            info.put("machine", BenchPlatform.machine());
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.writeString(out, Api.JSON.writeValueAsString(info));
            System.out.println("ready: " + out);
            while (System.in.read() >= 0) {
                // serve until the driver closes stdin
            }
        }
    }

    /** The compare runs' series and the runs table; what finds them again goes into {@code info}. */
    private static void seed(BenchPlatform platform, int points, int fullRuns, int tableRuns, Map<String, Object> info)
            throws Exception {
        Api api = platform.api;
        long compareExperiment = experiment(platform, platform.project, "compare");
        List<Long> compare = new ArrayList<>();
        for (int i = 0; i < COMPARE_RUNS; i++) {
            double lr = Math.pow(10, -4 + 3.0 * i / COMPARE_RUNS);
            compare.add(run(platform, platform.project, compareExperiment, "compare-" + i, lr, 32 << (i % 4)));
        }
        long t0 = System.nanoTime();
        seedSeries(platform, compare.subList(0, fullRuns), points);
        seedSeries(platform, compare.subList(fullRuns, COMPARE_RUNS), points / 10);
        System.out.printf(Locale.ROOT, "seeded %d runs x %d keys x %,d points and %d runs x %d keys x %,d points"
                + " in %.0f s%n", fullRuns, KEYS.size(), points, COMPARE_RUNS - fullRuns, KEYS.size(), points / 10,
                (System.nanoTime() - t0) / 1e9);
        info.put("fullRuns", fullRuns);

        long tableProject = api.post("/api/v1/projects", platform.token, Map.of("name", "table")).json().get("id")
                .longValue();
        long user = platform.bean(UserRepository.class).findByUsername("bench").orElseThrow().getId();
        t0 = System.nanoTime();
        RunsListBench.seed(platform.bean(JdbcClient.class), tableProject, user, tableRuns);
        System.out.printf(Locale.ROOT, "seeded %,d runs for the runs table in %.0f s%n", tableRuns,
                (System.nanoTime() - t0) / 1e9);
        info.put("project", platform.project);
        info.put("compareRuns", compare);
        info.put("keys", KEYS);
        info.put("points", points);
        info.put("tableProject", tableProject);
        info.put("tableRuns", tableRuns);
    }

    /**
     * VACUUM (ANALYZE) the metric tables, after seeding and on a kept database too (a migration since the seeding,
     * as V17's backfill, writes rows): series queries read metric_rollups by index-only scans, which read the table
     * for every row on a page that the visibility map does not mark all-visible, that is, written since the last
     * vacuum. Production has autovacuum for this (V17 sets it to run after 2% of the table changed); a freshly
     * seeded database has not been vacuumed yet, and this machine's PostgreSQL runs with autovacuum off. Cheap when
     * nothing changed: a vacuum skips the all-visible pages.
     */
    private static void vacuum(BenchPlatform platform) {
        JdbcClient jdbc = platform.bean(JdbcClient.class);
        long t0 = System.nanoTime();
        for (String table : List.of("metric_points", "metric_rollups", "run_metric_summaries")) {
            jdbc.sql("VACUUM (ANALYZE) " + table).update();
        }
        System.out.printf(Locale.ROOT, "vacuumed the metric tables in %.0f s%n", (System.nanoTime() - t0) / 1e9);
    }

    private static long experiment(BenchPlatform platform, long project, String name) {
        return platform.api.post("/api/v1/projects/" + project + "/experiments", platform.token, Map.of("name", name))
                .json().get("id").longValue();
    }

    /** A run no worker will lease (there is none), with params from its spec and explicit ones. */
    private static long run(BenchPlatform platform, long project, long experiment, String name, double lr, int batch) {
        Map<String, Object> spec = Specs.spec("adam", lr, 1, List.of(256));
        spec.put("batchSize", batch);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("experimentId", experiment);
        body.put("spec", spec);
        body.put("params", Map.of("lr", lr, "batch", batch));
        Api.Response r = platform.api.post("/api/v1/projects/" + project + "/runs", platform.token, body);
        if (r.status() != 201) {
            throw new IllegalStateException("cannot submit a run: " + r);
        }
        return r.json().get("id").longValue();
    }

    /** Every run's 4 keys, POINTS steps each, in batches of 10,000 through MetricService, on two threads. */
    private static void seedSeries(BenchPlatform platform, List<Long> runs, int points) throws Exception {
        MetricService service = platform.bean(MetricService.class);
        RunRefs refs = platform.bean(RunRefs.class);
        AtomicLong done = new AtomicLong();
        long total = (long) runs.size() * KEYS.size() * points;
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            List<Future<?>> jobs = new ArrayList<>();
            for (long runId : runs) {
                jobs.add(pool.submit(() -> {
                    RunRef run = refs.require(platform.project, runId);
                    Random random = new Random(runId);
                    for (int k = 0; k < KEYS.size(); k++) {
                        String key = KEYS.get(k);
                        double scale = 1 + (runId % 7) / 7.0;
                        for (int from = 0; from < points; from += 10_000) {
                            int n = Math.min(10_000, points - from);
                            long[] steps = new long[n];
                            double[] values = new double[n];
                            for (int i = 0; i < n; i++) {
                                int step = from + i;
                                steps[i] = step;
                                double progress = step / (double) points;
                                double v = key.endsWith("loss") ? scale * Math.exp(-3 * progress) + 0.05
                                        : 1 - 0.9 * Math.exp(-3 * progress) / scale;
                                values[i] = v + random.nextGaussian() * 0.01 + (random.nextInt(200_000) == 0 ? 5 : 0);
                            }
                            service.ingest(run, MetricBatch.of(Collections.nCopies(n, key), steps, values));
                            long d = done.addAndGet(n);
                            if (d % 10_000_000 < n) {
                                System.out.printf(Locale.ROOT, "  %,d of %,d points%n", d, total);
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : jobs) {
                f.get();
            }
        }
    }
}
