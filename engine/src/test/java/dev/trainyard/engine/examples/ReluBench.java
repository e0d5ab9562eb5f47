package dev.trainyard.engine.examples;

import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.backend.FloatBuffers;
import dev.trainyard.engine.backend.IntBuffers;
import dev.trainyard.engine.backend.Kernels;
import dev.trainyard.engine.backend.UnaryOp;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * Not a test: process CPU microseconds per call of relu's forward and backward on the cnn's conv1 output
 * ([64, 32, 26, 26]), the backward in place into an owned gradient, alternated in one JVM: from relu's output
 * ({@code unary(RELU)} + {@code reluBackward} without a mask) against from the forward's bit mask
 * ({@code reluWithMask} + {@code reluBackward}). Arrays go back to the caches after each call, as in a training step.
 * It calls only kernels main's engine has too, so its jar can run it for a before/after comparison.
 * Run: java --add-modules jdk.incubator.vector -cp engine/target/classes:engine/target/test-classes \
 * dev.trainyard.engine.examples.ReluBench [calls] [repeats]
 */
public final class ReluBench {
    private ReluBench() {
    }

    public static void main(String[] args) {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Tensor.manualSeed(0);
        Tensor x = Tensor.randn(64, 32, 26, 26);
        Tensor g = Tensor.randn(64, 32, 26, 26);
        Kernels k = x.device().kernels();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        for (int r = -1; r < repeats; r++) {
            long cpu = os.getProcessCpuTime();
            long backward = 0;
            for (int i = 0; i < calls; i++) {
                Tensor y = k.unary(UnaryOp.RELU, x);
                long start = os.getProcessCpuTime();
                k.reluBackward(g, y, null, true);
                backward += os.getProcessCpuTime() - start;
                FloatBuffers.giveBack(y.storage().floats());
            }
            double output = (os.getProcessCpuTime() - cpu) / 1e3 / calls;
            double outputBackward = backward / 1e3 / calls;
            cpu = os.getProcessCpuTime();
            backward = 0;
            for (int i = 0; i < calls; i++) {
                Tensor[] yMask = k.reluWithMask(x);
                long start = os.getProcessCpuTime();
                k.reluBackward(g, yMask[0], yMask[1], true);
                backward += os.getProcessCpuTime() - start;
                FloatBuffers.giveBack(yMask[0].storage().floats());
                IntBuffers.giveBack(yMask[1].storage().ints());
            }
            double mask = (os.getProcessCpuTime() - cpu) / 1e3 / calls;
            double maskBackward = backward / 1e3 / calls;
            System.out.printf(Locale.ROOT, "%s: from the output %.0f us (backward %.0f), bit mask %.0f us (backward %.0f)%n",
                    r < 0 ? "warmup" : "run " + r, output, outputBackward, mask, maskBackward);
        }
    }
}
