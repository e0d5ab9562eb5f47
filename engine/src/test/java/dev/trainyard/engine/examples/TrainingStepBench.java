package dev.trainyard.engine.examples;

import dev.trainyard.engine.DType;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.nn.F;
import dev.trainyard.engine.nn.Module;
import dev.trainyard.engine.optim.Adam;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * Not a test: times training steps of a FashionMnistBench model on random batches of 64, reporting wall and process
 * CPU milliseconds per step (CPU time is less disturbed by other load on a shared machine), the bytes all threads
 * allocated per step (unaffected by load) and the collectors' milliseconds per step (their pauses, which the process
 * CPU includes on the collector's threads). With {@code gather}, each step's batch is picked as bench/fashion-mnist picks
 * it, {@code indexSelect} of a shuffled order from 60,000 random images and their labels (give the JVM 1 GB of heap);
 * with {@code fashion}, the same from Fashion-MNIST's training images ($FASHION_MNIST_ROOT, default
 * /usr/share/datasets/fashion-mnist). On random images most of the mlp's ReLU units die, and Adam's first moments of
 * their weights stay at subnormal floats (round(0.9 m) = m for m of 4 units in the last place or less), which slow
 * its update several times over: 91% of fc1's moments against 12% on Fashion-MNIST (BENCHMARKS.md, "Session 22").
 * Run: java --add-modules jdk.incubator.vector -cp engine/target/classes:engine/target/test-classes:... \
 * dev.trainyard.engine.examples.TrainingStepBench cnn 200 [repeats] [gather|fashion]
 */
public final class TrainingStepBench {
    private TrainingStepBench() {
    }

    public static void main(String[] args) {
        String name = args[0];
        int steps = Integer.parseInt(args[1]);
        int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        boolean fashion = args.length > 3 && args[3].equals("fashion");
        boolean gather = fashion || args.length > 3 && args[3].equals("gather");
        Tensor.manualSeed(0);
        Module model = FashionMnistModels.byName(name);
        Adam opt = new Adam(model.parameters(), 1e-3);
        int samples = gather ? 60_000 : 64;
        Tensor[] data = fashion ? FashionMnistBench.load(FashionMnistBench.dataRoot(), true)
                : new Tensor[] {Tensor.rand(samples, 1, 28, 28), Tensor.randint(0, 10, samples)};
        Tensor xs = data[0];
        Tensor ys = data[1];
        Tensor order = gather ? Tensor.randperm(samples) : null;
        int next = 0;
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        var collectors = ManagementFactory.getGarbageCollectorMXBeans();
        for (int r = -1; r < repeats; r++) {
            long gc = collectors.stream().mapToLong(c -> c.getCollectionTime()).sum();
            long wall = System.nanoTime();
            long cpu = os.getProcessCpuTime();
            long allocated = threads.getTotalThreadAllocatedBytes();
            for (int i = 0; i < steps; i++) {
                Tensor x = xs;
                Tensor y = ys;
                if (gather) {
                    next = next + 64 > samples ? 0 : next;
                    Tensor idx = order.slice(0, next, next + 64);
                    next += 64;
                    x = xs.indexSelect(0, idx);
                    y = ys.indexSelect(0, idx);
                }
                Tensor loss = F.crossEntropy(model.call(x), y);
                opt.zeroGrad();
                loss.backward();
                opt.step();
            }
            double wallMs = (System.nanoTime() - wall) / 1e6 / steps;
            double cpuMs = (os.getProcessCpuTime() - cpu) / 1e6 / steps;
            double mbPerStep = (threads.getTotalThreadAllocatedBytes() - allocated) / 1e6 / steps;
            double gcMs = (double) (collectors.stream().mapToLong(c -> c.getCollectionTime()).sum() - gc) / steps;
            System.out.printf(Locale.ROOT,
                    "%s %s: %.2f ms/step wall, %.2f ms/step cpu, %.2f MB/step allocated, %.3f ms/step gc (epoch of 938 steps: %.1f s wall)%n",
                    name, r < 0 ? "warmup" : "run " + r, wallMs, cpuMs, mbPerStep, gcMs, wallMs * 938 / 1000);
        }
    }
}
