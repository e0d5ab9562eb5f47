package dev.trainyard.engine.training;

import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.examples.FashionMnistModels;
import dev.trainyard.engine.nn.F;
import dev.trainyard.engine.nn.Module;
import dev.trainyard.engine.optim.Adam;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A training run's bits do not depend on the machine's core count nor on how many threads the engine uses: a run
 * checkpointed on a 2-core worker must resume bit-exactly on a 1- or 8-core one. Child JVMs under
 * {@code -XX:ActiveProcessorCount} 1, 2 and 4, each with the common pool's parallelism 0 (the calling thread only), 1 and
 * 3, train the Fashion-MNIST cnn and mlp for a few Adam steps on seeded random batches of 64 and print a digest of every
 * parameter's raw float bits and of every step's loss; all nine must print the same. (On 1 core the GEMM once skipped
 * its fixed slices of k, so conv1's weight gradient, 9 x 43264 . 43264 x 32, had other bits than on 2 cores.)
 */
class CoreCountBitsTest {
    private static final int[] CORES = {1, 2, 4};
    private static final int[] PARALLELISM = {0, 1, 3};

    @Test
    void cnnAndMlpTrainToTheSameBitsOnAnyCoreAndThreadCount() throws Exception {
        String java = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
        Map<String, Process> children = new LinkedHashMap<>();
        // all at once: the machine's cores are shared by the children however many each believes it has
        for (int cores : CORES) {
            for (int parallelism : PARALLELISM) {
                List<String> command = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector",
                        "-XX:ActiveProcessorCount=" + cores, "-XX:+UseSerialGC", "-Xmx512m",
                        "-Djava.util.concurrent.ForkJoinPool.common.parallelism=" + parallelism));
                String vector = System.getProperty("trainyard.engine.vector");
                if (vector != null) {
                    command.add("-Dtrainyard.engine.vector=" + vector);
                }
                command.addAll(List.of("-cp", System.getProperty("java.class.path"), Work.class.getName()));
                children.put(cores + " cores, parallelism " + parallelism,
                        new ProcessBuilder(command).redirectErrorStream(true).start());
            }
        }
        Map<String, String> digests = new LinkedHashMap<>();
        for (Map.Entry<String, Process> child : children.entrySet()) {
            Process p = child.getValue();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(300, TimeUnit.SECONDS), child.getKey() + ": the child JVM did not finish: " + output);
            assertEquals(0, p.exitValue(), child.getKey() + ": " + output);
            String digest = output.lines().filter(l -> l.startsWith("cnn ") || l.startsWith("mlp "))
                    .collect(Collectors.joining("; "));
            assertTrue(digest.contains("cnn ") && digest.contains("mlp "), child.getKey() + ": " + output);
            digests.put(child.getKey(), digest);
        }
        String reference = digests.values().iterator().next();
        String table = digests.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                .collect(Collectors.joining("\n"));
        assertTrue(digests.values().stream().allMatch(reference::equals), "the bits depend on the cores or threads:\n" + table);
    }

    /** Run in a child JVM: prints "cnn HEX" and "mlp HEX", digests of each model's bits after a few Adam steps. */
    public static final class Work {
        private static final int STEPS = 3;
        private static final int BATCH = 16;

        public static void main(String[] args) throws Exception {
            for (String name : new String[] {"cnn", "mlp"}) {
                Tensor.manualSeed(3);
                Module model = FashionMnistModels.byName(name);
                Adam opt = new Adam(model.parameters(), 1e-2);
                MessageDigest digest = MessageDigest.getInstance("SHA-256");
                for (int step = 0; step < STEPS; step++) {
                    Tensor x = Tensor.randn(BATCH, 1, 28, 28);
                    Tensor y = Tensor.randint(0, 10, BATCH);
                    Tensor loss = F.crossEntropy(model.call(x), y);
                    opt.zeroGrad();
                    loss.backward();
                    opt.step();
                    add(digest, loss.toFloatArray());
                }
                for (Tensor p : model.parameters()) {
                    add(digest, p.toFloatArray());
                }
                System.out.println(name + " " + HexFormat.of().formatHex(digest.digest()));
            }
        }

        private static void add(MessageDigest digest, float[] values) {
            ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES);
            for (float v : values) {
                bytes.putInt(Float.floatToRawIntBits(v));
            }
            digest.update(bytes.array());
        }
    }
}
