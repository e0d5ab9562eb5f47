package dev.trainyard.engine.backend.cpu;

import dev.trainyard.engine.DType;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.backend.ConvGeometry;
import org.junit.jupiter.api.Test;

import static dev.trainyard.engine.TensorBits.assertSameBits;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which convolutions take the column layout (Conv2dNodeTest checks their bits against the composition), and its
 * im2col and col2im against unfold and fold.
 */
class CpuColumnConvTest {

    @Test
    void theCnnsConvolutionsTakeTheColumnLayoutWithTheVectorApiOnly() {
        ConvGeometry g1 = new ConvGeometry(28, 28, 3, 3, 1, 1, 0, 0, 1, 1);
        ConvGeometry g2 = new ConvGeometry(13, 13, 3, 3, 1, 1, 0, 0, 1, 1);
        assertEquals(VectorApi.ENABLED, CpuColumnConv.applies(Tensor.rand(64, 1, 28, 28), Tensor.rand(32, 1, 3, 3),
                Tensor.rand(32), g1));
        assertEquals(VectorApi.ENABLED, CpuColumnConv.applies(Tensor.rand(64, 32, 13, 13), Tensor.rand(64, 32, 3, 3),
                Tensor.rand(64), g2));
        // a product the composition computes in plain Java, and float64, keep the composition
        assertFalse(CpuColumnConv.applies(Tensor.rand(1, 1, 28, 28), Tensor.rand(2, 1, 3, 3), Tensor.rand(2), g1));
        assertFalse(CpuColumnConv.applies(Tensor.rand(64, 1, 28, 28).to(DType.FLOAT64),
                Tensor.rand(32, 1, 3, 3).to(DType.FLOAT64), Tensor.rand(32).to(DType.FLOAT64), g1));
    }

    @Test
    void columnsGoAnImageABlockWhereImagesAreShortAndNoSlicesOfKAreSummedApart() {
        // the cnn's second conv (L = 121) an image a block; its first (L = 676, longer than a slice of k) not
        assertTrue(CpuColumnConv.imageBlocks(64, 64, 288, 121));
        assertFalse(CpuColumnConv.imageBlocks(64, 32, 9, 676));
        // k = 2,400 in two slices of 2,048 or less: [ckk, o] and [o, ckk] both few tiles, so summed apart
        assertFalse(CpuColumnConv.imageBlocks(100, 2, 18, 24));
        // k in one slice: never summed apart
        assertTrue(CpuColumnConv.imageBlocks(20, 2, 18, 49));
        assertEquals(!Gemm.slicesOverK(96, 16, 2400) && !Gemm.slicesOverK(16, 96, 2400),
                CpuColumnConv.imageBlocks(100, 16, 96, 24));
    }

    @Test
    void theSecondConvsColumnsAreRebuiltWhereTheWeightGradientAddsItsSlicesInOrder() {
        // conv2: dW^T [288, 64] over k = 7,744 in slices added one by one; conv1: [9, 32] has too few tiles, its 22
        // slices of 2,048 are summed apart, so its columns are kept
        assertTrue(CpuColumnConv.rebuildsColumns(64, 64, 288, 121));
        assertFalse(CpuColumnConv.rebuildsColumns(64, 32, 9, 676));
        // dW^T [54, 2], two columns of a panel used: Gemm computes it transposed
        assertFalse(CpuColumnConv.rebuildsColumns(20, 2, 54, 49));
    }

