package dev.trainyard.engine.backend.cpu;

import dev.trainyard.engine.DType;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.backend.ConvGeometry;
import dev.trainyard.engine.backend.FloatBuffers;
import dev.trainyard.engine.backend.Storage;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * float32 conv2d (one group, a bias) in PyTorch's column layout: the input's windows as columns {@code cols [C*kh*kw,
 * N*L]} (column {@code n*L + l}, row {@code (c, i, j)}), so that each image's output {@code [O, L]} is one product
 * {@code W . cols[:, n*L : (n+1)*L]} written in place, and each image's columns gradient {@code W^T . grad[n]} is read
 * from the gradient where it is: no transposes between the products and the {@code [N, O, L]} activations.
 *
 * <p>Where the weight's gradient, one product over the whole batch, adds its slices of k in order
 * ({@link #rebuildsColumns}: the cnn's second conv), no columns are kept: the forward builds each image's into a
 * scratch that stays in cache, and the weight's gradient builds them again from the input a slice of k at a time (the
 * kept columns, 8.9 MB a batch for that conv, were written out to memory and read back from there for the weight's
 * gradient; rebuilt, conv2's forward and backward take 13% less CPU, BENCHMARKS.md, "Session 25"). Elsewhere they are
 * built once, in the forward, and kept: as {@code [C*kh*kw, N*L]}, or, where an image has fewer positions than a slice
 * of the product ({@link #imageBlocks}) and the CPU gains from it ({@link #IMAGE_BLOCKS_PAY}), an image a block,
 * {@code [N, C*kh*kw, L]}: written as one run instead of C*kh*kw short runs N*L apart, and the weight's gradient is
 * {@code rows . cols^T} with cols^T read an image a block (BENCHMARKS.md, "Session 23").
 *
 * <p>Every element gets the bits of the composition ({@link dev.trainyard.engine.backend.Kernels#conv2d}): the same
 * chain of FMAs over k per output element (per-image products cut k as the batch's product does, since k is the same),
 * the bias added last, each input element's gradient terms in fold's order, the weight's gradient from the same
 * product shape (C*kh*kw x O over k = N*L), and the bias's summed in double over images, then positions.
 */
final class CpuColumnConv {
    /** Tasks per call, each over a run of images: a task takes its scratch (packed B, a columns gradient) once. */
    private static final int TASKS = 8;
    /**
     * Whether this CPU takes short images' kept columns an image a block ({@link #imageBlocks}): an Intel one.
     * Measured on the cnn's second conv before its columns were rebuilt instead (BENCHMARKS.md, sessions 23 and 24):
     * an Intel Xeon with AVX-512 12% shorter epoch with it (level on 256-bit vectors), its strided writes of the
     * columns being dear there; an AMD Zen 5 6% longer on either vector width, where the weight gradient's transposes
     * of the columns cost more than the writes save. No bits change.
     */
    static final boolean IMAGE_BLOCKS_PAY = CpuVendor.CURRENT.equals(CpuVendor.INTEL);

    private CpuColumnConv() {
    }

    /**
     * Whether this layout computes the conv: float32, the Vector API on, and a product the composition would not
     * have computed in plain Java (whose additions differ).
     */
    static boolean applies(Tensor x, Tensor weight, Tensor bias, ConvGeometry g) {
        return weight.dtype() == DType.FLOAT32 && bias.dtype() == DType.FLOAT32 && applies(x, weight.shape(), g);
    }

    /**
     * {@link #applies(Tensor, Tensor, Tensor, ConvGeometry)} from what the backward knows: the input and the weight's
     * shape (the dtypes are one, the input's). A backward given no unfolded input asks it to learn whether the forward
     * ran here (and kept no columns, or had them given back because the weight needs no gradient) or took the
     * composition.
     */
    static boolean applies(Tensor x, int[] weightShape, ConvGeometry g) {
        if (!VectorApi.ENABLED || x.dtype() != DType.FLOAT32) {
            return false;
        }
        long nl = (long) x.size(0) * g.outH() * g.outW();
        long ckk = (long) weightShape[1] * weightShape[2] * weightShape[3];
        long o = weightShape[0];
        long plane = (long) x.size(1) * g.inH() * g.inW();
        return !Gemm.inPlainJava(nl, o, ckk) && nl * Math.max(ckk, o) < Integer.MAX_VALUE
                && x.size(0) * plane < Integer.MAX_VALUE;
    }

    /** Where the columns live between the forward and the weight's gradient. */
    enum Columns {
        /** Kept, {@code [C*kh*kw, N*L]}. */
        BATCH,
        /** Kept, an image a block, {@code [N*C*kh*kw, L]} ({@link #imageBlocks}). */
        IMAGE_BLOCKS,
        /**
         * Not kept ({@link #rebuildsColumns}): the forward builds each image's columns into a scratch of one image and
         * multiplies them from there; the weight's gradient builds them again from the input, a slice of k at a time.
         */
        REBUILT
    }

    /**
     * {@code {out [N, O, outH, outW], cols}}: cols null where the weight's gradient builds them again
     * ({@link #rebuildsColumns}), else {@code [N*C*kh*kw, L]} (an image a block) where {@link #imageBlocks} on a CPU
     * that gains from it ({@link #IMAGE_BLOCKS_PAY}), else {@code [C*kh*kw, N*L]}; a kept cols' array comes from
     * {@link FloatBuffers}.
     */
    static Tensor[] forward(Tensor x, Tensor weight, Tensor bias, ConvGeometry g) {
        int n = x.size(0);
        int o = weight.size(0);
        int ckk = weight.size(1) * weight.size(2) * weight.size(3);
        int l = g.outH() * g.outW();
        Columns columns = rebuildsColumns(n, o, ckk, l) ? Columns.REBUILT
                : IMAGE_BLOCKS_PAY && imageBlocks(n, o, ckk, l) ? Columns.IMAGE_BLOCKS : Columns.BATCH;
        return forward(x, weight, bias, g, columns);
    }

    /** {@link #forward} with the columns' place given: the same output bits whichever it is. */
    static Tensor[] forward(Tensor x, Tensor weight, Tensor bias, ConvGeometry g, Columns columns) {
        Tensor xc = contiguous(x);
        Tensor wc = contiguous(weight);
        Tensor bc = contiguous(bias);
        int n = x.size(0);
        int c = x.size(1);
        int o = weight.size(0);
        int ckk = c * g.kh() * g.kw();
        int l = g.outH() * g.outW();
        int nl = n * l;
        int plane = g.inH() * g.inW();
        float[] src = xc.storage().floats();
        int xOff = xc.storageOffset();
        float[] b = bc.storage().floats();
        int bOff = bc.storageOffset();
        Gemm.Matrix w = new Gemm.Matrix(wc.storage().floats(), wc.storageOffset(), ckk, 1);
        float[] cols = columns == Columns.REBUILT ? null : FloatBuffers.take(ckk * nl);
        int ld = columns == Columns.BATCH ? nl : l;
        // every element is written below
        float[] out = FloatBuffers.take(n * o * l);
        // the bias as C's starting value: C + chain is the composition's chain + bias when k is one slice of the product
        boolean biasFirst = ckk <= Gemm.KC;
        int packed = Gemm.packedBSize(l, ckk);
        int per = imagesPerTask(n);
        tasks(n, per, (long) o * l * ckk).forEach(t -> {
            float[] packedB = FloatBuffers.take(packed);
            // an image's columns in a scratch that stays in cache, not written out for the backward
            float[] imageCols = cols != null ? cols : FloatBuffers.take(ckk * l);
            for (int img = t * per; img < Math.min(n, (t + 1) * per); img++) {
                int col0 = switch (columns) {
                    case BATCH -> img * l;
                    case IMAGE_BLOCKS -> img * ckk * l;
                    case REBUILT -> 0;
                };
                im2col(src, xOff + img * c * plane, c, g, imageCols, col0, ld);
                int cOff = img * o * l;
                if (biasFirst) {
                    for (int oo = 0; oo < o; oo++) {
                        Arrays.fill(out, cOff + oo * l, cOff + (oo + 1) * l, b[bOff + oo]);
                    }
                }
                Gemm.sgemmOnThisThread(o, l, ckk, w, new Gemm.Matrix(imageCols, col0, ld, 1), out, cOff, l, biasFirst,
                        packedB);
                if (!biasFirst) {
                    for (int oo = 0; oo < o; oo++) {
                        float add = b[bOff + oo];
                        for (int i = cOff + oo * l; i < cOff + (oo + 1) * l; i++) {
                            out[i] += add;
                        }
                    }
                }
            }
            if (cols == null) {
                FloatBuffers.giveBack(imageCols);
            }
            FloatBuffers.giveBack(packedB);
        });
        Tensor kept = switch (columns) {
            case BATCH -> Tensor.wrap(Storage.wrap(cols), ckk, nl);
            case IMAGE_BLOCKS -> Tensor.wrap(Storage.wrap(cols), n * ckk, l);
            case REBUILT -> null;
        };
        return new Tensor[] {Tensor.wrap(Storage.wrap(out), n, o, g.outH(), g.outW()), kept};
    }

    /**
     * See {@link dev.trainyard.engine.backend.Kernels#conv2dBackward}; {@code cols} from {@link #forward}, null where it
     * kept none (then the weight's gradient builds them again from {@code x}).
     */
    static Tensor[] backward(Tensor grad, Tensor x, Tensor cols, Tensor weight, int[] weightShape, ConvGeometry g,
                             int[] inputShape, boolean input, boolean weightGrad, boolean biasGrad) {
        int n = grad.size(0);
        int o = grad.size(1);
        int l = grad.size(2);
        int c = inputShape[1];
        int ckk = c * g.kh() * g.kw();
        int nl = n * l;
        float[] gd = grad.storage().floats();
        int gOff = grad.storageOffset();
        Tensor gradInput = null;
        Tensor gradWeight = null;
        Tensor gradBias = null;
        if (input) {
            Tensor wc = contiguous(weight);
            gradInput = inputGradient(gd, gOff, wc, g, inputShape, o, l);
        }
        if (weightGrad || biasGrad) {
            // the forward's layout, from the columns' shape (one image: the two layouts are the same array)
            boolean blocks = cols != null && n > 1 && cols.size(0) == n * ckk;
            float[] sums = new float[o];
            float[] rows = null;
            if (l >= Gemm.KC) {
                // B = grad's rows^T [N*L, O] packed from the gradient where it is, an image a block of L rows: no copy
                // of its rows written and read back (conv1: 5.5 MB)
                biasSums(gd, gOff, n, o, l, sums);
            } else {
                // images shorter than a packed slice of k: packing from the gradient would restart its V x V
                // transposes at every image's end, its rows left over copied one by one (conv2, L = 121, measured
                // slower), so the gradient is copied to rows [O, N*L] (each image's [O, L] block to its place) and
                // the bias summed while they are in cache
                rows = FloatBuffers.take(o * nl);
                rowsAndSums(gd, gOff, n, o, l, rows, sums);
            }
            if (weightGrad && blocks) {
                // dW [O, CKK] = rows . cols^T, cols^T [N*L, CKK] an image a block of L rows: the composition's chains
                // of FMAs over the same slices of k, and neither orientation sums slices of k apart (imageBlocks)
                float[] dw = new float[o * ckk];
                Gemm.sgemm(o, ckk, nl, new Gemm.Matrix(rows, 0, nl, 1), new Gemm.Matrix(cols.storage().floats(),
                        cols.storageOffset(), 1, l, new Gemm.RowBlocks(l, ckk * l, 0)), dw, 0);
                gradWeight = Tensor.wrap(Storage.wrap(dw), weightShape);
            } else if (weightGrad) {
                // dW^T [CKK, O] = cols . rows^T, the composition's product shape, so the same slices of k and bits
                Gemm.Matrix gradT = gradientAsB(gd, gOff, o, l, rows, nl);
                float[] wt = FloatBuffers.take(ckk * o);
                if (cols == null) {
                    weightGradientFromInput(contiguous(x), g, gradT, o, l, wt);
                } else {
                    Gemm.sgemm(ckk, o, nl, new Gemm.Matrix(cols.storage().floats(), cols.storageOffset(), nl, 1), gradT,
                            wt, 0);
                }
                float[] dw = new float[o * ckk];
                for (int j = 0; j < ckk; j++) {
                    for (int oo = 0; oo < o; oo++) {
                        dw[oo * ckk + j] = wt[j * o + oo];
                    }
                }
                FloatBuffers.giveBack(wt);
                gradWeight = Tensor.wrap(Storage.wrap(dw), weightShape);
            }
            if (rows != null) {
                FloatBuffers.giveBack(rows);
            }
            gradBias = biasGrad ? Tensor.wrap(Storage.wrap(sums), o) : null;
        }
        return new Tensor[] {gradInput, gradWeight, gradBias};
    }

    /**
     * B of the weight's gradient, the output gradient's rows^T {@code [N*L, O]}: read from the gradient where it is, an
     * image a block of L rows, when images are a slice of k or longer, else from its rows copied to {@code [O, N*L]}.
     */
    private static Gemm.Matrix gradientAsB(float[] gd, int gOff, int o, int l, float[] rows, int nl) {
        return l >= Gemm.KC ? new Gemm.Matrix(gd, gOff, 1, l, new Gemm.RowBlocks(l, o * l, 0))
                : new Gemm.Matrix(rows, 0, 1, nl);
    }

    /**
     * Whether the forward keeps no columns ({@link Columns#REBUILT}): where the weight's gradient {@code cols . grad^T}
     * is a product computed a slice of k at a time, each added to the last ({@link Gemm#addsSlicesInOrder}), so that
     * the backward can build the columns again a slice at a time. Kept, they are C*kh*kw x L floats an image (the cnn's
     * second conv: 8.9 MB a batch), written out to memory and read back; rebuilt, they stay in cache.
     */
    static boolean rebuildsColumns(int n, int o, int ckk, int l) {
        int nl = n * l;
        return Gemm.addsSlicesInOrder(ckk, o, nl, new Gemm.Matrix(null, 0, nl, 1), gradientAsB(null, 0, o, l, null, nl));
    }

    /**
     * {@code dW^T [CKK, O] = cols . gradT} into {@code wt} without the columns kept: for each slice of k
     * ({@link Gemm#sliceOfK} of N*L) the columns of the images it spans are built again into a scratch of a few images,
     * and multiplied into dW^T, added from the second slice on: the slices and chains of FMAs of the product over all
     * the columns ({@link #rebuildsColumns}), so its bits. A task is one slice for one group of channels (its rows of
     * dW^T): it builds only those channels' columns, packs B's slice for itself, and first waits until its group's
     * previous slice is done; all in one parallel loop, as {@link Gemm}'s slices of few panels, so that a thread
     * that falls behind leaves the other at most one slice to wait for.
     */
    private static void weightGradientFromInput(Tensor x, ConvGeometry g, Gemm.Matrix gradT, int o, int l, float[] wt) {
        int n = x.size(0);
        int c = x.size(1);
        int kk = g.kh() * g.kw();
        int nl = n * l;
        int plane = g.inH() * g.inW();
        float[] src = x.storage().floats();
        int xOff = x.storageOffset();
        int slice = Gemm.sliceOfK(nl);
        int slices = (nl + slice - 1) / slice;
        // the most images a slice spans: its first may start anywhere in an image
        int span = ((slice + l - 2) / l + 1) * l;
        int groups = Math.min(c, Parallel.threads());
        float[] cols = FloatBuffers.take(c * kk * span);
        float[][] packed = new float[groups][];
        for (int t = 0; t < groups; t++) {
            packed[t] = FloatBuffers.take(Gemm.packedBSize(o, slice));
        }
        AtomicIntegerArray slicesDone = new AtomicIntegerArray(groups);
        Parallel.when(groups > 1, slices * groups).forEachInOrder(u -> {
            int s = u / groups;
            int t = u % groups;
            Gemm.awaitSlices(slicesDone, t, s);
            try {
                int c0 = t * c / groups;
                int c1 = (t + 1) * c / groups;
                int pc = s * slice;
                int kc = Math.min(slice, nl - pc);
                int first = pc / l;
                int last = (pc + kc - 1) / l;
                int rowsOff = c0 * kk * span;
                for (int img = first; img <= last; img++) {
                    im2col(src, xOff + (img * c + c0) * plane, c1 - c0, g, cols, rowsOff + (img - first) * l, span);
                }
                Gemm.sgemmOnThisThread((c1 - c0) * kk, o, kc, new Gemm.Matrix(cols, rowsOff + pc - first * l, span, 1),
                        gradT.from(pc, 0), wt, c0 * kk * o, o, s > 0, packed[t]);
            } finally {
                // also when it failed: the loop rethrows, and no task waits for ever
                slicesDone.set(t, s + 1);
            }
        });
        for (float[] p : packed) {
            FloatBuffers.giveBack(p);
        }
        FloatBuffers.giveBack(cols);
    }

    /**
     * Whether the columns may go an image at a time, {@code [N, C*kh*kw, L]} (taken where {@link #IMAGE_BLOCKS_PAY}):
     * where an image has fewer positions than a slice of k (longer images pack the output gradient an image a block
     * instead, with no copy of its rows), and where the weight's gradient as {@code [O, C*kh*kw]} takes the same bits
     * as the composition's {@code [C*kh*kw, O]}: products of either shape sum their slices of k in one chain unless C
     * has too few tiles ({@link Gemm#slicesOverK}), which may hold for one shape and not the other.
     */
    static boolean imageBlocks(int n, int o, int ckk, int l) {
        int nl = n * l;
        return l < Gemm.KC && !Gemm.slicesOverK(ckk, o, nl) && !Gemm.slicesOverK(o, ckk, nl);
    }

    /** Per image: its columns' gradient {@code W^T . grad[n]} into a scratch, then folded into the image. */
    private static Tensor inputGradient(float[] gd, int gOff, Tensor weight, ConvGeometry g, int[] inputShape, int o, int l) {
        int n = inputShape[0];
        int c = inputShape[1];
        int ckk = c * g.kh() * g.kw();
        int plane = g.inH() * g.inW();
        float[] w = weight.storage().floats();
        // W^T by its rows when the GEMM would otherwise pack the transposed weight again for every image
        float[] wtRows = Gemm.readsTransposedAInPlace() ? null : transpose(w, weight.storageOffset(), o, ckk);
        Gemm.Matrix wt = wtRows == null ? new Gemm.Matrix(w, weight.storageOffset(), 1, ckk)
                : new Gemm.Matrix(wtRows, 0, o, 1);
        float[] dx = FloatBuffers.take(n * c * plane);
        int packed = Gemm.packedBSize(l, o);
        int per = imagesPerTask(n);
        tasks(n, per, (long) o * l * ckk).forEach(t -> {
            float[] packedB = FloatBuffers.take(packed);
            float[] dcols = FloatBuffers.take(ckk * l + (VectorApi.ENABLED ? FloatVectorKernels.COL2IM_SLACK : 0));
            for (int img = t * per; img < Math.min(n, (t + 1) * per); img++) {
                Gemm.sgemmOnThisThread(ckk, l, o, wt, new Gemm.Matrix(gd, gOff + img * o * l, l, 1), dcols, 0, l, false,
                        packedB);
                col2im(dcols, c, g, dx, img * c * plane);
            }
            FloatBuffers.giveBack(dcols);
            FloatBuffers.giveBack(packedB);
        });
        if (wtRows != null) {
            FloatBuffers.giveBack(wtRows);
        }
        return Tensor.wrap(Storage.wrap(dx), inputShape);
    }

    /** The rows x cols matrix at {@code a[off..]} transposed, into an array from FloatBuffers. */
    private static float[] transpose(float[] a, int off, int rows, int cols) {
        float[] t = FloatBuffers.take(rows * cols);
        Strided.gatherFloats(a, new int[] {cols, rows}, new int[] {1, cols}, off, t);
        return t;
    }

    /** Channels per task of {@link #biasSums}: four sums in flight, where one waited on each addition before it. */
    private static final int CHANNELS = 4;

    /**
     * Each channel's sum of {@code grad [N, O, L]} over images then positions, in double (the reduction's order, so
     * its bits).
     */
    static void biasSums(float[] gd, int gOff, int n, int o, int l, float[] sums) {
        CpuConvKernels.parallel((o + CHANNELS - 1) / CHANNELS, (long) n * l * CHANNELS).forEach(t ->
                sumChannels(gd, gOff, n, o, l, t * CHANNELS, Math.min(o, (t + 1) * CHANNELS), sums));
    }

    /** {@code grad [N, O, L]} copied to {@code rows [O, N*L]}, and {@link #biasSums} read from the rows. */
    static void rowsAndSums(float[] gd, int gOff, int n, int o, int l, float[] rows, float[] sums) {
        int nl = n * l;
        CpuConvKernels.parallel((o + CHANNELS - 1) / CHANNELS, (long) nl * CHANNELS).forEach(t -> {
            int c0 = t * CHANNELS;
            int c1 = Math.min(o, c0 + CHANNELS);
            for (int ch = c0; ch < c1; ch++) {
                for (int img = 0; img < n; img++) {
                    System.arraycopy(gd, gOff + (img * o + ch) * l, rows, ch * nl + img * l, l);
                }
            }
            // the rows as one image [1, O, N*L]: the same order of additions
            sumChannels(rows, 0, 1, o, nl, c0, c1, sums);
        });
    }

    /** {@link #biasSums} of channels {@code c0 <= ch < c1}, four at a time. */
    private static void sumChannels(float[] gd, int gOff, int n, int o, int l, int c0, int c1, float[] sums) {
        int ch = c0;
        if (c1 - c0 == CHANNELS) {
            double s0 = 0;
            double s1 = 0;
            double s2 = 0;
            double s3 = 0;
            for (int img = 0; img < n; img++) {
                int r0 = gOff + (img * o + c0) * l;
                int r1 = r0 + l;
                int r2 = r1 + l;
                int r3 = r2 + l;
                for (int p = 0; p < l; p++) {
                    s0 += gd[r0 + p];
                    s1 += gd[r1 + p];
                    s2 += gd[r2 + p];
                    s3 += gd[r3 + p];
                }
            }
            sums[c0] = (float) s0;
            sums[c0 + 1] = (float) s1;
            sums[c0 + 2] = (float) s2;
            sums[c0 + 3] = (float) s3;
            ch = c1;
        }
        for (; ch < c1; ch++) {
            double s = 0;
            for (int img = 0; img < n; img++) {
                int r = gOff + (img * o + ch) * l;
                for (int p = r; p < r + l; p++) {
                    s += gd[p];
                }
            }
            sums[ch] = (float) s;
        }
    }

    /**
     * One image's windows as columns {@code col0 .. col0 + L} of {@code cols} (row stride {@code ld}): row (ch, ki, kj)
     * holds the window element at (ki, kj) of every output position, zero in the padding: without padding at column
     * stride 1 a whole vector of the row at a time ({@link FloatVectorKernels#im2colBlocks}), otherwise a run of outW
     * per output row (copied by vectors when the stride is 1).
     */
    static void im2col(float[] src, int base, int channels, ConvGeometry g, float[] cols, int col0, int ld) {
        if (VectorApi.ENABLED && FloatVectorKernels.im2colBlocks(src, base, channels, g, cols, col0, ld)) {
            return;
        }
        int oh = g.outH();
        int ow = g.outW();
        int inW = g.inW();
        int plane = g.inH() * inW;
        int r = 0;
        for (int ch = 0; ch < channels; ch++) {
            for (int ki = 0; ki < g.kh(); ki++) {
                for (int kj = 0; kj < g.kw(); kj++, r++) {
                    int shift = kj * g.dw() - g.pw();
                    // output columns whose element lies inside the image: 0 <= xx * sw + shift < inW
                    int x0 = Math.min(ow, shift >= 0 ? 0 : (-shift + g.sw() - 1) / g.sw());
                    int x1 = Math.max(x0, Math.min(ow, inW - shift <= 0 ? 0 : (inW - shift + g.sw() - 1) / g.sw()));
                    int dst = r * ld + col0;
                    int rowEnd = dst + oh * ow;
                    for (int y = 0; y < oh; y++, dst += ow) {
                        int iy = y * g.sh() - g.ph() + ki * g.dh();
                        if (iy < 0 || iy >= g.inH()) {
                            Arrays.fill(cols, dst, dst + ow, 0f);
                            continue;
                        }
                        int row = base + ch * plane + iy * inW + shift;
                        if (x0 > 0) {
                            Arrays.fill(cols, dst, dst + x0, 0f);
                        }
                        if (g.sw() == 1 && VectorApi.ENABLED) {
                            // past the run: this row's later positions, written after it
                            FloatVectorKernels.copyRun(src, row + x0, cols, dst + x0, x1 - x0, rowEnd);
                        } else if (g.sw() == 1) {
                            System.arraycopy(src, row + x0, cols, dst + x0, x1 - x0);
                        } else {
                            for (int xx = x0; xx < x1; xx++) {
                                cols[dst + xx] = src[row + xx * g.sw()];
                            }
                        }
                        if (x1 < ow) {
                            Arrays.fill(cols, dst + x1, dst + ow, 0f);
                        }
                    }
                }
            }
        }
    }

    /**
     * The adjoint of {@link #im2col} for one image: {@code dcols [C*kh*kw, L]} summed into its zeroed planes at
     * {@code out[base..]}. Each input element receives its terms in output-position order, as fold adds them (a
     * position further down or right reaches it through a smaller ki, kj): at column stride 1 summed a vector of an
     * input row at a time ({@link FloatVectorKernels#col2imRows}), otherwise with kernel rows and columns walking
     * downwards.
     */
    static void col2im(float[] dcols, int channels, ConvGeometry g, float[] out, int base) {
        if (g.sw() == 1 && VectorApi.ENABLED) {
            FloatVectorKernels.col2imRows(dcols, channels, g, out, base);
            return;
        }
        int oh = g.outH();
        int ow = g.outW();
        int l = oh * ow;
        int inW = g.inW();
        int plane = g.inH() * inW;
        Arrays.fill(out, base, base + channels * plane, 0f);
        for (int ch = 0; ch < channels; ch++) {
            for (int ki = g.kh() - 1; ki >= 0; ki--) {
                for (int kj = g.kw() - 1; kj >= 0; kj--) {
                    int r = (ch * g.kh() + ki) * g.kw() + kj;
                    int shift = kj * g.dw() - g.pw();
                    int x0 = Math.min(ow, shift >= 0 ? 0 : (-shift + g.sw() - 1) / g.sw());
                    int x1 = Math.max(x0, Math.min(ow, inW - shift <= 0 ? 0 : (inW - shift + g.sw() - 1) / g.sw()));
                    for (int y = 0; y < oh; y++) {
                        int iy = y * g.sh() - g.ph() + ki * g.dh();
                        if (iy < 0 || iy >= g.inH()) {
                            continue;
                        }
                        int s = r * l + y * ow;
                        int row = base + ch * plane + iy * inW + shift;
                        for (int xx = x0; xx < x1; xx++) {
                            out[row + xx * g.sw()] += dcols[s + xx];
                        }
                    }
                }
            }
        }
    }

    private static Tensor contiguous(Tensor t) {
        return t.isContiguous() ? t : CpuKernels.INSTANCE.copy(t, t.dtype());
    }

    private static int imagesPerTask(int n) {
        return (n + TASKS - 1) / TASKS;
    }

    private static Parallel.Loop tasks(int n, int per, long workPerImage) {
        return CpuConvKernels.parallel((n + per - 1) / per, workPerImage * per);
    }
}
