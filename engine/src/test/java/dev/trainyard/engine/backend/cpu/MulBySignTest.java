package dev.trainyard.engine.backend.cpu;

import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.backend.BinaryOp;
import dev.trainyard.engine.backend.UnaryOp;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * relu's backward in one pass ({@code mulBySign}) gives the bits of the gradient times the sign tensor, on special values
 * in the vector loop and its tail, and on a tensor large enough to be split across cores.
 */
class MulBySignTest {
    private static final float[] SPECIAL = {Float.NaN, -0f, 0f, -2.5f, 3f, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY,
            Float.MIN_VALUE, -Float.MIN_VALUE};

    @Test
    void everyPairOfSpecialValuesAsTheTwoPassProduct() {
        int n = SPECIAL.length * SPECIAL.length * 3 + 5;
        float[] g = new float[n];
        float[] s = new float[n];
        for (int i = 0; i < n; i++) {
            g[i] = SPECIAL[i % SPECIAL.length];
            s[i] = SPECIAL[(i / SPECIAL.length) % SPECIAL.length];
        }
        assertSameBits(Tensor.of(g, n), Tensor.of(s, n));
    }

    @Test
    void largeTensorSplitAcrossCoresAsTheTwoPassProduct() {
        int n = 64 * 32 * 26 * 26 + 3;
        SplittableRandom random = new SplittableRandom(7);
        float[] g = new float[n];
        float[] s = new float[n];
        for (int i = 0; i < n; i++) {
            g[i] = (float) random.nextGaussian();
            s[i] = Math.max(0f, (float) random.nextGaussian());
        }
        assertSameBits(Tensor.of(g, n), Tensor.of(s, n));
    }

    @Test
    void reluGradientIsTheMask() {
        Tensor x = Tensor.of(new float[] {-1f, 2f, 0f, 5f, -0f, Float.NaN}, 6).requiresGrad_(true);
        x.relu().mul(Tensor.of(new float[] {3f, 3f, 3f, 3f, 3f, 3f}, 6)).sum().backward();
        assertArrayEquals(new float[] {0f, 3f, 0f, 3f, 0f, 0f}, x.grad().toFloatArray());
        assertEquals(Float.floatToRawIntBits(0f), Float.floatToRawIntBits(x.grad().toFloatArray()[2]));
    }

    private static void assertSameBits(Tensor g, Tensor s) {
        float[] fused = CpuKernels.INSTANCE.mulBySign(g, s).toFloatArray();
        float[] twoPass = CpuKernels.INSTANCE.binary(BinaryOp.MUL, g, CpuKernels.INSTANCE.unary(UnaryOp.SIGN, s)).toFloatArray();
        // relu's backward into an owned gradient: the same kernel writing into g's own array
        Tensor own = Tensor.of(g.toFloatArray(), g.shape());
        Tensor inPlace = CpuKernels.INSTANCE.mulBySignInPlace(own, s);
        assertSame(own.storage(), inPlace.storage());
        float[] written = own.toFloatArray();
        assertEquals(twoPass.length, fused.length);
        for (int i = 0; i < fused.length; i++) {
            assertEquals(Float.floatToRawIntBits(twoPass[i]), Float.floatToRawIntBits(fused[i]), "element " + i);
            assertEquals(Float.floatToRawIntBits(twoPass[i]), Float.floatToRawIntBits(written[i]), "in place, element " + i);
        }
    }
}
