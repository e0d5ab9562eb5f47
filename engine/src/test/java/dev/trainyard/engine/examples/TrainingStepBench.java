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
 * CPU milliseconds per step (CPU time is less disturbed by other load on a shared machine) and the bytes all threads
 * allocated per step (unaffected by load).
 * Run: java --add-modules jdk.incubator.vector -cp engine/target/classes:engine/target/test-classes:... \
 * dev.trainyard.engine.examples.TrainingStepBench cnn 200 [repeats]
 */
public final class TrainingStepBench {
    private TrainingStepBench() {
    }

    public static void main(String[] args) {
        String name = args[0];
        int steps = Integer.parseInt(args[1]);
        int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        Tensor.manualSeed(0);
        Module model = FashionMnistModels.byName(name);
        Adam opt = new Adam(model.parameters(), 1e-3);
        Tensor x = Tensor.rand(64, 1, 28, 28);
        Tensor y = Tensor.randint(0, 10, 64);
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int r = -1; r < repeats; r++) {
            long wall = System.nanoTime();
            long cpu = os.getProcessCpuTime();
            long allocated = threads.getTotalThreadAllocatedBytes();
            for (int i = 0; i < steps; i++) {
                Tensor loss = F.crossEntropy(model.call(x), y);
                opt.zeroGrad();
                loss.backward();
                opt.step();
            }
            double wallMs = (System.nanoTime() - wall) / 1e6 / steps;
            double cpuMs = (os.getProcessCpuTime() - cpu) / 1e6 / steps;
            double mbPerStep = (threads.getTotalThreadAllocatedBytes() - allocated) / 1e6 / steps;
            System.out.printf(Locale.ROOT,
                    "%s %s: %.2f ms/step wall, %.2f ms/step cpu, %.2f MB/step allocated (epoch of 938 steps: %.1f s wall)%n",
                    name, r < 0 ? "warmup" : "run " + r, wallMs, cpuMs, mbPerStep, wallMs * 938 / 1000);
        }
    }
}
