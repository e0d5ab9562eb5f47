package dev.trainyard.engine.ops;

import dev.trainyard.engine.DType;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.autograd.GradCheck;
import dev.trainyard.engine.backend.ConvGeometry;
import dev.trainyard.engine.backend.FloatBuffers;
import dev.trainyard.engine.examples.FashionMnistModels;
import dev.trainyard.engine.nn.F;
import dev.trainyard.engine.nn.Module;
import dev.trainyard.engine.optim.Adam;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * conv2d with a bias is one node ({@code Convolution.Conv2d}) that gives its intermediates' arrays back to
 * {@link FloatBuffers}: it must compute what the composition of unfold, matmul, transpose and add computes, bit for
 * bit, and no array it gives back may still be seen by a tensor.
 */
class Conv2dNodeTest {

    private record Case(int[] x, int[] w, int[] stride, int[] padding, int[] dilation) {
    }

    private static final List<Case> CASES = List.of(
            new Case(new int[] {4, 1, 28, 28}, new int[] {32, 1, 3, 3}, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}),
            new Case(new int[] {3, 8, 13, 13}, new int[] {16, 8, 3, 3}, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}),
            new Case(new int[] {2, 3, 9, 11}, new int[] {5, 3, 3, 2}, new int[] {2, 1}, new int[] {1, 2}, new int[] {1, 2}),
            new Case(new int[] {2, 4, 6, 6}, new int[] {1, 4, 6, 6}, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}),
            // large enough for the column layout (CpuColumnConv) with the Vector API: padding, strides and dilation
            // that clip windows on both sides, an image's positions fewer than a vector (L = 9) and not a multiple
            // of one, k longer than one slice of the product (C*kh*kw = 360 > Gemm.KC), a single output channel
            new Case(new int[] {5, 3, 20, 17}, new int[] {12, 3, 3, 2}, new int[] {2, 1}, new int[] {1, 2}, new int[] {1, 2}),
            new Case(new int[] {6, 2, 19, 23}, new int[] {7, 2, 4, 3}, new int[] {3, 2}, new int[] {2, 1}, new int[] {2, 3}),
            new Case(new int[] {16, 8, 5, 5}, new int[] {24, 8, 3, 3}, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}),
            new Case(new int[] {3, 40, 8, 8}, new int[] {20, 40, 3, 3}, new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}),
            new Case(new int[] {8, 16, 12, 12}, new int[] {1, 16, 3, 3}, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}),
            // an image's positions more than a slice of k (L = 360 >= Gemm.KC: the weight gradient's B packed from the
            // output gradient, an image at a time) and not a multiple of a vector, channels not a multiple of four
            new Case(new int[] {3, 2, 21, 19}, new int[] {7, 2, 2, 2}, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}),
            // the cnn's two convolutions at batch 64: the weight gradients' k (43,264 and 7,744) in slices and pieces
            new Case(new int[] {64, 1, 28, 28}, new int[] {32, 1, 3, 3}, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}),
            new Case(new int[] {64, 32, 13, 13}, new int[] {64, 32, 3, 3}, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}),
            // k = N*L = 2,400 of two slices to sum apart where C has few tiles: [96, 16] has 16 tiles of 6 x 32 and
            // [16, 96] 9, so 512-bit vectors keep the columns [C*kh*kw, N*L]; with 256-bit vectors both have 16 or
            // more and the columns go an image a block. And an image's columns a block, k in one slice
            new Case(new int[] {100, 32, 6, 6}, new int[] {16, 32, 3, 1}, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}),
            new Case(new int[] {20, 6, 9, 9}, new int[] {10, 6, 3, 3}, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}),
            // k over a slice (C*kh*kw = 360) with the 4-row kernels (16 = 2 x MR + 4) and a narrow last panel (L = 49):
            // the bias added after the last slice
            new Case(new int[] {2, 40, 9, 9}, new int[] {16, 40, 3, 3}, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}));

    /** The composition the node replaces, with the ops' own autograd. */
    private static Tensor composed(Tensor x, Tensor w, Tensor b, Case c) {
        ConvGeometry g = new ConvGeometry(x.size(2), x.size(3), w.size(2), w.size(3), c.stride[0], c.stride[1],
                c.padding[0], c.padding[1], c.dilation[0], c.dilation[1]);
        int n = x.size(0);
        int o = w.size(0);
        int ckk = w.size(1) * w.size(2) * w.size(3);
        int l = g.outH() * g.outW();
        return Convolution.unfold(x, g, 0.0).view(n * l, ckk).matmul(w.reshape(o, ckk).t()).view(n, l, o).transpose(1, 2)
                .add(b.view(1, o, 1)).view(n, o, g.outH(), g.outW());
    }

    @Test
    void valuesAndGradientsAreTheCompositionsBitForBit() {
        Tensor.manualSeed(3);
        for (Case c : CASES) {
            checkAgainstComposition(c, true);
        }
    }

    /**
     * A frozen weight: the forward gives its unfolded input back at once, so the backward gets none and must learn
     * from the forward's own test which layout ran (the column kernels' or the composition's).
     */
    @Test
    void aFrozenWeightsInputAndBiasGradientsAreTheCompositionsBitForBit() {
        Tensor.manualSeed(4);
        for (Case c : CASES) {
            checkAgainstComposition(c, false);
        }
    }

    /** The node's output and gradients against the composition's, bit for bit; the weight's only where it trains. */
    private static void checkAgainstComposition(Case c, boolean weightTrains) {
        Tensor x = Tensor.randn(c.x);
        Tensor w = Tensor.randn(c.w);
        Tensor b = Tensor.randn(c.w[0]);
        Tensor[] fused = {x.clone().requiresGrad_(true), w.clone().requiresGrad_(weightTrains), b.clone().requiresGrad_(true)};
        Tensor[] plain = {x.clone().requiresGrad_(true), w.clone().requiresGrad_(weightTrains), b.clone().requiresGrad_(true)};
        Tensor outFused = Convolution.conv2d(fused[0], fused[1], fused[2], c.stride, c.padding, c.dilation, 1);
        Tensor outPlain = composed(plain[0], plain[1], plain[2], c);
        assertEquals("ConvolutionBackward0", outFused.gradFn().name());
        String name = Arrays.toString(c.x) + " * " + Arrays.toString(c.w) + (weightTrains ? "" : ", weight frozen");
        assertArrayEquals(outPlain.toFloatArray(), outFused.toFloatArray(), name + ": output");
        Tensor upstream = Tensor.randn(outFused.shape());
        outFused.backward(upstream);
        outPlain.backward(upstream);
        for (int i = 0; i < 3; i++) {
            if (i == 1 && !weightTrains) {
                assertNull(fused[i].grad(), name + ": the frozen weight has a gradient");
                continue;
            }
            assertArrayEquals(plain[i].grad().toFloatArray(), fused[i].grad().toFloatArray(), name + ": grad[" + i + "]");
        }
    }

    @Test
    void gradcheckAndGradgradcheckInFloat64() {
        Tensor.manualSeed(5);
        Tensor x = Tensor.randn(2, 3, 7, 6).to(DType.FLOAT64).requiresGrad_(true);
        Tensor w = Tensor.randn(4, 3, 3, 2).to(DType.FLOAT64).requiresGrad_(true);
        Tensor b = Tensor.randn(4).to(DType.FLOAT64).requiresGrad_(true);
        int[] stride = {2, 1};
        int[] padding = {1, 1};
        int[] dilation = {1, 2};
        java.util.function.Function<Tensor[], Tensor> conv =
                in -> Convolution.conv2d(in[0], in[1], in[2], stride, padding, dilation, 1);
        assertTrue(GradCheck.gradcheck(conv, x, w, b));
        assertTrue(GradCheck.gradgradcheck(conv, x, w, b));
    }

    @Test
    void aRetainedGraphBackwardsTwiceWithTheSameGradients() {
        Tensor.manualSeed(7);
        Tensor x = Tensor.randn(3, 2, 10, 10);
        Tensor w = Tensor.randn(6, 2, 3, 3).requiresGrad_(true);
        Tensor b = Tensor.randn(6).requiresGrad_(true);
        Tensor loss = Convolution.conv2d(x, w, b, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}, 1).pow(2).sum();
        loss.backward(null, true, false);
        float[] first = w.grad().toFloatArray();
        w.grad().zero_();
        // other work between the two backwards, asking for arrays of every size the first backward gave back
        Tensor.randn(3, 2, 10, 10).requiresGrad_(true);
        Convolution.conv2d(Tensor.randn(3, 2, 10, 10), w.detach(), b.detach(), new int[] {1, 1}, new int[] {0, 0},
                new int[] {1, 1}, 1);
        loss.backward(null, false, false);
        assertArrayEquals(first, w.grad().toFloatArray());
    }

    /** Checks a new tensor's array is not in the cache, and keeps the tensor with a copy of its values. */
    private static void hold(Tensor t, List<Tensor> held, List<float[]> values, String what) {
        assertFalse(FloatBuffers.isFree(t.storage().floats()), what + ": a new tensor views a cached array");
        held.add(t);
        values.add(t.toFloatArray().clone());
    }

    /**
     * Trains the cnn for a few steps keeping every tensor a user can hold (each layer's output, the parameters and
     * their gradients) with a copy of its values taken when it was made; later steps reuse the arrays the conv nodes
     * gave back, and none of them may be an array a held tensor views, or change a held tensor's values.
     */
    @Test
    void arraysGivenBackNeverAliasATensorStillHeld() {
        Tensor.manualSeed(11);
        Module model = FashionMnistModels.cnn();
        Adam opt = new Adam(model.parameters(), 1e-3);
        Tensor x = Tensor.rand(16, 1, 28, 28);
        Tensor y = Tensor.randint(0, 10, 16);
        List<Tensor> held = new ArrayList<>();
        List<float[]> values = new ArrayList<>();
        for (int step = 0; step < 4; step++) {
            Tensor h = x;
            for (Module layer : model.children()) {
                h = layer.call(h);
                hold(h, held, values, "step " + step + ", " + layer);
            }
            Tensor loss = F.crossEntropy(h, y);
            opt.zeroGrad();
            loss.backward();
            for (Tensor p : model.parameters()) {
                hold(p.grad(), held, values, "step " + step + ", a gradient");
            }
            opt.step();
            assertTrue(FloatBuffers.freeBytes() > 0, "the conv nodes gave arrays back");
            for (int i = 0; i < held.size(); i++) {
                float[] array = held.get(i).storage().floats();
                assertFalse(FloatBuffers.isFree(array), "step " + step + ": held tensor " + i + " views a cached array");
                assertArrayEquals(values.get(i), held.get(i).toFloatArray(), "step " + step + ": held tensor " + i + " changed");
            }
        }
    }
}
