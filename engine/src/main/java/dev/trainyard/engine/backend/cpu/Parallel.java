package dev.trainyard.engine.backend.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * The engine's parallel loops: on the common pool's workers and the calling thread, unless one thread was asked for
 * with {@code -Djava.util.concurrent.ForkJoinPool.common.parallelism=0}. That property is read here rather than the
 * pool's parallelism because from JDK 25 the pool does not keep a parallelism of 0: the class initializer of
 * {@code CompletableFuture} raises it to 2, and the JVM loads that class on many paths (the first process it starts,
 * {@link CpuCaches}'s {@code getconf} included; HTTP clients); parallel streams then ran on three threads.
 *
 * <p>A loop shares its indexes out as they are claimed: the calling thread and one task per worker take the next few
 * from a counter until none are left, so a thread that started late or ran slow tasks takes fewer, and no thread waits
 * while another still has several to run. A parallel stream instead cut the range into four fixed leaves with two
 * threads (a quarter of the work each): a worker woken late for a short loop left the caller one leaf behind (a cnn
 * step: 15 ms of CPU on two cores in 8.5 ms of wall, one core idle for 2 ms), and each leaf cost a task's completion
 * and a wake-up signal. What an index computes does not depend on the thread that runs it, so neither do the bits.
 */
public final class Parallel {
    private static final boolean ONE_THREAD =
            "0".equals(System.getProperty("java.util.concurrent.ForkJoinPool.common.parallelism", "").trim());
    /** Claims per thread, about: a finer split evens out the threads' ends, each claim costs a contended increment. */
    private static final int CLAIMS_PER_THREAD = 8;

    private Parallel() {
    }

    /** {@code [0, n)}, parallel unless one thread was asked for. */
    public static Loop range(int n) {
        return when(true, n);
    }

    /** {@code [0, n)}, parallel when {@code worthIt} and more than one thread may compute. */
    public static Loop when(boolean worthIt, int n) {
        return new Loop(n, worthIt && !ONE_THREAD && n > 1);
    }

    /** Whether the engine's loops run on the calling thread only. */
    public static boolean oneThread() {
        return ONE_THREAD;
    }

    /** The indexes {@code [0, n)} of a loop, run in no particular order (on several threads when parallel). */
    public static final class Loop {
        private final int n;
        private final boolean parallel;

        private Loop(int n, boolean parallel) {
            this.n = n;
            this.parallel = parallel;
        }

        /** Runs {@code body} once for every index; returns when all have run. */
        public void forEach(IntConsumer body) {
            run(body, 0);
        }

        /**
         * As {@link #forEach}, each thread claiming one index at a time, in increasing order: a body may wait for a
         * lower index to be done, since a running thread holds it (the lowest index not done never waits).
         */
        public void forEachInOrder(IntConsumer body) {
            run(body, 1);
        }

        private void run(IntConsumer body, int grain) {
            int helpers = parallel ? Math.min(n - 1, ForkJoinPool.getCommonPoolParallelism()) : 0;
            if (helpers < 1) {
                for (int i = 0; i < n; i++) {
                    body.accept(i);
                }
                return;
            }
            int claim = grain > 0 ? grain : Math.max(1, n / ((helpers + 1) * CLAIMS_PER_THREAD));
            Claims claims = new Claims(n, claim, body);
            Helper[] tasks = new Helper[helpers];
            for (int h = 0; h < helpers; h++) {
                tasks[h] = new Helper(claims);
                tasks[h].fork();
            }
            Throwable failed = null;
            try {
                claims.run();
            } catch (RuntimeException | Error e) {
                claims.stop();
                failed = e;
            }
            for (Helper task : tasks) {
                // a helper no worker has started yet is run here, finding nothing left to claim
                try {
                    task.join();
                } catch (RuntimeException | Error e) {
                    if (failed == null) {
                        failed = e;
                    }
                }
            }
            if (failed instanceof RuntimeException e) {
                throw e;
            }
            if (failed != null) {
                throw (Error) failed;
            }
        }
    }

    /** The loop's next unclaimed index; claimed {@code grain} at a time. */
    private static final class Claims extends AtomicInteger {
        private final int n;
        private final int grain;
        private final IntConsumer body;

        Claims(int n, int grain, IntConsumer body) {
            this.n = n;
            this.grain = grain;
            this.body = body;
        }

        void run() {
            for (int from; (from = getAndAdd(grain)) < n; ) {
                int to = Math.min(n, from + grain);
                for (int i = from; i < to; i++) {
                    body.accept(i);
                }
            }
        }

        /** No further claims: a thread's body failed. */
        void stop() {
            set(n);
        }
    }

    private static final class Helper extends RecursiveAction {
        private final Claims claims;

        Helper(Claims claims) {
            this.claims = claims;
        }

        @Override
        protected void compute() {
            try {
                claims.run();
            } catch (RuntimeException | Error e) {
                claims.stop();
                throw e;
            }
        }
    }
}
