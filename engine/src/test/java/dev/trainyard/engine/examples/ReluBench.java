package dev.trainyard.engine.examples;

import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.backend.FloatBuffers;
import dev.trainyard.engine.backend.IntBuffers;
import dev.trainyard.engine.backend.Kernels;
import dev.trainyard.engine.backend.UnaryOp;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * Not a test: process CPU microseconds per call of relu's kernels on the cnn's conv1 output ([64, 32, 26, 26]),
 * alternated in one JVM: the forward with its bit mask ({@code reluWithMask}, arrays given back after each call, as in
 * a training step), the backward in place into an owned gradient from that mask, and the backward from relu's output
 * (no mask, as for a strided input). Each figure is a loop's total over its calls (the process CPU clock ticks in
 * milliseconds). It calls only kernels main's engine has too, so main's jar can run it for a before/after comparison.
 * Run: java --add-modules jdk.incubator.vector -cp engine/target/classes:engine/target/test-classes \
 * dev.trainyard.engine.examples.ReluBench [calls] [repeats]
 */
public final class ReluBench {
    private ReluBench() {
    }

    public static void main(String[] args) {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Tensor.manualSeed(0);
        Tensor x = Tensor.randn(64, 32, 26, 26);
        Tensor g = Tensor.randn(64, 32, 26, 26);
        Kernels k = x.device().kernels();
        Tensor[] yMask = k.reluWithMask(x);
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        for (int r = -1; r < repeats; r++) {
            long cpu = os.getProcessCpuTime();
            for (int i = 0; i < calls; i++) {
                Tensor[] ym = k.reluWithMask(x);
                FloatBuffers.giveBack(ym[0].storage().floats());
                IntBuffers.giveBack(ym[1].storage().ints());
            }
            double forward = (os.getProcessCpuTime() - cpu) / 1e3 / calls;
            cpu = os.getProcessCpuTime();
            for (int i = 0; i < calls; i++) {
                k.reluBackward(g, yMask[0], yMask[1], true);
            }
            double fromMask = (os.getProcessCpuTime() - cpu) / 1e3 / calls;
            cpu = os.getProcessCpuTime();
            for (int i = 0; i < calls; i++) {
                k.reluBackward(g, yMask[0], null, true);
            }
            double fromOutput = (os.getProcessCpuTime() - cpu) / 1e3 / calls;
            System.out.printf(Locale.ROOT, "%s: forward with mask %.1f us, backward from the mask %.1f us, from the output %.1f us%n",
                    r < 0 ? "warmup" : "run " + r, forward, fromMask, fromOutput);
        }
    }
}
