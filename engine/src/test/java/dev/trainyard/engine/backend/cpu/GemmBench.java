package dev.trainyard.engine.backend.cpu;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Not a test: GFLOP/s of {@link Gemm#sgemm} for the products of the Fashion-MNIST CNN at batch 64 (forward and both
 * backward products of each conv and linear layer, with the operand layouts the engine passes), the mlp's fc1 forward
 * and weight gradient, and squares. The convs' forward and
 * input-gradient products are per image, as {@link CpuColumnConv} runs them ({@code /img}: 64 products of one image
 * each, B a column block of the batch's columns, timed together); their weight gradients are one product over the
 * batch. Run with --add-modules
 * jdk.incubator.vector on the test classpath; CPU time is reported too (see {@link #ONE_THREAD}), being less disturbed than wall time by
 * other load. Arguments: CPU seconds per shape (default 1),
 * then optionally "M N K" for one more shape. With -Dreps=N each shape runs exactly N times and prints nothing;
 * -Donly=PREFIX keeps the shapes whose name starts with PREFIX (_ for space). Every shape is run for half its time
 * before any is measured: each takes its own path through the blocking, and a path first taken later would otherwise
 * be timed while the JIT recompiles (and, for a moment, runs its vectors boxed).
 */
public final class GemmBench {
    private static final int REPS = Integer.getInteger("reps", 0);
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    /**
     * With the common pool at parallelism 0 (one thread, as bench/gemm-vs-openblas runs it) every product runs on the
     * calling thread, whose own CPU time leaves out the JIT's compiler threads and the GC; otherwise the process's.
     */
    private static final boolean ONE_THREAD = Parallel.oneThread();
    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();
    /**
     * The best rate over windows of this much CPU time is printed beside the mean: on a virtual machine whose cores
     * share a physical core with other guests, the same compiled kernel runs at ~100 or ~55 GFLOP/s for stretches at a
     * time as the sibling hardware thread is idle or busy (BENCHMARKS.md, session 19), so the mean measures the
     * neighbours as much as the code. The best window is the uncontended rate, as timeit's minimum is.
     */
    private static final long WINDOW_NANOS = 50_000_000;
    private GemmBench() {
    }

    public static void main(String[] args) {
        // name, m, n, k, transA, transB (as the engine passes them), images (products of one image each), B's row
        // stride (0: dense)
        Object[][] shapes = {
                {"conv1 fwd   W x cols/img", 32, 676, 9, false, false, 64, 64 * 676},
                {"conv1 dW^T  cols x g^T  ", 9, 32, 43264, false, true, 1, 0},
                {"conv2 fwd   W x cols/img", 64, 121, 288, false, false, 64, 64 * 121},
                // W^T by its rows where the conv transposes it once (CpuColumnConv.inputGradient)
                {"conv2 dCols W^T x g/img ", 288, 121, 64, Gemm.readsTransposedAInPlace(), false, 64, 0},
                {"conv2 dW^T  cols x g^T  ", 288, 64, 7744, false, true, 1, 0},
                {"fc1 fwd     x x W^T     ", 64, 128, 1600, false, true, 1, 0},
                {"fc1 dX      g x W       ", 64, 1600, 128, false, false, 1, 0},
                {"fc1 dW^T    x^T x g     ", 1600, 128, 64, true, false, 1, 0},
                {"mlp fc1 fwd x x W^T     ", 64, 256, 784, false, true, 1, 0},
                {"mlp fc1 dW^T x^T x g    ", 784, 256, 64, true, false, 1, 0},
                {"square 128              ", 128, 128, 128, false, false, 1, 0},
                {"square 256              ", 256, 256, 256, false, false, 1, 0},
                {"square 512              ", 512, 512, 512, false, false, 1, 0},
                {"square 1024             ", 1024, 1024, 1024, false, false, 1, 0},
        };
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 1.0;
        if (args.length == 4) {
            shapes = new Object[][] {{"given", Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]), false, false,
                    1, 0}};
        }
        String only = System.getProperty("only", "").replace('_', ' ');
        for (boolean measure : new boolean[] {false, true}) {
            if (!measure && REPS > 0) {
                continue;
            }
            for (Object[] s : shapes) {
                if (((String) s[0]).startsWith(only)) {
                    run((String) s[0], (int) s[1], (int) s[2], (int) s[3], (boolean) s[4], (boolean) s[5], (int) s[6],
                            (int) s[7], seconds, measure);
                }
            }
        }
    }

    private static long cpuTime() {
        return ONE_THREAD ? THREADS.getCurrentThreadCpuTime() : OS.getProcessCpuTime();
    }

    private static void run(String name, int m, int n, int k, boolean transA, boolean transB, int images, int ldb,
                            double seconds, boolean measure) {
        SplittableRandom rnd = new SplittableRandom(1);
        // a per-image product's A is shared (the weight); its B and C are the image's, B's columns a block of a
        // wider matrix when ldb is given, else the image's own dense [k, n]
        int bCols = ldb > 0 ? ldb : n;
        float[] a = new float[m * k];
        float[] b = new float[k * bCols * (ldb > 0 ? 1 : images)];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) rnd.nextDouble();
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) rnd.nextDouble();
        }
        Gemm.Matrix ma = transA ? new Gemm.Matrix(a, 0, 1, m) : new Gemm.Matrix(a, 0, k, 1);
        Gemm.Matrix[] mb = new Gemm.Matrix[images];
        for (int img = 0; img < images; img++) {
            int off = ldb > 0 ? img * n : img * k * n;
            mb[img] = transB ? new Gemm.Matrix(b, off, 1, k) : new Gemm.Matrix(b, off, bCols, 1);
        }
        float[] c = new float[images * m * n];
        float[] packed = new float[Gemm.packedBSize(n, k)];
        double flops = 2.0 * m * n * k * images;
        Runnable product = images == 1 ? () -> Gemm.sgemm(m, n, k, ma, mb[0], c, 0) : () -> {
            for (int img = 0; img < images; img++) {
                Gemm.sgemmOnThisThread(m, n, k, ma, mb[img], c, img * m * n, n, false, packed);
            }
        };
        if (REPS > 0) {
            // fixed work, for a cycle count of the whole process (perf stat -e cycles:u), which other load disturbs less
            for (int i = 0; i < REPS; i++) {
                product.run();
            }
            return;
        }
        // budgets of CPU time, not wall time: on a loaded machine a wall-time warm-up can end before the JIT has
        // compiled the kernels, and the measurement then times boxed vector code
        long warmEnd = cpuTime() + (long) (seconds * 0.5e9);
        while (cpuTime() < warmEnd) {
            product.run();
        }
        if (!measure) {
            return;
        }
        int reps = 0;
        long cpuStart = cpuTime();
        long start = System.nanoTime();
        long cpuEnd = cpuStart + (long) (seconds * 1e9);
        long cpuNow;
        long windowStart = cpuStart;
        int windowReps = 0;
        double best = 0;
        do {
            product.run();
            reps++;
            windowReps++;
            cpuNow = cpuTime();
            if (cpuNow - windowStart >= WINDOW_NANOS) {
                best = Math.max(best, flops * windowReps / (cpuNow - windowStart));
                windowStart = cpuNow;
                windowReps = 0;
            }
        } while (cpuNow < cpuEnd);
        long now = System.nanoTime();
        long cpu = cpuNow - cpuStart;
        double perCall = (now - start) / 1e9 / reps;
        System.out.printf(Locale.ROOT,
                "%s [%5d x %5d] x [%5d x %4d]%s%s: %8.3f ms  %6.1f GFLOP/s wall  %6.1f GFLOP per cpu-s  %6.1f best window%n",
                name, m, k, k, n, transA ? " A^T" : "    ", transB ? " B^T" : "    ", perCall * 1e3, flops * reps / (now - start),
                flops * reps / cpu, best);
    }
}