    /**
     * Conv2dNodeTest checks the columns' place this CPU takes against the composition; here each place that applies
     * runs on any CPU and must give the bits of the batch layout, forward and backward.
     */
    @Test
    void everyPlaceOfTheColumnsGivesTheSameBits() {
        Tensor.manualSeed(11);
        record Case(int[] x, int[] w, ConvGeometry g) {
        }
        Case[] cases = {
            // the cnn's second conv; a short k in one slice; k = N*L over a slice with a 3 x 1 kernel
            new Case(new int[] {64, 32, 13, 13}, new int[] {64, 32, 3, 3}, new ConvGeometry(13, 13, 3, 3, 1, 1, 0, 0, 1, 1)),
            new Case(new int[] {20, 6, 9, 9}, new int[] {10, 6, 3, 3}, new ConvGeometry(9, 9, 3, 3, 1, 1, 0, 0, 1, 1)),
            new Case(new int[] {100, 32, 6, 6}, new int[] {16, 32, 3, 1}, new ConvGeometry(6, 6, 3, 1, 1, 1, 0, 0, 1, 1)),
            new Case(new int[] {7, 3, 11, 5}, new int[] {9, 3, 2, 2}, new ConvGeometry(11, 5, 2, 2, 1, 1, 0, 0, 1, 1)),
            // images longer than a slice of k (B read from the gradient in image blocks); padding with a stride of 2
            // and 5 channels, shared unevenly between tasks; the cnn's first conv (columns kept)
            new Case(new int[] {4, 8, 20, 20}, new int[] {40, 8, 3, 3}, new ConvGeometry(20, 20, 3, 3, 1, 1, 0, 0, 1, 1)),
            new Case(new int[] {16, 5, 12, 12}, new int[] {48, 5, 3, 3}, new ConvGeometry(12, 12, 3, 3, 2, 2, 1, 1, 1, 1)),
            // a 5 x 5 kernel with padding over images of 900 positions, each slice of k inside one or two of them
            new Case(new int[] {8, 3, 30, 30}, new int[] {64, 3, 5, 5}, new ConvGeometry(30, 30, 5, 5, 1, 1, 2, 2, 1, 1)),
            new Case(new int[] {64, 1, 28, 28}, new int[] {32, 1, 3, 3}, new ConvGeometry(28, 28, 3, 3, 1, 1, 0, 0, 1, 1)),
        };
        int blocks = 0;
        int rebuilt = 0;
        for (Case c : cases) {
            int[] xs = c.x();
            int[] ws = c.w();
            ConvGeometry g = c.g();
            int n = xs[0];
            int o = ws[0];
            int ckk = ws[1] * ws[2] * ws[3];
            int l = g.outH() * g.outW();
            Tensor x = Tensor.randn(xs);
            Tensor w = Tensor.randn(ws);
            Tensor b = Tensor.randn(o);
            Tensor upstream = Tensor.randn(n, o, l);
            String name = java.util.Arrays.toString(xs) + " * " + java.util.Arrays.toString(ws);
            Tensor[] batch = CpuColumnConv.forward(x, w, b, g, CpuColumnConv.Columns.BATCH);
            assertArrayEquals(new int[] {ckk, n * l}, batch[1].shape(), name);
            Tensor[] fromBatch = CpuColumnConv.backward(upstream, x, batch[1], w, ws, g, xs, true, true, true);
            if (CpuColumnConv.imageBlocks(n, o, ckk, l)) {
                blocks++;
                Tensor[] imageBlocks = CpuColumnConv.forward(x, w, b, g, CpuColumnConv.Columns.IMAGE_BLOCKS);
                assertArrayEquals(new int[] {n * ckk, l}, imageBlocks[1].shape(), name);
                assertSameBits(batch[0], imageBlocks[0], name + ": output, image blocks");
                Tensor[] grads = CpuColumnConv.backward(upstream, x, imageBlocks[1], w, ws, g, xs, true, true, true);
                for (int i = 0; i < 3; i++) {
                    assertSameBits(fromBatch[i], grads[i], name + ": grad[" + i + "], image blocks");
                }
            }
            if (CpuColumnConv.rebuildsColumns(n, o, ckk, l)) {
                rebuilt++;
                Tensor[] none = CpuColumnConv.forward(x, w, b, g, CpuColumnConv.Columns.REBUILT);
                assertNull(none[1], name);
                assertSameBits(batch[0], none[0], name + ": output, rebuilt");
                Tensor[] grads = CpuColumnConv.backward(upstream, x, null, w, ws, g, xs, true, true, true);
                for (int i = 0; i < 3; i++) {
                    assertSameBits(fromBatch[i], grads[i], name + ": grad[" + i + "], rebuilt");
                }
                // the weight's gradient alone, as a first conv's backward asks for it
                Tensor[] weightOnly = CpuColumnConv.backward(upstream, x, null, w, ws, g, xs, false, true, false);
                assertSameBits(fromBatch[1], weightOnly[1], name + ": weight's gradient alone");
            }
        }
        assertTrue(blocks >= 3, "cases whose columns may go an image a block: " + blocks);
        assertTrue(rebuilt >= 4, "cases whose columns are rebuilt: " + rebuilt);
    }

