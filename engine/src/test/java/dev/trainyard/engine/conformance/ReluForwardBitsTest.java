package dev.trainyard.engine.conformance;

import dev.trainyard.engine.DType;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.nn.F;
import dev.trainyard.engine.nn.MaxPool2d;
import dev.trainyard.engine.nn.ReLU;
import dev.trainyard.engine.nn.Sequential;
import org.junit.jupiter.api.Test;

import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * relu's output, bit for bit, as PyTorch's CPU relu ({@code clamp_min(x, 0)}): +0.0 for a negative (a negative
 * subnormal and -inf included), the input's own bits otherwise, so -0.0 stays -0.0 and every NaN passes with its sign
 * and payload, a signalling one too. Every path: the contiguous kernel (vector loop, scalar tail, an odd offset, chunks
 * across cores), a strided view, the forward with its bit mask under autograd and the backward from it or from the
 * output, relu_, F.relu, nn.ReLU, float64, and nn.Sequential(ReLU, MaxPool2d), which pools first only where that gives
 * the same bits. The plain Java kernels run it too (the surefire parity executions). Values from
 * engine/src/test/python/gen_relu_forward_bits.py.
 */
class ReluForwardBitsTest {
    private static final int[] INPUT32 = {
            0x80000000, 0x00000000, 0x7fc00000, 0xffc00000, 0x7fc00001,
            0xffc12345, 0x7f800001, 0xbf800000, 0x3f800000, 0xff800000,
            0x7f800000, 0x80000001, 0x00000001, 0xc0200000, 0x40400000};
    private static final int[] UPSTREAM32 = {
            0x3fc00000, 0xbfc00000, 0x80000000, 0x7fc00000, 0x3fc00000,
            0x3fc00000, 0x3fc00000, 0x7fc00000, 0x80000000, 0x3fc00000,
            0xbfc00000, 0x7f800000, 0xff800000, 0x3fc00000, 0x3fc00000};
    private static final long[] INPUT64 = {
            0x8000000000000000L, 0x0000000000000000L, 0x7ff8000000000000L, 0xfff8000000000000L, 0x7ff8000000000001L,
            0x7ff0000000000001L, 0xbff0000000000000L, 0x3ff0000000000000L, 0x8000000000000001L, 0xfff0000000000000L};
    private static final float[][] POOL_INPUT = {
            {-1f, -0f, -0f, -1f, 2f, -0f},
            {-2f, -3f, -2f, -3f, -0f, 1f},
            {0f, -0f, -5f, 0f, -0f, -7f},
            {-1f, -2f, -0f, -1f, 0f, -0f}};

    // torch 1.13.0a0
    private static final int[] RELU32 = {
            0x80000000, 0x00000000, 0x7fc00000, 0xffc00000, 0x7fc00001,
            0xffc12345, 0x7f800001, 0x00000000, 0x3f800000, 0x00000000,
            0x7f800000, 0x00000000, 0x00000001, 0x00000000, 0x40400000};
    private static final int[] GRAD32 = {
            0x00000000, 0x00000000, 0x80000000, 0x7fc00000, 0x3fc00000,
            0x3fc00000, 0x3fc00000, 0x00000000, 0x80000000, 0x00000000,
            0xbfc00000, 0x00000000, 0xff800000, 0x00000000, 0x3fc00000};
    private static final long[] RELU64 = {
            0x8000000000000000L, 0x0000000000000000L, 0x7ff8000000000000L, 0xfff8000000000000L, 0x7ff8000000000001L,
            0x7ff0000000000001L, 0x0000000000000000L, 0x3ff0000000000000L, 0x0000000000000000L, 0x0000000000000000L};
    private static final int[] POOLED = {
            0x00000000, 0x80000000, 0x40000000, 0x00000000, 0x00000000,
            0x80000000};
    private static final int[] POOL_GRAD = {
            0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x40400000,
            0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000,
            0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000,
            0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000,
            0x00000000, 0x00000000, 0x00000000, 0x00000000};

    /** Copies of the grid: one (scalar loops), 67 (vectors, 32-element words and a tail), past two chunks of 2^15. */
    private static final int[] COPIES = {1, 67, 2 * (1 << 15) / INPUT32.length + 5};

    private static final UnaryOperator<Tensor>[] RELUS = relus();

    @SuppressWarnings("unchecked")
    private static UnaryOperator<Tensor>[] relus() {
        return new UnaryOperator[] {x -> ((Tensor) x).relu(), x -> ((Tensor) x).clone().relu_(), x -> F.relu((Tensor) x),
                x -> new ReLU().call((Tensor) x)};
    }

    @Test
    void float32ContiguousOnEveryPathAndLength() {
        for (int copies : COPIES) {
            Tensor x = float32(tile(INPUT32, copies), 0);
            for (UnaryOperator<Tensor> relu : RELUS) {
                assertBits(tile(RELU32, copies), relu.apply(x), copies + " copies");
            }
            // the same values from storage offset 1: other vector boundaries
            Tensor shifted = float32(tile(INPUT32, copies), 1);
            assertBits(tile(RELU32, copies), shifted.relu(), copies + " copies at offset 1");
        }
    }

