package dev.trainyard.platform.bench;

import dev.trainyard.platform.auth.Caller;
import dev.trainyard.platform.auth.Scope;
import dev.trainyard.platform.auth.User;
import dev.trainyard.platform.auth.UserRepository;
import dev.trainyard.platform.metrics.MetricBatch;
import dev.trainyard.platform.metrics.MetricService;
import dev.trainyard.platform.runs.RunRef;
import dev.trainyard.platform.runs.RunRefs;
import dev.trainyard.platform.testing.Api;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.LongSupplier;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * bench/metrics-query: seeds one run with a 1,000,000-point series (steps 0 .. 999,999, a noisy decaying loss with
 * spikes, stored through the ingestion path in 100 batches), then times the 1,500-bucket query of the whole range N
 * times (default 200) over HTTP (GET .../metrics/query, JSON included; with the mean time inside the server, from
 * Spring's request metrics), in the service alone and in the service plus JSON serialisation, and zooms on random
 * ranges of 1% to 100% of the series over HTTP; prints p50 and p95 of each.
 */
public final class MetricsQueryBench {

    static final int POINTS = 1_000_000;
    static final int BUCKETS = 1_500;

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        try (BenchPlatform platform = new BenchPlatform()) {
            long runId = platform.newRun("query");
            RunRef run = platform.bean(RunRefs.class).require(platform.project, runId);
            MetricService service = platform.bean(MetricService.class);
            Random random = new Random(1);
            long t0 = System.nanoTime();
            double v = 2.0;
            for (int b = 0; b < POINTS / 10_000; b++) {
                List<String> keys = Collections.nCopies(10_000, "train/loss");
                long[] steps = new long[10_000];
                double[] values = new double[10_000];
                for (int i = 0; i < 10_000; i++) {
                    steps[i] = b * 10_000L + i;
                    v = v * 0.99999 + random.nextGaussian() * 0.001;
                    values[i] = random.nextInt(100_000) == 0 ? v * 50 : v;
                }
                service.ingest(run, MetricBatch.of(keys, steps, values));
            }
            System.out.printf(Locale.ROOT, "seeded %,d points in %.1f s%n", POINTS, (System.nanoTime() - t0) / 1e9);
            JdbcClient jdbc = platform.bean(JdbcClient.class);
            jdbc.sql("ANALYZE metric_points").update();
            jdbc.sql("ANALYZE metric_rollups").update();

            String base = "/api/v1/projects/" + platform.project + "/metrics/query?runs=" + runId
                    + "&keys=train/loss&buckets=" + BUCKETS;
            User user = platform.bean(UserRepository.class).findByUsername("bench").orElseThrow();
            Caller caller = new Caller(user.getId(), "bench", false, 0, Scope.ADMIN);
            Api api = platform.api;
            check(api.get(base, platform.token));

            io.micrometer.core.instrument.MeterRegistry meters = platform.bean(
                    io.micrometer.core.instrument.MeterRegistry.class);
            double before = serverMillis(meters);
            long count = serverCount(meters);
            report("full range, HTTP", n, () -> time(() -> check(api.get(base, platform.token))));
            System.out.printf(Locale.ROOT, "(of which %.1f ms on average inside the server: Spring MVC from the "
                    + "request to the response written)%n", (serverMillis(meters) - before)
                    / (serverCount(meters) - count));
            report("full range, service", n, () -> time(() -> service.query(caller, platform.project,
                    String.valueOf(runId), "train/loss", BUCKETS, null, null, null)));
            tools.jackson.databind.json.JsonMapper json = platform.bean(tools.jackson.databind.json.JsonMapper.class);
            int[] size = new int[1];
            report("full range, service + JSON", n, () -> time(() -> size[0] = json.writeValueAsBytes(service.query(
                    caller, platform.project, String.valueOf(runId), "train/loss", BUCKETS, null, null, null)).length));
            System.out.printf(Locale.ROOT, "(the answer is %,d bytes of JSON)%n", size[0]);
            Random zoom = new Random(2);
            report("random zooms (1% to 100%), HTTP", n, () -> {
                long width = (long) (POINTS * (0.01 + 0.99 * zoom.nextDouble()));
                long from = (long) (zoom.nextDouble() * (POINTS - width));
                return time(() -> check(api.get(base + "&fromStep=" + from + "&toStep=" + (from + width - 1),
                        platform.token)));
            });
        }
        System.exit(0);
    }

    private static io.micrometer.core.instrument.Timer queryTimer(io.micrometer.core.instrument.MeterRegistry m) {
        return m.find("http.server.requests").tag("uri", "/api/v1/projects/{projectId}/metrics/query").timer();
    }

    private static double serverMillis(io.micrometer.core.instrument.MeterRegistry m) {
        var t = queryTimer(m);
        return t == null ? 0 : t.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    private static long serverCount(io.micrometer.core.instrument.MeterRegistry m) {
        var t = queryTimer(m);
        return t == null ? 0 : t.count();
    }

    private static void check(Api.Response r) {
        if (r.status() != 200) {
            throw new IllegalStateException(r.toString());
        }
    }

    private static long time(Runnable r) {
        long t0 = System.nanoTime();
        r.run();
        return System.nanoTime() - t0;
    }

    private static void report(String what, int n, LongSupplier once) {
        for (int i = 0; i < Math.min(20, n); i++) {
            once.getAsLong(); // warm-up
        }
        List<Long> times = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            times.add(once.getAsLong());
        }
        long[] sorted = times.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf(Locale.ROOT, "metrics-query (1,000,000 points -> %,d buckets, %s): p50 %.1f ms, p95 %.1f "
                        + "ms, max %.1f ms over %d queries (%s)%n", BUCKETS, what,
                BenchPlatform.percentile(sorted, 0.5) / 1e6, BenchPlatform.percentile(sorted, 0.95) / 1e6,
                sorted[sorted.length - 1] / 1e6, n, BenchPlatform.machine());
    }
}
