package dev.trainyard.engine.backend.cpu;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * The engine's parallel loops: on the calling thread and the engine's helper threads, as many as
 * {@code -Djava.util.concurrent.ForkJoinPool.common.parallelism} says (default: one fewer than the cores; 0 keeps every
 * loop on the calling thread). The property is the JVM's usual knob for its common pool, which the engine's loops
 * ran on before; it is read here rather than the pool's parallelism because from JDK 25 the pool does not keep a
 * parallelism of 0 (the class initializer of {@code CompletableFuture} raises it to 2).
 *
 * <p>The helpers spin for a while ({@link #SPIN_NANOS}) after each loop before they park, as OpenMP's threads do: a
 * training step runs its loops back to back, tens of microseconds apart, and a parked thread took 80-100 us to wake
 * on a 2-core KVM guest (a Zen 3 EPYC), so a loop of two 85 us halves on the common pool took as long as on one
 * thread, and the mlp's second core computed nothing (BENCHMARKS.md, session 18).
 *
 * <p>A loop shares its indexes out as they are claimed: every thread takes the next few from a counter until none are
 * left, so a thread that started late or ran slow indexes takes fewer, and no thread waits while another still has
 * several to run. What an index computes does not depend on the thread that runs it, so neither do the bits. One loop
 * runs on the helpers at a time: a loop started inside a loop's body, or on another thread meanwhile, runs on its
 * calling thread alone.
 */
public final class Parallel {
    private static final String THREADS_PROPERTY = "java.util.concurrent.ForkJoinPool.common.parallelism";
    private static final int HELPERS = helpers(System.getProperty(THREADS_PROPERTY));
    private static final boolean ONE_THREAD = HELPERS == 0;
    /** Claims per thread, about: a finer split evens out the threads' ends, each claim costs a contended increment. */
    private static final int CLAIMS_PER_THREAD = 8;
    /** How long a helper spins for the next loop before it parks. */
    private static final long SPIN_NANOS = 200_000;
    private static final AtomicBoolean IN_USE = new AtomicBoolean();
    private static final Pool POOL = ONE_THREAD ? null : new Pool(HELPERS);

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

    /** How many threads a parallel loop runs on: the calling thread and the helpers. */
    static int threads() {
        return HELPERS + 1;
    }

    /** Whether the engine's loops run on the calling thread only. */
    public static boolean oneThread() {
        return ONE_THREAD;
    }

    /** How many helper threads have started (they start with the first parallel loop). */
    static int helpersStarted() {
        return POOL == null ? 0 : POOL.started.get();
    }

    private static int helpers(String property) {
        if (property != null && !property.isBlank()) {
            try {
                return Math.max(0, Integer.parseInt(property.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("-D" + THREADS_PROPERTY + " must be a whole number of threads, got '"
                        + property + "'", e);
            }
        }
        return Math.max(0, Runtime.getRuntime().availableProcessors() - 1);
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
            if (!parallel || !IN_USE.compareAndSet(false, true)) {
                for (int i = 0; i < n; i++) {
                    body.accept(i);
                }
                return;
            }
            try {
                int threads = Math.min(n, HELPERS + 1);
                int claim = grain > 0 ? grain : Math.max(1, n / (threads * CLAIMS_PER_THREAD));
                Claims claims = new Claims(n, claim, body);
                POOL.post(claims);
                claims.run();
                claims.awaitOthers();
                POOL.clear();
                claims.rethrow();
            } finally {
                IN_USE.set(false);
            }
        }
    }

    /**
     * A loop's next unclaimed index, claimed {@code grain} at a time, and how many threads are inside it. A thread
     * enters before it claims, so once the caller has found nothing left to claim and no thread inside, every index
     * has run.
     */
    private static final class Claims extends AtomicInteger {
        private final int n;
        private final int grain;
        private final IntConsumer body;
        private final AtomicInteger inside = new AtomicInteger();
        private volatile Throwable failure;

        Claims(int n, int grain, IntConsumer body) {
            this.n = n;
            this.grain = grain;
            this.body = body;
        }

        void run() {
            inside.incrementAndGet();
            try {
                for (int from; (from = getAndAdd(grain)) < n; ) {
                    int to = Math.min(n, from + grain);
                    for (int i = from; i < to; i++) {
                        body.accept(i);
                    }
                }
            } catch (RuntimeException | Error e) {
                if (failure == null) {
                    failure = e;
                }
                set(n); // no further claims
            } finally {
                inside.decrementAndGet();
            }
        }

        void awaitOthers() {
            for (int spins = 1; inside.get() > 0; spins++) {
                if (spins % 1024 == 0) {
                    Thread.yield(); // a helper inside may have lost its core
                } else {
                    Thread.onSpinWait();
                }
            }
        }

        void rethrow() {
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
        }
    }

    /** The helper threads and the loop they help with: a new loop is a new epoch. */
    private static final class Pool {
        private final Thread[] threads;
        private final AtomicInteger started = new AtomicInteger();
        private volatile Claims current;
        private volatile long epoch;
        private final AtomicInteger parked = new AtomicInteger();

        Pool(int helpers) {
            threads = new Thread[helpers];
            for (int h = 0; h < helpers; h++) {
                threads[h] = Thread.ofPlatform().daemon().name("trainyard-parallel-" + (h + 1)).unstarted(this::help);
            }
        }

        void post(Claims claims) {
            if (started.get() < threads.length) {
                startHelpers();
            }
            current = claims;
            epoch++; // only the thread holding IN_USE writes it
            if (parked.get() > 0) { // a helper counts itself before it looks at the epoch a last time and parks
                for (Thread t : threads) {
                    LockSupport.unpark(t);
                }
            }
        }

        void clear() {
            current = null;
        }

        private synchronized void startHelpers() {
            for (Thread t : threads) {
                if (t.getState() == Thread.State.NEW) {
                    t.start();
                    started.incrementAndGet();
                }
            }
        }

        private void help() {
            long seen = epoch;
            while (true) {
                long spinUntil = System.nanoTime() + SPIN_NANOS;
                for (int spins = 1; epoch == seen; spins++) {
                    // the clock read every 64 spins: read at each, it was most of a spinning helper's samples
                    if (spins % 64 != 0 || System.nanoTime() - spinUntil < 0) {
                        Thread.onSpinWait();
                        continue;
                    }
                    parked.incrementAndGet();
                    if (epoch == seen) {
                        LockSupport.park(this);
                    }
                    parked.decrementAndGet();
                    spinUntil = System.nanoTime() + SPIN_NANOS;
                }
                seen = epoch;
                Claims claims = current;
                if (claims != null) {
                    claims.run();
                }
            }
        }
    }
}