    @Test
    void float32Strided() {
        for (int copies : COPIES) {
            int[] doubled = new int[2 * INPUT32.length * copies];
            for (int i = 0; i < doubled.length; i++) {
                doubled[i] = i % 2 == 0 ? INPUT32[i / 2 % INPUT32.length] : 0x42c60000;
            }
            Tensor x = float32(doubled, 0).reshape(-1, 2).select(1, 0);
            assertEquals(false, x.isContiguous());
            assertBits(tile(RELU32, copies), x.relu(), copies + " copies, strided");
        }
    }

    /** Under autograd: the forward with its bit mask, and the backward from the mask (or, strided, from the output). */
    @Test
    void float32WithTheMaskAndTheBackward() {
        for (int copies : COPIES) {
            Tensor x = float32(tile(INPUT32, copies), 0).requiresGrad_(true);
            Tensor y = x.relu();
            assertBits(tile(RELU32, copies), y, copies + " copies, with the mask");
            y.backward(float32(tile(UPSTREAM32, copies), 0));
            assertBits(tile(GRAD32, copies), x.grad(), copies + " copies, backward from the mask");

            Tensor leaf = float32(tile(INPUT32, copies), 0).reshape(-1, 1).expand(-1, 2).contiguous()
                    .requiresGrad_(true);
            Tensor strided = leaf.select(1, 0);
            assertEquals(false, strided.isContiguous());
            Tensor z = strided.relu();
            assertBits(tile(RELU32, copies), z, copies + " copies, strided under autograd");
            z.backward(float32(tile(UPSTREAM32, copies), 0));
            assertBits(tile(GRAD32, copies), leaf.grad().select(1, 0), copies + " copies, backward from the output");
        }
    }

    @Test
    void float64() {
        for (int copies : COPIES) {
            long[] in = new long[INPUT64.length * copies];
            long[] expected = new long[in.length];
            for (int i = 0; i < in.length; i++) {
                in[i] = INPUT64[i % INPUT64.length];
                expected[i] = RELU64[i % RELU64.length];
            }
            double[] values = new double[in.length];
            for (int i = 0; i < in.length; i++) {
                values[i] = Double.longBitsToDouble(in[i]);
            }
            Tensor x = Tensor.of(values, values.length);
            for (UnaryOperator<Tensor> relu : RELUS) {
                assertBits64(expected, relu.apply(x), copies + " copies");
            }
            assertBits64(expected, Tensor.of(values, values.length, 1).expand(-1, 2).contiguous().select(1, 1).relu(),
                    copies + " copies, strided");
        }
    }

    /**
     * A window of non-positive values pools to its first element's relu: +0.0 after a negative even where a later -0.0
     * is the pool's maximum, -0.0 where the window starts with one.
     */
    @Test
    void reluThenMaxPoolInASequential() {
        float[] flat = new float[24];
        for (int i = 0; i < 4; i++) {
            System.arraycopy(POOL_INPUT[i], 0, flat, i * 6, 6);
        }
        Tensor x = Tensor.of(flat, 1, 1, 4, 6).requiresGrad_(true);
        Tensor y = new Sequential(new ReLU(), new MaxPool2d(2)).call(x);
        assertBits(POOLED, y, "pooled");
        y.backward(Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 1, 1, 2, 3));
        assertBits(POOL_GRAD, x.grad(), "input gradient");
    }

    private static int[] tile(int[] values, int copies) {
        int[] out = new int[values.length * copies];
        for (int i = 0; i < out.length; i++) {
            out[i] = values[i % values.length];
        }
        return out;
    }

    /** A float32 tensor of these bits, viewed from {@code offset} in its array (the elements before it are 7). */
    private static Tensor float32(int[] bits, int offset) {
        float[] values = new float[offset + bits.length];
        java.util.Arrays.fill(values, 0, offset, 7f);
        for (int i = 0; i < bits.length; i++) {
            values[offset + i] = Float.intBitsToFloat(bits[i]);
        }
        Tensor t = Tensor.of(values, values.length);
        return offset == 0 ? t : t.slice(0, offset, values.length);
    }

    /** Raw bits read from the storage, so no conversion can quiet a NaN on the way. */
    private static void assertBits(int[] expected, Tensor actual, String what) {
        Tensor c = actual.detach().contiguous();
        assertEquals(DType.FLOAT32, c.dtype(), what);
        assertEquals(expected.length, c.numel(), what);
        float[] data = c.storage().floats();
        for (int i = 0; i < expected.length; i++) {
            int got = Float.floatToRawIntBits(data[c.storageOffset() + i]);
            if (got != expected[i]) {
                assertEquals(String.format("0x%08x", expected[i]), String.format("0x%08x", got), what + " at " + i);
            }
        }
    }

    private static void assertBits64(long[] expected, Tensor actual, String what) {
        Tensor c = actual.detach().contiguous();
        assertEquals(DType.FLOAT64, c.dtype(), what);
        assertEquals(expected.length, c.numel(), what);
        double[] data = c.storage().doubles();
        for (int i = 0; i < expected.length; i++) {
            long got = Double.doubleToRawLongBits(data[c.storageOffset() + i]);
            if (got != expected[i]) {
                assertEquals(String.format("0x%016x", expected[i]), String.format("0x%016x", got), what + " at " + i);
            }
        }
    }
}
