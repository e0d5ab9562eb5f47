package dev.trainyard.engine.examples;

import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.backend.ConvGeometry;
import dev.trainyard.engine.backend.FloatBuffers;
import dev.trainyard.engine.backend.Kernels;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * Not a test: process CPU microseconds per call of the max-pool kernels (forward, and backward into an array given
 * back after each call, as the cnn's conv backward does) on the Fashion-MNIST cnn's shapes: [64, 32,
 * 26, 26] and [64, 64, 11, 11], 2 x 2 windows at stride 2. Uses only the public Kernels seam, so it also runs against
 * an older engine jar.
 * Run: java --add-modules jdk.incubator.vector -cp engine/target/classes:engine/target/test-classes \
 * dev.trainyard.engine.examples.MaxPoolBench [calls per shape] [repeats]
 */
public final class MaxPoolBench {
    private MaxPoolBench() {
    }

    public static void main(String[] args) {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Tensor.manualSeed(0);
        int[][] shapes = {{64, 32, 26, 26}, {64, 64, 11, 11}};
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        for (int r = -1; r < repeats; r++) {
            StringBuilder line = new StringBuilder(r < 0 ? "warmup:" : "run " + r + ":");
            for (int[] shape : shapes) {
                Tensor x = Tensor.randn(shape).relu();
                ConvGeometry g = new ConvGeometry(shape[2], shape[3], 2, 2, 2, 2, 0, 0, 1, 1);
                Kernels k = x.device().kernels();
                Tensor[] pooled = k.maxPool2d(x, g);
                Tensor grad = Tensor.randn(pooled[0].shape());
                long cpu = os.getProcessCpuTime();
                for (int i = 0; i < calls; i++) {
                    // both arrays back, as the node gives them once its graph is freed: a fresh 5.5 MB output per
                    // call made the forward's CPU the page faults of a growing heap (0.5-3.3 ms for the same work)
                    FloatBuffers.giveBack(pooled[0].storage().floats());
                    giveBackPositions(pooled[1]);
                    pooled = k.maxPool2d(x, g);
                }
                double forward = (os.getProcessCpuTime() - cpu) / 1e3 / calls;
                cpu = os.getProcessCpuTime();
                for (int i = 0; i < calls; i++) {
                    Tensor gradInput = k.maxPool2dBackward(grad, pooled[1], g, shape);
                    FloatBuffers.giveBack(gradInput.storage().floats());
                }
                double backward = (os.getProcessCpuTime() - cpu) / 1e3 / calls;
                line.append(String.format(Locale.ROOT, "  %dx%d fwd %.0f us, bwd %.0f us;", shape[2], shape[3], forward, backward));
            }
            System.out.println(line);
        }
    }

    /** As the max-pool node does once its graph is freed (an older engine has no IntBuffers: nothing to give back). */
    private static void giveBackPositions(Tensor positions) {
        try {
            // by name, so that this class compiles against an engine jar without IntBuffers
            Class.forName("dev.trainyard.engine.backend.IntBuffers").getMethod("giveBack", int[].class)
                    .invoke(null, (Object) positions.storage().ints());
        } catch (ClassNotFoundException e) {
            // an older engine: its positions were a new array
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
