package dev.trainyard.worker.training;

import dev.trainyard.engine.Generator;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.data.Batch;
import dev.trainyard.engine.data.DataLoader;
import dev.trainyard.engine.data.TensorDataset;
import dev.trainyard.engine.nn.Sequential;
import dev.trainyard.engine.optim.Optimizer;
import dev.trainyard.spec.RunSpec;
import dev.trainyard.spec.RunSpecs;

import java.time.Duration;
import java.util.Iterator;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Trains throwaway models on random data on a background thread, so that the JIT compiles the engine's kernels before
 * a worker's first run needs them: until C2 has compiled them, the Vector API kernels run boxed in the interpreter and
 * C1, and a fresh JVM's first Fashion-MNIST mlp epoch costs about four steady ones. Every run of a worker shares its
 * JVM, so this is paid once per worker process; the warm-up moves it into the time the worker waits for its first
 * lease.
 *
 * <p>The models are the built-in mlp and cnn at the Fashion-MNIST shapes (batch 64, Adam, cross entropy), built by
 * {@link ModelFactory} and fed by the engine's {@link DataLoader} from a {@link TensorDataset}, as a run of in-memory
 * images is: the same layers, GEMM paths and batch gather. Everything random comes from a generator of the warm-up's
 * own, bound as its thread's default, so no run's initial weights, sample order or results change.
 *
 * <p>It takes rounds of one mlp epoch (8 steps) and one cnn step, and stops after {@code maxSteps} steps or at
 * {@link #stop}, which takes effect between steps and does not wait; then it reports one line, e.g. {@code warmed the
 * engine's kernels: 450 steps in 15.8 s} or {@code warming the engine's kernels stopped after 12 steps in 1.4 s: run 7
 * leased}.
 */
public final class KernelWarmup {
    private static final int EXAMPLES = 512;
    private static final int BATCH = 64;
    private static final int[] IMAGES = {EXAMPLES, 1, 28, 28};
    private static final int CLASSES = 10;

    private final Thread thread;
    private final int maxSteps;
    private final Consumer<String> report;
    private volatile String stopReason;
    private volatile int steps;

    private KernelWarmup(int maxSteps, Consumer<String> report) {
        this.maxSteps = maxSteps;
        this.report = report;
        this.thread = Thread.ofPlatform().name("kernel-warmup").daemon().unstarted(
                () -> Generator.withDefault(new Generator(), this::warm));
    }

    /** Starts warming on a daemon thread named {@code kernel-warmup}; {@code report} gets the closing line. */
    public static KernelWarmup start(int maxSteps, Consumer<String> report) {
        KernelWarmup warmup = new KernelWarmup(maxSteps, report);
        warmup.thread.start();
        return warmup;
    }

    /** Stops before the next step, giving {@code reason} in the report; returns at once. */
    public void stop(String reason) {
        if (stopReason == null) {
            stopReason = reason;
        }
    }

    /** Training steps done so far. */
    public int steps() {
        return steps;
    }

    /** Waits up to {@code timeout} for the warm-up to end; whether it has. */
    public boolean awaitEnd(Duration timeout) throws InterruptedException {
        return thread.join(timeout);
    }

    private Void warm() {
        long start = System.nanoTime();
        try {
            Workload mlp = new Workload("mlp");
            Workload cnn = null;
            while (going()) {
                for (int i = 0; i < EXAMPLES / BATCH && going(); i++) {
                    mlp.step();
                }
                if (going()) {
                    cnn = cnn == null ? new Workload("cnn") : cnn;
                    cnn.step();
                }
            }
        } catch (RuntimeException e) {
            report.accept("warming the engine's kernels failed after " + steps + " steps: " + e);
            return null;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        report.accept(stopReason == null
                ? String.format(Locale.ROOT, "warmed the engine's kernels: %d steps in %.1f s", steps, seconds)
                : String.format(Locale.ROOT, "warming the engine's kernels stopped after %d steps in %.1f s: %s", steps,
                        seconds, stopReason));
        return null;
    }

    private boolean going() {
        return steps < maxSteps && stopReason == null;
    }

    /** A built-in model training on random images as a run's step does (Trainer's loop without its bookkeeping). */
    private final class Workload {
        private final Sequential model;
        private final Objective objective;
        private final Optimizer optimizer;
        private final DataLoader<Batch> loader;
        private Iterator<Batch> batches;

        Workload(String builtin) {
            RunSpec spec = RunSpecs.parse("""
                    {"dataset": {"name": "fashion-mnist"}, "model": {"builtin": "%s"},
                     "optimizer": {"type": "adam", "lr": 0.001}, "batchSize": %d, "maxSteps": 1}""".formatted(builtin, BATCH));
            objective = Objective.create(spec.loss(), CLASSES);
            model = ModelFactory.build(spec.model(), new int[] {1, 28, 28}, objective.outputs()).module();
            optimizer = Optimizers.create(spec.optimizer(), model.parameters());
            loader = DataLoader.builder(new TensorDataset(Tensor.rand(IMAGES), Tensor.randint(0, CLASSES, EXAMPLES)))
                    .batchSize(BATCH).shuffle(true).generator(Generator.defaultGenerator()).build();
            model.train();
        }

        void step() {
            if (batches == null || !batches.hasNext()) {
                batches = loader.iterator();
            }
            Batch batch = batches.next();
            optimizer.zeroGrad();
            Tensor loss = objective.loss(model.call(batch.x()), batch.y());
            loss.item();
            loss.backward();
            optimizer.step();
            steps++;
        }
    }
}
