package dev.trainyard.worker.training;

import dev.trainyard.spec.RunSpec;

import java.lang.management.ManagementFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Not a test: a fresh worker's first run, with and without the {@link KernelWarmup} the worker agent starts. In a new
 * JVM it starts the warm-up as the agent does (unless {@code warmUpSteps} is 0), waits {@code idleSeconds} as a worker
 * waits for its first lease, stops the warm-up as a lease does, then trains a full Fashion-MNIST run of {@code model}
 * for {@code epochs} epochs through {@link Trainer} (batch 64, Adam 1e-3, evaluation on the test split after each
 * epoch) and prints, for the time up to the lease, the loading and each epoch's training loop (first step to last,
 * evaluation left out): wall seconds and CPU seconds of the process, the training thread and the JIT's threads, and the
 * JVM's uptime at both ends (to find the span in {@code -Xlog} or JFR output).
 * Run with the worker's JVM flags (see {@code ./trainyard}): {@code source bench/lib/worker-classpath.sh}, then
 * {@code java --add-modules jdk.incubator.vector -XX:+UseParallelGC -XX:MaxNewSize=512m <JIT options> -cp
 * "$WORKER_CLASSPATH" dev.trainyard.worker.training.FirstRunBench mlp 3 450 20}.
 */
public final class FirstRunBench {
    private static final Path DATA = Path.of("/usr/share/datasets");
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private FirstRunBench() {
    }

    public static void main(String[] args) throws Exception {
        String model = args[0];
        int epochs = Integer.parseInt(args[1]);
        int warmUpSteps = Integer.parseInt(args[2]);
        double idleSeconds = Double.parseDouble(args[3]);
        KernelWarmup warmup = warmUpSteps > 0 ? KernelWarmup.start(warmUpSteps, line -> System.out.println("  " + line)) : null;
        Thread.sleep((long) (idleSeconds * 1000));
        Mark lease = Mark.now();
        if (warmup != null) {
            warmup.stop("run 1 leased");
        }
        RunSpec spec = WorkerStepBench.benchSpec(model, "epochs: " + epochs);
        Marks marks = new Marks();
        Trainer trainer = new Trainer(spec, TrainerOptions.of(DATA, Files.createTempDirectory("first-run-bench")), marks);
        int perEpoch = (int) (trainer.totalSteps() / epochs);
        marks.perEpoch = perEpoch;
        trainer.run();
        System.out.printf(Locale.ROOT, "%s warm-up %d idle %.0f s: to the lease process cpu %.2f s (jit %.2f s); "
                        + "loading %s%n", model, warmUpSteps, idleSeconds, lease.cpu, lease.jit,
                marks.starts.getFirst().since(lease));
        for (int e = 0; e < marks.ends.size(); e++) {
            System.out.printf(Locale.ROOT, "  epoch %d: %s%n", e + 1, marks.ends.get(e).since(marks.starts.get(e)));
        }
    }

    /** The epochs' first and last steps, from the training thread. */
    private static final class Marks implements TrainingListener {
        final List<Mark> starts = new ArrayList<>();
        final List<Mark> ends = new ArrayList<>();
        int perEpoch;
        private int steps;

        @Override
        public void onStep(int samples) {
            if (++steps % perEpoch == 0) {
                ends.add(Mark.now());
            }
        }

        @Override
        public void onLog(String line) {
            // the loop starts after "training ..." and, for later epochs, after the evaluation's line
            if (line.startsWith("training") || (line.startsWith("epoch ") && line.contains("evaluated"))) {
                starts.add(Mark.now());
            }
        }
    }

    /** Wall time, the process's CPU, this thread's CPU and the JIT compiler threads' CPU, in seconds. */
    private record Mark(long uptimeMillis, double wall, double cpu, double thread, double jit) {
        static Mark now() {
            return new Mark(ManagementFactory.getRuntimeMXBean().getUptime(), System.nanoTime() / 1e9, OS.getProcessCpuTime() / 1e9,
                    ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() / 1e9, jitSeconds());
        }

        String since(Mark from) {
            return String.format(Locale.ROOT, "wall %.2f s, cpu %.2f s (training thread %.2f, jit %.2f); JVM uptime %d to %d ms",
                    wall - from.wall, cpu - from.cpu, thread - from.thread, jit - from.jit, from.uptimeMillis, uptimeMillis);
        }

        /** The CPU of the threads named C1/C2 CompilerThread, from /proc/self/task (100 ticks a second). */
        private static double jitSeconds() {
            long ticks = 0;
            try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
                for (Path task : (Iterable<Path>) tasks::iterator) {
                    try {
                        String stat = Files.readString(task.resolve("stat"));
                        if (stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).contains("CompilerThre")) {
                            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                            ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                        }
                    } catch (IOException gone) {
                        // the thread ended
                    }
                }
            } catch (IOException e) {
                return 0;
            }
            return ticks / 100.0;
        }
    }
}
