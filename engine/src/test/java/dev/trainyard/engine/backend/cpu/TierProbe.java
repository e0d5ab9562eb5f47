package dev.trainyard.engine.backend.cpu;

import dev.trainyard.engine.Shapes;

/**
 * Not a test: calls a Vector API kernel class's method ({@link Gemm#columnBlock}), another CPU backend method
 * ({@link CpuCaches#getconfSize}) and one of the engine's glue ({@link Shapes#numel}) the given number of times each,
 * for {@link JitOptionsTest} to see, under -XX:+PrintCompilation, which of them the launcher's options let C2 compile.
 */
final class TierProbe {
    private TierProbe() {
    }

    public static void main(String[] args) {
        int calls = Integer.parseInt(args[0]);
        long sum = 0;
        int[] shape = {2, 3};
        for (int i = 0; i < calls; i++) {
            sum += Gemm.columnBlock(i);
            sum += CpuCaches.getconfSize("LEVEL1_DCACHE_SIZE " + (i & 7), "LEVEL1_DCACHE_SIZE");
            shape[0] = i;
            sum += Shapes.numel(shape);
        }
        System.out.println("sum " + sum);
    }
}
