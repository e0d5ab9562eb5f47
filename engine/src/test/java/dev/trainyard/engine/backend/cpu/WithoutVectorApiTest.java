package dev.trainyard.engine.backend.cpu;

import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.examples.FashionMnistModels;
import dev.trainyard.engine.nn.F;
import dev.trainyard.engine.nn.Module;
import dev.trainyard.engine.optim.Adam;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A JVM started without {@code --add-modules jdk.incubator.vector} still runs the engine, on its plain Java kernels,
 * says so once, and computes what the Vector API kernels compute: a training step of the benchmark CNN (convolution,
 * pooling, relu, linear layers, cross-entropy, their gradients and an Adam update) in a child JVM against the same step
 * here.
 */
class WithoutVectorApiTest {

    @Test
    void aJvmWithoutTheVectorApiTrainsOnPlainJavaKernelsWithTheSameResults() throws Exception {
        assertTrue(VectorApi.ENABLED, "the tests run with --add-modules jdk.incubator.vector");
        String java = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), CnnStep.class.getName())
                .redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the child JVM did not finish: " + output);
        assertEquals(0, child.exitValue(), output);
        assertTrue(output.contains("start the JVM with --add-modules jdk.incubator.vector"), output);
        assertTrue(output.contains("vector api: false"), output);

        double[] expected = CnnStep.run();
        double[] got = parse(output);
        assertEquals(expected.length, got.length, output);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], got[i], 1e-4 * Math.abs(expected[i]), "value " + i + " of " + output);
        }
    }

    private static double[] parse(String output) {
        List<Double> values = new ArrayList<>();
        for (String line : output.lines().toList()) {
            if (line.startsWith("value ")) {
                values.add(Double.parseDouble(line.substring("value ".length())));
            }
        }
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** Run in the child JVM: prints whether the Vector API is used, then the step's loss and gradient sums. */
    public static final class CnnStep {
        public static void main(String[] args) throws IOException {
            System.out.println("vector api: " + VectorApi.ENABLED);
            for (double v : run()) {
                System.out.println("value " + String.format(Locale.ROOT, "%.9e", v));
            }
        }

        /**
         * The loss of one forward/backward pass, each parameter's sum of absolute gradients, and each parameter's sum
         * after an Adam step.
         */
        static double[] run() {
            Tensor.manualSeed(3);
            Module model = FashionMnistModels.cnn();
            Tensor x = Tensor.rand(16, 1, 28, 28);
            Tensor y = Tensor.randint(0, 10, 16);
            Tensor loss = F.crossEntropy(model.call(x), y);
            loss.backward();
            List<Double> out = new ArrayList<>(List.of(loss.item()));
            model.parameters().forEach(p -> out.add(p.grad().abs().sum().item()));
            new Adam(model.parameters(), 1e-3).step();
            model.parameters().forEach(p -> out.add(p.sum().item()));
            return out.stream().mapToDouble(Double::doubleValue).toArray();
        }
    }
}
