package dev.trainyard.engine.backend.cpu;

import java.util.stream.IntStream;

/**
 * The engine's parallel loops: parallel streams, so on the common pool's workers and the calling thread, unless one
 * thread was asked for with {@code -Djava.util.concurrent.ForkJoinPool.common.parallelism=0}. That property is read
 * here rather than the pool's parallelism because from JDK 25 the pool does not keep a parallelism of 0: the class
 * initializer of {@code CompletableFuture} raises it to 2, and the JVM loads that class on many paths (the first process
 * it starts, {@link CpuCaches}'s {@code getconf} included; HTTP clients); parallel streams then ran on three threads.
 */
public final class Parallel {
    private static final boolean ONE_THREAD =
            "0".equals(System.getProperty("java.util.concurrent.ForkJoinPool.common.parallelism", "").trim());

    private Parallel() {
    }

    /** {@code [0, n)}, parallel unless one thread was asked for. */
    public static IntStream range(int n) {
        return when(true, n);
    }

    /** {@code [0, n)}, parallel when {@code worthIt} and more than one thread may compute. */
    public static IntStream when(boolean worthIt, int n) {
        IntStream range = IntStream.range(0, n);
        return worthIt && !ONE_THREAD ? range.parallel() : range;
    }

    /** Whether the engine's loops run on the calling thread only. */
    public static boolean oneThread() {
        return ONE_THREAD;
    }
}
