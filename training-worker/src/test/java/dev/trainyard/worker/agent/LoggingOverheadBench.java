package dev.trainyard.worker.agent;

import com.sun.net.httpserver.HttpServer;
import dev.trainyard.spec.RunSpec;
import dev.trainyard.spec.RunSpecs;
import dev.trainyard.worker.client.PlatformClient;
import dev.trainyard.worker.client.Retry;
import dev.trainyard.worker.training.Trainer;
import dev.trainyard.worker.training.TrainerOptions;
import dev.trainyard.worker.training.TrainingListener;
import dev.trainyard.worker.training.TrainingResult;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * bench/worker-logging-overhead: the same Fashion-MNIST training (metrics every step) with a listener that does
 * nothing and with the worker's platform listener streaming to a local HTTP endpoint that accepts everything;
 * alternating repetitions; prints the median training times and the overhead.
 *
 * <p>Arguments: REPETITIONS (default 5) TRAIN_SUBSET (default 10000) EPOCHS (default 1).
 */
public final class LoggingOverheadBench {

    public static void main(String[] args) throws Exception {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int subset = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int epochs = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        RunSpec spec = RunSpecs.parse("""
                {"seed": 1, "dataset": {"name": "fashion-mnist", "trainSubset": %d, "testSubset": 500},
                 "model": {"builtin": "mlp"}, "optimizer": {"type": "adam", "lr": 0.001}, "batchSize": 64, "epochs": %d,
                 "logging": {"everySteps": 1}}""".formatted(subset, epochs));
        Path dataRoot = Path.of(System.getenv().getOrDefault("TRAINYARD_DATA_ROOT", "/usr/share/datasets"));
        Path work = Files.createTempDirectory("worker-logging-bench");

        AtomicLong requests = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        HttpServer sink = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        sink.setExecutor(Executors.newFixedThreadPool(2));
        sink.createContext("/", ex -> {
            try (ex) {
                bytes.addAndGet(ex.getRequestBody().readAllBytes().length);
                requests.incrementAndGet();
                byte[] ok = "{}".getBytes();
                ex.sendResponseHeaders(200, ok.length);
                ex.getResponseBody().write(ok);
            }
        });
        sink.start();
        PlatformClient client = new PlatformClient(URI.create("http://127.0.0.1:" + sink.getAddress().getPort()), "tyw_bench");

        List<double[]> plain = new ArrayList<>();
        List<double[]> streamed = new ArrayList<>();
        System.out.printf(Locale.ROOT, "worker-logging-overhead: fashion-mnist mlp, %d examples, %d epoch(s), batch 64, "
                + "metrics every step, %d alternating repetitions after a warm-up of each%n", subset, epochs, reps);
        for (int i = -1; i < reps; i++) {
            for (boolean stream : i % 2 == 0 ? new boolean[] {false, true} : new boolean[] {true, false}) {
                double[] s = stream ? timeStreamed(spec, dataRoot, work.resolve("s" + i), client) : time(spec, dataRoot, work.resolve("p" + i), new TrainingListener() {
                });
                if (i >= 0) {
                    (stream ? streamed : plain).add(s);
                    System.out.printf(Locale.ROOT, "  rep %d %-9s %.3f s wall, %.3f s process CPU%n", i + 1,
                            stream ? "platform" : "no-op", s[0], s[1]);
                }
            }
        }
        double a = median(plain, 0);
        double b = median(streamed, 0);
        double ca = median(plain, 1);
        double cb = median(streamed, 1);
        System.out.printf(Locale.ROOT, "median no-op listener %.3f s, platform listener %.3f s: overhead %+.2f%% "
                + "(%d requests, %.1f MB sent)%n", a, b, 100 * (b - a) / a, requests.get(), bytes.get() / 1e6);
        System.out.printf(Locale.ROOT, "median process CPU: no-op listener %.3f s, platform listener %.3f s: %+.2f%% "
                + "(includes the sender thread; the endpoint's own CPU excluded)%n", ca, cb, 100 * (cb - ca) / ca);
        client.close();
        sink.stop(0);
        ((java.util.concurrent.ExecutorService) sink.getExecutor()).shutdownNow();
    }

    private static double[] timeStreamed(RunSpec spec, Path dataRoot, Path dir, PlatformClient client) throws Exception {
        RunOutbox outbox = new RunOutbox(client, "w1", 1, 1, Duration.ofMillis(500), WorkerSettings.DEFAULT_OUTBOX_MAX_ITEMS,
                Retry.standard(), () -> {
        });
        PlatformListener listener = new PlatformListener(1, 1, outbox, dir.resolve("upload"));
        outbox.start();
        double[] s = time(spec, dataRoot, dir, listener);
        if (!outbox.finish(System.nanoTime() + 60_000_000_000L)) {
            throw new IllegalStateException("the outbox did not deliver everything");
        }
        return s;
    }

    /**
     * Wall-clock seconds in Trainer.run() (data loading and model building excluded), and the CPU seconds the process
     * used meanwhile, the sink endpoint's threads not counted.
     */
    private static double[] time(RunSpec spec, Path dataRoot, Path dir, TrainingListener listener) throws Exception {
        Trainer trainer = new Trainer(spec, TrainerOptions.of(dataRoot, dir.resolve("checkpoints")), listener);
        long cpu0 = workerCpuNanos();
        long start = System.nanoTime();
        TrainingResult r = trainer.run();
        double[] s = {(System.nanoTime() - start) / 1e9, 0};
        s[1] = (workerCpuNanos() - cpu0) / 1e9;
        if (r.status() != TrainingResult.Status.COMPLETED) {
            throw new IllegalStateException("training ended " + r.status() + ": " + r.message());
        }
        return s;
    }

    /** The process's CPU time (training, the sender thread, GC, JIT) minus the sink endpoint's threads. */
    private static long workerCpuNanos() {
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long sink = 0;
        for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && (info.getThreadName().startsWith("pool-") || info.getThreadName().startsWith("HTTP-Dispatcher"))) {
                sink += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
            }
        }
        return os.getProcessCpuTime() - sink;
    }

    private static double median(List<double[]> xs, int column) {
        double[] a = xs.stream().mapToDouble(x -> x[column]).toArray();
        Arrays.sort(a);
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }
}
