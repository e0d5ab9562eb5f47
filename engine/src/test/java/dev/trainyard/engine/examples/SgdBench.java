package dev.trainyard.engine.examples;

import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.nn.Module;
import dev.trainyard.engine.optim.SGD;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;

/**
 * Not a test: process CPU microseconds per {@code SGD.step()} over a model's float32 parameters (the cnn's or the
 * mlp's) with fixed random gradients, momentum 0.9, Nesterov and weight decay 5e-4, a loop's total over its steps.
 * It uses only the public API, so main's jar can run it for a before/after comparison.
 * Run: java --add-modules jdk.incubator.vector -cp engine/target/classes:engine/target/test-classes \
 * dev.trainyard.engine.examples.SgdBench [cnn|mlp] [steps] [repeats]
 */
public final class SgdBench {
    private SgdBench() {
    }

    public static void main(String[] args) {
        String model = args.length > 0 ? args[0] : "cnn";
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        Tensor.manualSeed(0);
        Module m = FashionMnistModels.byName(model);
        List<Tensor> params = m.parameters();
        long elements = 0;
        for (Tensor p : params) {
            p.setGrad(Tensor.randn(p.shape()).mul(1e-3));
            elements += p.numel();
        }
        SGD opt = new SGD(params, 0.01).momentum(0.9).nesterov(true).weightDecay(5e-4);
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        for (int r = -1; r < repeats; r++) {
            long cpu = os.getProcessCpuTime();
            for (int i = 0; i < steps; i++) {
                opt.step();
            }
            System.out.printf(Locale.ROOT, "%s: %s, %d parameters: %.1f us a step%n", r < 0 ? "warmup" : "run " + r, model,
                    elements, (os.getProcessCpuTime() - cpu) / 1e3 / steps);
        }
    }
}