    @Test
    void im2colIsUnfoldTransposedAndCol2imIsFold() {
        Tensor.manualSeed(5);
        ConvGeometry[] geometries = {
            new ConvGeometry(9, 11, 3, 2, 2, 1, 1, 2, 1, 2),
            new ConvGeometry(19, 23, 4, 3, 3, 2, 2, 1, 2, 3),
            new ConvGeometry(5, 5, 3, 3, 1, 1, 0, 0, 1, 1),
            new ConvGeometry(6, 7, 2, 2, 2, 3, 1, 1, 1, 1),
            // the cnn's first conv, and rows wider than a vector with padding, dilation and a row stride
            new ConvGeometry(28, 28, 3, 3, 1, 1, 0, 0, 1, 1),
            new ConvGeometry(7, 37, 3, 3, 2, 1, 2, 1, 2, 1),
            // the cnn's second conv (rows shorter than a vector), a row exactly 16 and 8 wide (whole vectors of 512 and
            // 256 bits), a row one past them, 1 x 1 and 5 x 5 kernels, rows narrower than the kernel's reach with
            // padding, a row stride 3, dilation 3, and planes smaller than a vector
            new ConvGeometry(13, 13, 3, 3, 1, 1, 0, 0, 1, 1),
            new ConvGeometry(10, 16, 3, 3, 1, 1, 0, 0, 1, 1),
            new ConvGeometry(10, 18, 3, 3, 1, 1, 0, 0, 1, 1),
            new ConvGeometry(12, 8, 3, 3, 1, 1, 1, 1, 1, 1),
            new ConvGeometry(11, 17, 1, 1, 1, 1, 0, 0, 1, 1),
            new ConvGeometry(9, 33, 5, 5, 1, 1, 2, 2, 1, 1),
            new ConvGeometry(6, 3, 3, 3, 1, 1, 2, 3, 1, 1),
            new ConvGeometry(14, 15, 3, 2, 3, 1, 0, 1, 3, 3),
            new ConvGeometry(4, 5, 3, 3, 1, 1, 0, 0, 1, 1),
            new ConvGeometry(3, 3, 2, 2, 1, 1, 0, 0, 1, 1),
            // without padding: a row stride 2 with output rows of two vectors, dilation 2, and a vector's positions
            // further apart than two vectors
            new ConvGeometry(9, 34, 3, 3, 2, 1, 0, 0, 1, 1),
            new ConvGeometry(11, 12, 3, 3, 1, 1, 0, 0, 2, 2),
            new ConvGeometry(12, 9, 3, 3, 2, 1, 0, 0, 2, 2),
            new ConvGeometry(9, 40, 3, 3, 3, 1, 0, 0, 1, 1),
        };
        for (ConvGeometry g : geometries) {
            for (int c : new int[] {1, 2, 3}) {
                int n = 3;
                int ckk = c * g.kh() * g.kw();
                int l = g.outH() * g.outW();
                Tensor x = Tensor.randn(n, c, g.inH(), g.inW());
                float[] rows = CpuConvKernels.unfold(x, g, 0.0).toFloatArray();
                float[] cols = new float[ckk * n * l];
                // images last to first: a vector written past an image's columns or planes (another task's) would
                // stay
                for (int b = n - 1; b >= 0; b--) {
                    CpuColumnConv.im2col(x.toFloatArray(), b * c * g.inH() * g.inW(), c, g, cols, b * l, n * l);
                }
                float[] expected = new float[ckk * n * l];
                for (int p = 0; p < n * l; p++) {
                    for (int q = 0; q < ckk; q++) {
                        expected[q * n * l + p] = rows[p * ckk + q];
                    }
                }
                assertArrayEquals(expected, cols, g + " channels " + c);

                float[] gr = Tensor.randn(n, l, ckk).toFloatArray();
                for (int i = 0; i < gr.length; i += 5) {
                    // -0 terms: an element whose terms are all -0 is +0 in fold (zeros plus the terms)
                    gr[i] = -0f;
                }
                Tensor gradRows = Tensor.of(gr, n, l, ckk);
                float[] folded = CpuConvKernels.fold(gradRows, c, g).toFloatArray();
                float[] out = new float[n * c * g.inH() * g.inW()];
                java.util.Arrays.fill(out, Float.NaN);
                for (int b = n - 1; b >= 0; b--) {
                    float[] dcols = new float[ckk * l];
                    for (int p = 0; p < l; p++) {
                        for (int q = 0; q < ckk; q++) {
                            dcols[q * l + p] = gr[(b * l + p) * ckk + q];
                        }
                    }
                    CpuColumnConv.col2im(dcols, c, g, out, b * c * g.inH() * g.inW());
                }
                assertArrayEquals(folded, out, g + " channels " + c);
            }
        }
    }

    /** The bias gradient's sums read the gradient {@code [N, O, L]} where it is: images then positions, in double. */
    @Test
    void biasSumsAddImagesThenPositionsInDouble() {
        Tensor.manualSeed(9);
        int n = 5;
        int o = 7;
        int l = 37;
        int gOff = 2;
        float[] gd = new float[gOff + n * o * l];
        System.arraycopy(Tensor.randn(n * o * l).toFloatArray(), 0, gd, gOff, n * o * l);
        float[] sums = new float[o];
        CpuColumnConv.biasSums(gd, gOff, n, o, l, sums);
        for (int ch = 0; ch < o; ch++) {
            double s = 0;
            for (int img = 0; img < n; img++) {
                for (int p = 0; p < l; p++) {
                    s += gd[gOff + (img * o + ch) * l + p];
                }
            }
            assertEquals((float) s, sums[ch], "channel " + ch);
        }
    }
}
