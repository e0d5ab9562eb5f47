package dev.trainyard.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Bit-for-bit comparison of two tensors, for the fused nodes that must reproduce the composition they replace. */
public final class TensorBits {

    private TensorBits() {}

    /** Same shape, same dtype and, element by element, the same bits (NaN payloads and -0.0 included). */
    public static void assertSameBits(Tensor expected, Tensor actual, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        assertEquals(expected.dtype(), actual.dtype(), what + ": dtype");
        double[] e = expected.toDoubleArray();
        double[] a = actual.toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            assertEquals(Double.doubleToRawLongBits(e[i]), Double.doubleToRawLongBits(a[i]),
                    what + ": element " + i + " is " + a[i] + ", the composition's " + e[i]);
        }
    }
}
