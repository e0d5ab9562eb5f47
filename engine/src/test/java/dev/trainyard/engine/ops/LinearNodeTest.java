package dev.trainyard.engine.ops;

import dev.trainyard.engine.DType;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.autograd.GradCheck;
import dev.trainyard.engine.nn.F;
import org.junit.jupiter.api.Test;

import static dev.trainyard.engine.TensorBits.assertSameBits;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * F.linear of a 2-D input with a bias is one node ({@code LinearAlgebra.Addmm}): it must compute what the
 * composition {@code x.matmul(w.t()).add(b)} computes, bit for bit, including the weight's gradient it computes as
 * {@code g^T x} where the composition takes {@code (x^T g)^T}.
 */
class LinearNodeTest {

    /** [batch, in, out]: the mlp's two layers, the cnn's two, products small enough for the scalar GEMM, odd edges. */
    private static final int[][] SHAPES = {
            {64, 784, 256}, {64, 256, 10}, {64, 1600, 128}, {64, 128, 10}, {3, 5, 4}, {7, 33, 20}, {1, 9, 300},
            {300, 50, 40}, {13, 1, 7}};

    @Test
    void valuesAndGradientsAreTheCompositionsBitForBit() {
        Tensor.manualSeed(3);
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (int[] s : SHAPES) {
                Tensor x = Tensor.randn(s[0], s[1]).to(dtype);
                Tensor w = Tensor.randn(s[2], s[1]).to(dtype);
                Tensor b = Tensor.randn(s[2]).to(dtype);
                Tensor[] fused = {x.clone().requiresGrad_(true), w.clone().requiresGrad_(true), b.clone().requiresGrad_(true)};
                Tensor[] plain = {x.clone().requiresGrad_(true), w.clone().requiresGrad_(true), b.clone().requiresGrad_(true)};
                Tensor outFused = F.linear(fused[0], fused[1], fused[2]);
                Tensor outPlain = plain[0].matmul(plain[1].t()).add(plain[2]);
                assertEquals("AddmmBackward0", outFused.gradFn().name());
                String name = dtype + " " + java.util.Arrays.toString(s);
                assertSameBits(outPlain, outFused, name + ": output");
                Tensor upstream = Tensor.randn(outFused.shape()).to(dtype);
                outFused.backward(upstream);
                outPlain.backward(upstream);
                for (int i = 0; i < 3; i++) {
                    assertSameBits(plain[i].grad(), fused[i].grad(), name + ": grad[" + i + "]");
                }
            }
        }
    }


    @Test
    void onlyTheGradientsAskedForAreComputed() {
        Tensor.manualSeed(4);
        Tensor x = Tensor.randn(5, 6);
        Tensor w = Tensor.randn(3, 6).requiresGrad_(true);
        Tensor b = Tensor.randn(3);
        Tensor out = F.linear(x, w, b);
        out.backward(Tensor.onesLike(out));
        assertNull(x.grad());
        assertNull(b.grad());
        // d(sum of x w^T)/dw[o, i] = sum over the batch of x[:, i]
        assertArrayEquals(x.sum(new int[] {0}, true).expand(3, 6).toFloatArray(), w.grad().toFloatArray(), 1e-5f);
    }

    @Test
    void gradcheckAndGradgradcheckInFloat64() {
        Tensor.manualSeed(5);
        Tensor x = Tensor.randn(4, 3).to(DType.FLOAT64).requiresGrad_(true);
        Tensor w = Tensor.randn(5, 3).to(DType.FLOAT64).requiresGrad_(true);
        Tensor b = Tensor.randn(5).to(DType.FLOAT64).requiresGrad_(true);
        java.util.function.Function<Tensor[], Tensor> linear = in -> F.linear(in[0], in[1], in[2]);
        assertTrue(GradCheck.gradcheck(linear, x, w, b));
        assertTrue(GradCheck.gradgradcheck(linear, x, w, b));
    }

    @Test
    void aRetainedGraphBackwardsTwiceWithTheSameGradients() {
        Tensor.manualSeed(7);
        Tensor x = Tensor.randn(8, 12).requiresGrad_(true);
        Tensor w = Tensor.randn(6, 12).requiresGrad_(true);
        Tensor b = Tensor.randn(6).requiresGrad_(true);
        Tensor loss = F.linear(x, w, b).pow(2).sum();
        loss.backward(null, true, false);
        float[] first = w.grad().toFloatArray();
        w.grad().zero_();
        loss.backward(null, false, false);
        assertArrayEquals(first, w.grad().toFloatArray());
    }

    /** A hook may keep the gradient it sees: the leaf's grad is then a copy, which changing in place leaves alone. */
    @Test
    void aGradientAHookSawIsCopied() {
        Tensor.manualSeed(9);
        Tensor x = Tensor.randn(4, 6);
        Tensor w = Tensor.randn(3, 6).requiresGrad_(true);
        Tensor b = Tensor.randn(3).requiresGrad_(true);
        java.util.List<Tensor> seen = new java.util.ArrayList<>();
        w.registerHook(g -> {
            seen.add(g);
            return null;
        });
        Tensor out = F.linear(x, w, b);
        out.backward(Tensor.onesLike(out));
        float[] before = seen.get(0).toFloatArray();
        w.grad().add_(1.0);
        assertArrayEquals(before, seen.get(0).toFloatArray());
        assertTrue(seen.get(0).storage() != w.grad().storage());
    }

    /** A weight used twice gets the sum of both gradients (a new tensor the leaf copies), not one of them kept. */
    @Test
    void aWeightUsedTwiceGetsTheSumOfItsGradients() {
        Tensor.manualSeed(10);
        Tensor x1 = Tensor.randn(4, 6);
        Tensor x2 = Tensor.randn(5, 6);
        Tensor w = Tensor.randn(3, 6).requiresGrad_(true);
        Tensor b = Tensor.randn(3).requiresGrad_(true);
        Tensor w2 = w.detach().clone().requiresGrad_(true);
        Tensor b2 = b.detach().clone().requiresGrad_(true);
        F.linear(x1, w, b).sum().add(F.linear(x2, w, b).sum()).backward();
        x1.matmul(w2.t()).add(b2).sum().add(x2.matmul(w2.t()).add(b2).sum()).backward();
        assertSameBits(w2.grad(), w.grad(), "weight");
        assertSameBits(b2.grad(), b.grad(), "bias");
    }
}
