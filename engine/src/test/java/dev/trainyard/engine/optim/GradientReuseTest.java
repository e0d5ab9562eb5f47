package dev.trainyard.engine.optim;

import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.autograd.AutogradMeta;
import dev.trainyard.engine.backend.FloatBuffers;
import dev.trainyard.engine.nn.Linear;
import org.junit.jupiter.api.Test;

import static dev.trainyard.engine.TensorBits.assertSameBits;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * {@code zeroGrad()} gives a gradient's array back for the next backward to write into, as PyTorch's caching allocator
 * reuses a freed gradient's block — but only a gradient no caller has seen: one read through {@code Tensor.grad()} may
 * be kept, and must keep its values.
 */
class GradientReuseTest {

    /** A layer whose weight's gradient has a length no other test in this JVM asks {@link FloatBuffers} for. */
    private static Linear layer(int in, int out) {
        Tensor.manualSeed(7);
        return new Linear(in, out);
    }

    private static void backward(Linear layer, Tensor x) {
        Tensor y = layer.call(x);
        y.mul(y).sum().backward();
    }

    private static float[] gradArray(Tensor p) {
        return AutogradMeta.gradOf(p).storage().floats();
    }

    @Test
    void theNextBackwardWritesIntoTheArrayZeroGradDropped() {
        Linear reused = layer(97, 61);
        Linear reference = layer(97, 61);
        Adam reusedOpt = new Adam(reused.parameters(), 1e-2);
        Adam referenceOpt = new Adam(reference.parameters(), 1e-2);
        float[] previous = null;
        for (int step = 0; step < 4; step++) {
            Tensor x = Tensor.randn(8, 97);
            reusedOpt.zeroGrad();
            backward(reused, x);
            float[] current = gradArray(reused.weight());
            if (previous != null) {
                assertSame(previous, current, "step " + step + ": the dropped gradient's array is written again");
            }
            previous = current;
            reusedOpt.step();
            referenceOpt.zeroGrad();
            backward(reference, x);
            // the reference's gradient is seen (and copied into nothing): its arrays are never reused
            assertSameBits(reference.weight().grad(), AutogradMeta.gradOf(reused.weight()), "weight grad, step " + step);
            referenceOpt.step();
            assertSameBits(reference.weight().detach(), reused.weight().detach(), "weight, step " + step);
        }
    }

    @Test
    void aGradientTheCallerHasSeenKeepsItsValuesAfterZeroGrad() {
        Linear linear = layer(89, 71);
        Adam opt = new Adam(linear.parameters(), 1e-2);
        backward(linear, Tensor.randn(8, 89));
        Tensor kept = linear.weight().grad();
        Tensor copy = kept.clone();
        opt.zeroGrad();
        backward(linear, Tensor.randn(8, 89).mul(3.0));
        assertSameBits(copy, kept, "a gradient the caller holds");
        assertNotSame(kept.storage().floats(), gradArray(linear.weight()));
        assertFalse(FloatBuffers.isFree(kept.storage().floats()));
    }

    @Test
    void moduleZeroGradGivesBackOnlyUnseenGradients() {
        Linear linear = layer(83, 67);
        backward(linear, Tensor.randn(8, 83));
        float[] unseen = gradArray(linear.weight());
        linear.zeroGrad();
        backward(linear, Tensor.randn(8, 83));
        assertSame(unseen, gradArray(linear.weight()));
        Tensor seen = linear.weight().grad();
        Tensor copy = seen.clone();
        linear.zeroGrad();
        backward(linear, Tensor.randn(8, 83));
        assertNotSame(seen.storage().floats(), gradArray(linear.weight()));
        assertSameBits(copy, seen, "a gradient the caller holds");
    }
}
