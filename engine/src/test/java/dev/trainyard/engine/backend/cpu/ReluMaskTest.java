package dev.trainyard.engine.backend.cpu;

import dev.trainyard.engine.DType;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.backend.IntBuffers;
import dev.trainyard.engine.backend.UnaryOp;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * relu's forward with its bit mask ({@code reluWithMask}) gives relu's bits, and its backward from the mask
 * ({@code reluBackward}) the bits of its backward from relu's output and of PyTorch's select ({@code output <= 0 ? +0 :
 * grad}), in place and not, on special values, on lengths around whole 32-bit words and vectors, and on tensors split
 * across cores.
 */
class ReluMaskTest {
    private static final float[] SPECIAL = {Float.NaN, -0f, 0f, -2.5f, 3f, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY,
            Float.MIN_VALUE, -Float.MIN_VALUE};

    @ParameterizedTest(name = "n = {0}")
    @ValueSource(ints = {1, 7, 31, 32, 33, 81, 95, 96, 97, 1000, 65_536, 65_536 + 45, 64 * 32 * 26 * 26 + 3})
    void maskedForwardAndBackwardAreReluAndTheSelect(int n) {
        SplittableRandom random = new SplittableRandom(n);
        float[] x = new float[n];
        float[] g = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = random.nextInt(4) == 0 ? SPECIAL[random.nextInt(SPECIAL.length)] : (float) random.nextGaussian();
            g[i] = random.nextInt(4) == 0 ? SPECIAL[random.nextInt(SPECIAL.length)] : (float) random.nextGaussian();
        }
        Tensor input = Tensor.of(x, n);
        Tensor[] outputAndMask = CpuKernels.INSTANCE.reluWithMask(input);
        Tensor relu = CpuKernels.INSTANCE.unary(UnaryOp.RELU, input);
        assertSameBits(relu, outputAndMask[0], "forward");
        assertEquals(DType.INT32, outputAndMask[1].dtype());

        Tensor grad = Tensor.of(g, n);
        float[] select = new float[n];
        for (int i = 0; i < n; i++) {
            select[i] = Math.max(x[i], 0f) <= 0f ? 0f : g[i];
        }
        Tensor expected = Tensor.of(select, n);
        assertSameBits(expected, CpuKernels.INSTANCE.reluBackward(grad, relu, null, false), "backward from the output");
        assertSameBits(expected, CpuKernels.INSTANCE.reluBackward(grad, relu, outputAndMask[1], false), "backward");
        Tensor own = Tensor.of(g.clone(), n);
        Tensor inPlace = CpuKernels.INSTANCE.reluBackward(own, relu, outputAndMask[1], true);
        assertSame(own.storage(), inPlace.storage());
        assertSameBits(expected, inPlace, "backward in place");
    }

    @Test
    void theReluNodeGivesItsMaskBackWhenTheGraphIsFreed() {
        // 4096 + 32 * 101 elements: a mask of a length no other test asks for
        int n = 32 * (4096 + 101);
        Tensor x = Tensor.randn(n).requiresGrad_(true);
        Tensor y = x.relu();
        long held = IntBuffers.freeBytes();
        y.backward(Tensor.onesLike(y), true, false);
        assertEquals(held, IntBuffers.freeBytes(), "a retained graph keeps its mask");
        y.backward(Tensor.onesLike(y));
        assertEquals(held + 4L * n / 32, IntBuffers.freeBytes(), "freed with the graph");
        float[] in = x.detach().toFloatArray();
        float[] grad = x.grad().toFloatArray();
        for (int i = 0; i < n; i++) {
            assertEquals(in[i] > 0 ? 2f : 0f, grad[i], "element " + i);
        }
        assertTrue(n / 32 >= 4096);
    }

    private static void assertSameBits(Tensor expected, Tensor actual, String what) {
        float[] e = expected.toFloatArray();
        float[] a = actual.toFloatArray();
        assertEquals(e.length, a.length);
        for (int i = 0; i < e.length; i++) {
            assertEquals(Float.floatToRawIntBits(e[i]), Float.floatToRawIntBits(a[i]), what + ", element " + i);
        }
    }
}
