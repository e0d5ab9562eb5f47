package dev.trainyard.engine.examples;

import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.nn.F;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * Not a test: one of the FashionMnist cnn's convolutions, forward and backward (input, weight and bias gradients, as
 * in training; conv1's input needs none), on a batch of 64, reporting process CPU milliseconds per call and bytes
 * allocated per call, in runs after a warm-up.
 * Run: java --add-modules jdk.incubator.vector -cp engine/target/classes:engine/target/test-classes:... \
 * dev.trainyard.engine.examples.ConvStepBench conv1|conv2 REPS [RUNS]
 */
public final class ConvStepBench {
    private ConvStepBench() {
    }

    public static void main(String[] args) {
        boolean first = args[0].equals("conv1");
        int reps = Integer.parseInt(args[1]);
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        Tensor.manualSeed(0);
        Tensor x = first ? Tensor.rand(64, 1, 28, 28) : Tensor.rand(64, 32, 13, 13).requiresGrad_(true);
        Tensor w = (first ? Tensor.randn(32, 1, 3, 3) : Tensor.randn(64, 32, 3, 3)).mul(0.1).requiresGrad_(true);
        Tensor b = Tensor.randn(first ? 32 : 64).requiresGrad_(true);
        Tensor upstream = Tensor.randn(first ? new int[] {64, 32, 26, 26} : new int[] {64, 64, 11, 11});
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int r = -2; r < runs; r++) {
            long cpu = os.getProcessCpuTime();
            long allocated = threads.getTotalThreadAllocatedBytes();
            for (int i = 0; i < reps; i++) {
                w.setGrad(null);
                b.setGrad(null);
                if (!first) {
                    x.setGrad(null);
                }
                F.conv2d(x, w, b).backward(upstream);
            }
            double cpuMs = (os.getProcessCpuTime() - cpu) / 1e6 / reps;
            double mb = (threads.getTotalThreadAllocatedBytes() - allocated) / 1e6 / reps;
            System.out.printf(Locale.ROOT, "%s %s: %.3f ms/call cpu, %.2f MB/call%n", args[0], r < 0 ? "warmup" : "run " + r,
                    cpuMs, mb);
        }
    }
}
