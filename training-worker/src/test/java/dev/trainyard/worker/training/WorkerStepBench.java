package dev.trainyard.worker.training;

import dev.trainyard.engine.Generator;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.data.Batch;
import dev.trainyard.engine.data.DataLoader;
import dev.trainyard.engine.data.Sample;
import dev.trainyard.engine.nn.Sequential;
import dev.trainyard.engine.optim.Optimizer;
import dev.trainyard.spec.RunSpec;
import dev.trainyard.spec.RunSpecs;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Not a test: what a training step costs on the worker's path against bench/fashion-mnist's, for the same model on
 * the full Fashion-MNIST training set (batch 64, Adam 1e-3). Reports process and training-thread CPU microseconds and bytes allocated by
 * all threads per step, over {@code steps} steps after as many warm-up steps:
 * <ul>
 *   <li>{@code trainer}: {@link Trainer#run()} as the worker runs it (DataLoader, collate, logging every 100 steps),
 *       measured between two {@code onStep} callbacks, so start-up and the final evaluation are left out;</li>
 *   <li>{@code loader}: only the Trainer's DataLoader over the run's training data (the data's share of a step);</li>
 *   <li>{@code gather}: the same model, loss and optimizer fed as the bench feeds them, {@code indexSelect} of a
 *       shuffled order from one float tensor of all images.</li>
 * </ul>
 * Run: {@code source bench/lib/worker-classpath.sh} (builds what is stale), then {@code java --add-modules
 * jdk.incubator.vector -cp "$WORKER_CLASSPATH" dev.trainyard.worker.training.WorkerStepBench mlp|cnn
 * trainer|loader|gather|load 500}.
 */
public final class WorkerStepBench {
    private static final Path DATA = Path.of("/usr/share/datasets");
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private WorkerStepBench() {
    }

    /** The bench's Fashion-MNIST run: the built-in {@code model}, Adam, batch 64, until {@code stop} (a spec line). */
    static RunSpec benchSpec(String model, String stop) {
        return RunSpecs.parse("""
                seed: 0
                dataset: {name: fashion-mnist}
                model: {builtin: %s}
                optimizer: {type: adam, lr: 0.001}
                batchSize: 64
                %s
                metrics: [accuracy]
                logging: {everySteps: 100}
                """.formatted(model, stop));
    }

    public static void main(String[] args) throws Exception {
        String model = args[0];
        String mode = args[1];
        int steps = Integer.parseInt(args[2]);
        RunSpec spec = benchSpec(model, "maxSteps: " + 2L * steps);
        if (mode.equals("load")) {
            load(spec);
            return;
        }
        Path runDir = Files.createTempDirectory("worker-step-bench");
        var window = new Window(steps);
        Trainer trainer = new Trainer(spec, TrainerOptions.of(DATA, runDir), window);
        switch (mode) {
            case "trainer" -> trainer.run();
            case "loader" -> loader(trainer, window, 2 * steps);
            case "gather" -> gather(spec, trainer, window, 2 * steps);
            default -> throw new IllegalArgumentException("mode: trainer, loader, gather or load");
        }
        window.print(model + " " + mode);
    }

    /** Marks the start and end of the measured steps from the training thread's {@code onStep}. */
    private static final class Window implements TrainingListener {
        private final int warmup;
        private int seen;
        private long cpu;
        private long threadCpu;
        private long bytes;

        Window(int warmup) {
            this.warmup = warmup;
        }

        @Override
        public void onStep(int samples) {
            seen++;
            if (seen == warmup) {
                cpu = OS.getProcessCpuTime();
                threadCpu = THREADS.getCurrentThreadCpuTime();
                bytes = THREADS.getTotalThreadAllocatedBytes();
            } else if (seen == 2 * warmup) {
                cpu = OS.getProcessCpuTime() - cpu;
                threadCpu = THREADS.getCurrentThreadCpuTime() - threadCpu;
                bytes = THREADS.getTotalThreadAllocatedBytes() - bytes;
            }
        }

        @Override
        public void onLog(String line) {
            if (line.contains("evaluated")) {
                System.out.println(line.substring(line.indexOf("(evaluated")));   // wall time of the full test split
            }
        }

        void print(String what) {
            System.out.printf(Locale.ROOT, "%s: %.0f us/step process cpu, %.0f us/step training thread cpu, %.3f MB/step "
                    + "allocated (%d steps)%n", what, cpu / 1e3 / warmup, threadCpu / 1e3 / warmup, bytes / 1e6 / warmup, warmup);
        }
    }

    /** The CPU and bytes of reading the data, and of keeping its deterministic splits in memory, {@code steps} times. */
    private static void load(RunSpec spec) throws Exception {
        for (int r = 0; r < 5; r++) {
            long cpu = THREADS.getCurrentThreadCpuTime();
            long bytes = THREADS.getCurrentThreadAllocatedBytes();
            TrainingData data = DatasetFactory.load(spec.dataset(), DATA, ArtifactResolver.inDirectory(DATA));
            long readCpu = THREADS.getCurrentThreadCpuTime() - cpu;
            long readBytes = THREADS.getCurrentThreadAllocatedBytes() - bytes;
            data.inMemory();
            System.out.printf(Locale.ROOT, "load: read %.0f ms cpu, %.0f MB; inMemory %.0f ms cpu, %.0f MB%n", readCpu / 1e6,
                    readBytes / 1e6, (THREADS.getCurrentThreadCpuTime() - cpu - readCpu) / 1e6,
                    (THREADS.getCurrentThreadAllocatedBytes() - bytes - readBytes) / 1e6);
        }
    }

    private static void loader(Trainer trainer, Window window, int steps) {
        var loader = DataLoader.builder(trainer.data().train()).batchSize(64).shuffle(true)
                .generator(new Generator().manualSeed(1)).build();
        long sink = 0;
        while (window.seen < steps) {
            var it = loader.iterator();
            while (it.hasNext() && window.seen < steps) {
                Batch b = it.next();
                sink += b.y().numel();
                window.onStep(b.batchSize());
            }
        }
        if (sink == 42) {
            System.out.println();
        }
    }

    private static void gather(RunSpec spec, Trainer trainer, Window window, int steps) {
        var train = trainer.data().train();
        List<Sample> all = new java.util.ArrayList<>(train.size());
        for (int i = 0; i < train.size(); i++) {
            all.add(train.get(i));
        }
        Batch whole = dev.trainyard.engine.data.Collate.stack(all);
        all = null;
        Sequential model = trainer.model().module();
        Objective objective = Objective.create(spec.loss(), trainer.data().numClasses());
        Optimizer optimizer = Optimizers.create(spec.optimizer(), model.parameters());
        Generator order = new Generator().manualSeed(1);
        int n = train.size();
        model.train();
        while (window.seen < steps) {
            Tensor perm = Tensor.randperm(n, order);
            for (int start = 0; start + 64 <= n && window.seen < steps; start += 64) {
                Tensor idx = perm.slice(0, start, start + 64);
                optimizer.zeroGrad();
                Tensor loss = objective.loss(model.call(whole.x().indexSelect(0, idx)), whole.y().indexSelect(0, idx));
                loss.item();
                loss.backward();
                optimizer.step();
                window.onStep(64);
            }
        }
    }
}
