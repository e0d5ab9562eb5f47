package dev.trainyard.engine.nn.functional;

import dev.trainyard.engine.DType;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.autograd.GradCheck;
import dev.trainyard.engine.nn.F;
import dev.trainyard.engine.nn.Reduction;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static dev.trainyard.engine.TensorBits.assertSameBits;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * cross_entropy of [N, C] logits against class indices is one node ({@link CrossEntropy}): its loss and the logits'
 * gradient must be the bits of the composition it replaces, log_softmax followed by nll_loss (whose values the
 * PyTorch references of NnConformanceTest check).
 */
class CrossEntropyNodeTest {

    private static final int IGNORE = -100;
    private static final Reduction[] REDUCTIONS = {Reduction.MEAN, Reduction.SUM, Reduction.NONE};

    private static Tensor composed(Tensor x, Tensor t, Reduction reduction) {
        return F.nllLoss(x.logSoftmax(1), t, null, IGNORE, reduction);
    }

    private static void check(Tensor x, Tensor t, Reduction reduction, String name) {
        Tensor fusedX = x.clone().requiresGrad_(true);
        Tensor plainX = x.clone().requiresGrad_(true);
        Tensor fused = F.crossEntropy(fusedX, t, null, IGNORE, reduction, 0.0);
        Tensor plain = composed(plainX, t, reduction);
        assertEquals("NllLossBackward0", fused.gradFn().name(), name);
        assertSameBits(plain, fused, name + ": loss");
        Tensor upstream = Tensor.randn(fused.shape()).to(x.dtype());
        fused.backward(upstream);
        plain.backward(upstream);
        assertSameBits(plainX.grad(), fusedX.grad(), name + ": grad");
    }


    @Test
    void lossAndGradientAreTheCompositionsBitForBit() {
        Tensor.manualSeed(3);
        int[][] shapes = {{64, 10}, {6, 5}, {1, 3}, {5, 1}, {17, 100}};
        double[] scales = {1, 10, 1000};
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (int[] s : shapes) {
                for (double scale : scales) {
                    Tensor x = Tensor.randn(s).mul(scale).to(dtype);
                    Tensor t = Tensor.randint(0, s[1], s[0]);
                    for (Reduction r : REDUCTIONS) {
                        check(x, t, r, dtype + " " + Arrays.toString(s) + " x" + scale + " " + r);
                    }
                }
            }
        }
    }

    @Test
    void ignoredTargetsAndNonFiniteLogitsAsTheComposition() {
        Tensor.manualSeed(4);
        Tensor x = Tensor.randn(6, 5);
        long[] targets = {0, IGNORE, 4, 2, IGNORE, 1};
        Tensor t = Tensor.of(targets, 6);
        float[] v = x.toFloatArray();
        v[2] = Float.NEGATIVE_INFINITY; // a class that cannot be (exp 0), not the target
        v[3 * 5 + 2] = 80f;              // a logit whose exp overflows float32 unless shifted
        v[5 * 5] = Float.NaN;             // a NaN propagates through its row
        Tensor odd = Tensor.of(v, 6, 5);
        for (Reduction r : REDUCTIONS) {
            check(x, t, r, "ignore " + r);
            check(odd, t, r, "non-finite " + r);
            check(x.to(DType.FLOAT64), t, r, "float64 ignore " + r);
        }
        Tensor allIgnored = Tensor.full(new int[] {6}, IGNORE, DType.INT64);
        for (Reduction r : REDUCTIONS) {
            check(x, allIgnored, r, "all ignored " + r);
        }
        Tensor mean = F.crossEntropy(x, allIgnored, null, IGNORE, Reduction.MEAN, 0.0);
        assertTrue(Double.isNaN(mean.item()), "the mean over no counted targets is 0/0, as in PyTorch");
    }

    @Test
    void theBackwardUsesTheTargetsOfTheForward() {
        Tensor.manualSeed(6);
        Tensor x = Tensor.randn(8, 5);
        Tensor t = Tensor.randint(0, 5, 8);
        Tensor plainX = x.clone().requiresGrad_(true);
        composed(plainX, t.clone(), Reduction.MEAN).backward();
        Tensor fusedX = x.clone().requiresGrad_(true);
        Tensor loss = F.crossEntropy(fusedX, t, null, IGNORE, Reduction.MEAN, 0.0);
        t.fill_(0);
        loss.backward();
        assertSameBits(plainX.grad(), fusedX.grad(), "targets changed in place after the forward");
    }

    @Test
    void aTargetOutOfRangeIsRejected() {
        Tensor x = Tensor.randn(3, 4);
        var e = org.junit.jupiter.api.Assertions.assertThrows(IndexOutOfBoundsException.class,
                () -> F.crossEntropy(x, Tensor.of(new long[] {0, 4, 1}, 3)));
        assertTrue(e.getMessage().contains("target class 4 is out of bounds for 4 classes"), e.getMessage());
    }

    @Test
    void gradcheckAndGradgradcheckInFloat64() {
        Tensor.manualSeed(5);
        Tensor x = Tensor.randn(4, 3).to(DType.FLOAT64).requiresGrad_(true);
        Tensor t = Tensor.of(new long[] {2, IGNORE, 0, 2}, 4);
        for (Reduction r : REDUCTIONS) {
            java.util.function.Function<Tensor[], Tensor> ce = in -> F.crossEntropy(in[0], t, null, IGNORE, r, 0.0);
            assertTrue(GradCheck.gradcheck(ce, x), r.toString());
            assertTrue(GradCheck.gradgradcheck(ce, x), r.toString());
        }
    }
}
