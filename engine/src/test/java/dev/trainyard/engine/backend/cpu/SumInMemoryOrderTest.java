package dev.trainyard.engine.backend.cpu;

import dev.trainyard.engine.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A float32 sum of a contiguous tensor over leading or interior dims reads it in memory order; each output must still
 * come out bit for bit as from the strided walk (the same tensor as a non-contiguous view) and near a double sum.
 */
class SumInMemoryOrderTest {

    @ParameterizedTest
    @ValueSource(strings = {"0", "1", "2", "0,2", "1,3", "0,2,3", "0,1,2", "0,1,3", "0,3"})
    void matchesTheStridedWalkBitForBit(String dimList) {
        int[] dims = Arrays.stream(dimList.split(",")).mapToInt(Integer::parseInt).toArray();
        int[] shape = {3, 4, 5, 7};
        SplittableRandom rnd = new SplittableRandom(dimList.hashCode());
        float[] data = new float[3 * 4 * 5 * 7];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) (rnd.nextDouble() * 2e3 - 1e3) * (i % 3 == 0 ? 1e-4f : 1f);
        }
        Tensor dense = Tensor.of(data, shape);
        Tensor strided = dense.transpose(0, 1).contiguous().transpose(0, 1);
        float[] fast = dense.sum(dims, false).toFloatArray();
        assertArrayEquals(strided.sum(dims, false).toFloatArray(), fast);
        double[] expected = new double[fast.length];
        int[] index = new int[4];
        for (int i = 0; i < data.length; i++) {
            int rest = i;
            for (int d = 3; d >= 0; d--) {
                index[d] = rest % shape[d];
                rest /= shape[d];
            }
            int o = 0;
            for (int d = 0; d < 4; d++) {
                int dim = d;
                if (Arrays.stream(dims).noneMatch(r -> r == dim)) {
                    o = o * shape[d] + index[d];
                }
            }
            expected[o] += data[i];
        }
        for (int i = 0; i < fast.length; i++) {
            assertEquals(expected[i], fast[i], 1e-3, "output " + i);
        }
    }
}
