package dev.trainyard.engine.backend.cpu;

import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.examples.FashionMnistModels;
import dev.trainyard.engine.nn.F;
import dev.trainyard.engine.nn.Module;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code -Djava.util.concurrent.ForkJoinPool.common.parallelism=0} keeps the engine on the calling thread even after
 * JDK 25 has raised the common pool's parallelism to 2 (CompletableFuture's class initializer does): in a child JVM a
 * CNN step, a large product and large elementwise ops start no helper thread and no common-pool worker. With a
 * parallelism of 1 the same work starts one helper, and a helper computes part of a loop.
 */
class OneThreadTest {

    @Test
    void parallelismZeroComputesOnTheCallingThreadOnly() throws Exception {
        String output = runChild("0");
        assertTrue(output.contains("pool parallelism after CompletableFuture: 2"), output);
        assertTrue(output.contains("helpers started: 0"), output);
        assertTrue(output.contains("common-pool workers started: 0"), output);
        assertTrue(output.contains("indexes run off the calling thread: 0"), output);
    }

    @Test
    void parallelismOneComputesOnAWorkerToo() throws Exception {
        String output = runChild("1");
        assertTrue(output.contains("pool parallelism after CompletableFuture: 1"), output);
        assertTrue(output.contains("helpers started: 1"), output);
        assertTrue(output.contains("common-pool workers started: 0"), output);
        assertTrue(!output.contains("indexes run off the calling thread: 0"), output);
    }

    private static String runChild(String parallelism) throws Exception {
        String java = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
        Process child = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector",
                "-Djava.util.concurrent.ForkJoinPool.common.parallelism=" + parallelism,
                "-cp", System.getProperty("java.class.path"), Work.class.getName())
                .redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(120, TimeUnit.SECONDS), "the child JVM did not finish: " + output);
        assertEquals(0, child.exitValue(), output);
        return output;
    }

    /**
     * Run in the child JVM: prints the common pool's parallelism, how many helpers and common-pool workers the engine's
     * work started, and how many indexes of a loop of slow ones ran on another thread than the caller.
     */
    public static final class Work {
        public static void main(String[] args) {
            CompletableFuture.completedFuture(0);
            System.out.println("pool parallelism after CompletableFuture: " + ForkJoinPool.getCommonPoolParallelism());
            Tensor.manualSeed(1);
            Module model = FashionMnistModels.cnn();
            F.crossEntropy(model.call(Tensor.rand(16, 1, 28, 28)), Tensor.randint(0, 10, 16)).backward();
            Tensor a = Tensor.rand(256, 256);
            a.matmul(a).relu().add(a.exp()).sum().item();
            Thread caller = Thread.currentThread();
            java.util.concurrent.atomic.AtomicInteger elsewhere = new java.util.concurrent.atomic.AtomicInteger();
            Parallel.range(64).forEach(i -> {
                long end = System.nanoTime() + 200_000;
                while (System.nanoTime() < end) {
                    Thread.onSpinWait();
                }
                if (Thread.currentThread() != caller) {
                    elsewhere.incrementAndGet();
                }
            });
            System.out.println("helpers started: " + Parallel.helpersStarted());
            System.out.println("common-pool workers started: " + ForkJoinPool.commonPool().getPoolSize());
            System.out.println("indexes run off the calling thread: " + elsewhere.get());
        }
    }
}
