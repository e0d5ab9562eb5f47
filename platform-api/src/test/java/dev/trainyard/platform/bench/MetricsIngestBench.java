package dev.trainyard.platform.bench;

import dev.trainyard.platform.metrics.MetricBatch;
import dev.trainyard.platform.metrics.MetricService;
import dev.trainyard.platform.runs.RunRef;
import dev.trainyard.platform.runs.RunRefs;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * bench/metrics-ingest: W writers (default 8), each logging its own run, send batches of 10,000 points (10 keys x
 * 1,000 steps, with a time each) as fast as they can for S seconds (default 60) after a 10-second warm-up, and
 * the points stored per second are printed with the batch latencies.
 *
 * <p>Mode {@code http} (default) posts JSON to a running platform over HTTP: the whole path, request parsing
 * included, with the writers, the server and PostgreSQL sharing this machine's cores. Mode {@code service} calls
 * {@link MetricService} in the same JVM: the storage path alone.
 */
public final class MetricsIngestBench {

    static final String[] KEYS = {"train/loss", "train/acc", "train/lr", "train/grad_norm", "train/throughput",
        "val/loss", "val/acc", "val/f1", "sys/gpu_util", "sys/mem_used"};
    static final int STEPS_PER_BATCH = 1_000;

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "http";
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        int writers = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        int warmup = Math.min(10, seconds);
        try (BenchPlatform platform = new BenchPlatform()) {
            long[] runs = new long[writers];
            for (int w = 0; w < writers; w++) {
                runs[w] = platform.newRun("ingest-" + w);
            }
            AtomicLong stored = new AtomicLong();
            List<Long> latencies = new ArrayList<>();
            long start = System.nanoTime();
            long measureFrom = start + warmup * 1_000_000_000L;
            long end = measureFrom + seconds * 1_000_000_000L;
            AtomicLong measuredPoints = new AtomicLong();
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                long run = runs[w];
                threads.add(Thread.ofPlatform().name("writer-" + w).start(() -> {
                    Writer writer = mode.equals("service") ? new ServiceWriter(platform, run) : new HttpWriter(platform, run);
                    long step = 0;
                    while (true) {
                        long t0 = System.nanoTime();
                        if (t0 >= end) {
                            break;
                        }
                        int inserted = writer.send(step);
                        long t1 = System.nanoTime();
                        step += STEPS_PER_BATCH;
                        stored.addAndGet(inserted);
                        if (t0 >= measureFrom && t1 <= end) {
                            measuredPoints.addAndGet(inserted);
                            synchronized (latencies) {
                                latencies.add(t1 - t0);
                            }
                        }
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
            // points of batches that started and ended inside the measured window, over the window
            double rate = measuredPoints.get() / (double) seconds;
            System.out.printf(Locale.ROOT, "metrics-ingest (%s, %d writers, batches of %,d points = %d keys x %,d "
                            + "steps): %,.0f points/s over %d s; batch latency p50 %d ms, p95 %d ms; %,d points "
                            + "stored in all (%s)%n",
                    mode, writers, KEYS.length * STEPS_PER_BATCH, KEYS.length, STEPS_PER_BATCH, rate, seconds,
                    sorted.length == 0 ? 0 : BenchPlatform.percentile(sorted, 0.5) / 1_000_000,
                    sorted.length == 0 ? 0 : BenchPlatform.percentile(sorted, 0.95) / 1_000_000, stored.get(),
                    BenchPlatform.machine());
            long expected = platform.bean(org.springframework.jdbc.core.simple.JdbcClient.class)
                    .sql("SELECT COUNT(*) FROM metric_points").query(Long.class).single();
            if (expected != stored.get()) {
                throw new IllegalStateException("stored " + stored.get() + " points but the table has " + expected);
            }
        }
        System.exit(0);
    }

    interface Writer {
        int send(long firstStep);
    }

    /** Writes the batch as JSON by hand (cheaply, so the client steals little CPU from the server). */
    static final class HttpWriter implements Writer {
        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        private final BenchPlatform platform;
        private final String path;
        private final double[] state = new double[KEYS.length];

        HttpWriter(BenchPlatform platform, long run) {
            this.platform = platform;
            this.path = "/api/v1/projects/" + platform.project + "/runs/" + run + "/metrics";
            Arrays.fill(state, 1.0);
        }

        @Override
        public int send(long firstStep) {
            StringBuilder sb = new StringBuilder(KEYS.length * STEPS_PER_BATCH * 80);
            sb.append("{\"points\":[");
            double now = System.currentTimeMillis() / 1000.0;
            for (int s = 0; s < STEPS_PER_BATCH; s++) {
                for (int k = 0; k < KEYS.length; k++) {
                    state[k] = state[k] * 0.9999 + 0.0001 * Math.sin(firstStep + s + k);
                    if (s + k > 0) {
                        sb.append(',');
                    }
                    sb.append("{\"key\":\"").append(KEYS[k]).append("\",\"step\":").append(firstStep + s)
                            .append(",\"value\":").append(state[k]).append(",\"time\":").append(now).append('}');
                }
            }
            sb.append("]}");
            HttpRequest request = HttpRequest.newBuilder(platform.api.uri(path))
                    .header("Authorization", "Bearer " + platform.token)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(sb.toString())).build();
            try {
                HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                    throw new IllegalStateException(r.statusCode() + " " + r.body());
                }
                String body = r.body();
                int i = body.indexOf("\"inserted\":") + 11;
                int j = i;
                while (Character.isDigit(body.charAt(j))) {
                    j++;
                }
                return Integer.parseInt(body.substring(i, j));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    static final class ServiceWriter implements Writer {
        private final MetricService service;
        private final RunRef run;
        private final double[] state = new double[KEYS.length];

        ServiceWriter(BenchPlatform platform, long runId) {
            this.service = platform.bean(MetricService.class);
            this.run = platform.bean(RunRefs.class).require(platform.project, runId);
            Arrays.fill(state, 1.0);
        }

        @Override
        public int send(long firstStep) {
            int n = KEYS.length * STEPS_PER_BATCH;
            List<String> keys = new ArrayList<>(n);
            long[] steps = new long[n];
            double[] values = new double[n];
            int i = 0;
            for (int s = 0; s < STEPS_PER_BATCH; s++) {
                for (int k = 0; k < KEYS.length; k++) {
                    state[k] = state[k] * 0.9999 + 0.0001 * Math.sin(firstStep + s + k);
                    keys.add(KEYS[k]);
                    steps[i] = firstStep + s;
                    values[i++] = state[k];
                }
            }
            return service.ingest(run, MetricBatch.of(keys, steps, values)).inserted();
        }
    }
}
