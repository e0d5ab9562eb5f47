package dev.trainyard.engine.examples;

import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.nn.Module;
import dev.trainyard.engine.optim.Adagrad;
import dev.trainyard.engine.optim.Adam;
import dev.trainyard.engine.optim.Optimizer;
import dev.trainyard.engine.optim.RMSprop;
import dev.trainyard.engine.optim.SGD;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;

/**
 * Not a test: process CPU microseconds per {@code step()} of one optimizer over a model's float32 parameters (the
 * mlp's or the cnn's) with fixed random gradients, a loop's total over its steps. {@code sgd} is SGD with momentum
 * 0.9, Nesterov and weight decay 5e-4 (what SgdBench ran before session 13); {@code rmsprop} is the default RMSprop, {@code rmsprop-all} adds weight decay, momentum and centering;
 * {@code adagrad} is the default Adagrad, {@code adagrad-all} adds lr decay, weight decay and an initial accumulator;
 * {@code adam} is Adam's default. It uses only the public API, so main's jar can run it for a before/after comparison.
 * Run: java --add-modules jdk.incubator.vector -cp engine/target/classes:engine/target/test-classes \
 * dev.trainyard.engine.examples.OptimizerStepBench sgd|rmsprop|rmsprop-all|adagrad|adagrad-all|adam [mlp|cnn] [steps] [repeats]
 */
public final class OptimizerStepBench {
    private OptimizerStepBench() {
    }

    public static void main(String[] args) {
        String optimizer = args[0];
        String model = args.length > 1 ? args[1] : "mlp";
        int steps = args.length > 2 ? Integer.parseInt(args[2]) : 2000;
        int repeats = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        Tensor.manualSeed(0);
        Module m = FashionMnistModels.byName(model);
        List<Tensor> params = m.parameters();
        long elements = 0;
        for (Tensor p : params) {
            p.setGrad(Tensor.randn(p.shape()).mul(1e-3));
            elements += p.numel();
        }
        Optimizer opt = switch (optimizer) {
            case "sgd" -> new SGD(params, 0.01).momentum(0.9).nesterov(true).weightDecay(5e-4);
            case "rmsprop" -> new RMSprop(params, 1e-3);
            case "rmsprop-all" -> new RMSprop(params, 1e-3).weightDecay(5e-4).momentum(0.9).centered(true);
            case "adagrad" -> new Adagrad(params, 1e-2);
            case "adagrad-all" -> new Adagrad(params, 1e-2).lrDecay(1e-3).weightDecay(5e-4).initialAccumulatorValue(0.1);
            case "adam" -> new Adam(params, 1e-3);
            default -> throw new IllegalArgumentException("unknown optimizer " + optimizer
                    + " (sgd, rmsprop, rmsprop-all, adagrad, adagrad-all, adam)");
        };
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        for (int r = -1; r < repeats; r++) {
            long cpu = os.getProcessCpuTime();
            for (int i = 0; i < steps; i++) {
                opt.step();
            }
            System.out.printf(Locale.ROOT, "%s: %s %s, %d parameters: %.1f us a step%n", r < 0 ? "warmup" : "run " + r,
                    optimizer, model, elements, (os.getProcessCpuTime() - cpu) / 1e3 / steps);
        }
    }
}
