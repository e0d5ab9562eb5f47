package dev.trainyard.engine.ops;

import dev.trainyard.engine.DType;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.ValuesIndices;
import dev.trainyard.engine.autograd.Function;
import dev.trainyard.engine.autograd.FunctionCtx;
import dev.trainyard.engine.autograd.GradMode;
import dev.trainyard.engine.backend.ConvGeometry;
import dev.trainyard.engine.backend.FloatBuffers;
import dev.trainyard.engine.backend.IntBuffers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Convolution and pooling, composed from one differentiable pair: unfold (im2row) and fold (row2im), each the
 * other's gradient. A convolution is unfold followed by one matrix product; pooling is unfold followed by a
 * reduction over each row.
 */
public final class Convolution {
    private Convolution() {
    }

    /**
     * Sliding windows of a {@code [N, C, H, W]} tensor as rows {@code [N, L, C*kh*kw]}. ({@code F.unfold} is its
     * transpose, {@code [N, C*kh*kw, L]}.)
     */
    public static Tensor unfold(Tensor x, ConvGeometry g, double padValue) {
        return new Unfold(g, padValue).apply(x);
    }

    /** Sums rows {@code [N, L, C*kh*kw]} back into {@code [N, C, H, W]}. */
    public static Tensor fold(Tensor rows, int channels, ConvGeometry g) {
        return new Fold(g, channels).apply(rows);
    }

    /**
     * {@code F.conv2d}: input {@code [N, C, H, W]} (or unbatched {@code [C, H, W]}), weight {@code [O, C/groups, kh, kw]},
     * optional bias {@code [O]}.
     */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation, int groups) {
        boolean unbatched = input.dim() == 3;
        Tensor x = unbatched ? input.unsqueeze(0) : input;
        if (x.dim() != 4 || weight.dim() != 4) {
            throw new IllegalArgumentException("conv2d: expected a 3D or 4D input and a 4D weight, got input "
                    + Arrays.toString(input.shape()) + " and weight " + Arrays.toString(weight.shape()));
        }
        int n = x.size(0);
        int c = x.size(1);
        int o = weight.size(0);
        if (groups < 1 || c % groups != 0 || o % groups != 0) {
            throw new IllegalArgumentException("conv2d: groups (" + groups + ") must divide both in_channels (" + c
                    + ") and out_channels (" + o + ")");
        }
        if (weight.size(1) * groups != c) {
            throw new IllegalArgumentException("conv2d: given groups=" + groups + ", weight of size " + Arrays.toString(weight.shape())
                    + ", expected input " + Arrays.toString(input.shape()) + " to have " + (weight.size(1) * groups)
                    + " channels, but got " + c + " channels instead");
        }
        if (x.dtype() != weight.dtype()) {
            throw new IllegalArgumentException("conv2d: input dtype " + x.dtype() + " and weight dtype " + weight.dtype() + " differ");
        }
        int kh = weight.size(2);
        int kw = weight.size(3);
        ConvGeometry g = new ConvGeometry(x.size(2), x.size(3), kh, kw, stride[0], stride[1], padding[0], padding[1],
                dilation[0], dilation[1]);
        checkOutput("conv2d", x, g);
        int oh = g.outH();
        int ow = g.outW();
        int l = oh * ow;
        if (groups == 1 && bias != null && x.dtype().isFloatingPoint() && bias.dtype() == x.dtype()) {
            Tensor out = new Conv2d(g).apply(x, weight, bias);
            return unbatched ? out.squeeze(0) : out;
        }
        Tensor rows = unfold(x, g, 0.0);
        Tensor out;
        if (groups == 1) {
            // one large product: [N*L, C*kh*kw] x [C*kh*kw, O]
            out = rows.view(n * l, c * kh * kw).matmul(weight.reshape(o, c * kh * kw).t()).view(n, l, o).transpose(1, 2);
        } else {
            int cg = c / groups * kh * kw;
            Tensor grouped = rows.view(n, l, groups, cg).permute(0, 2, 1, 3);
            out = grouped.matmul(weight.reshape(groups, o / groups, cg).transpose(1, 2)).permute(0, 1, 3, 2);
        }
        out = out.reshape(n, o, oh, ow);
        if (bias != null) {
            out = out.add(bias.view(1, o, 1, 1));
        }
        return unbatched ? out.squeeze(0) : out;
    }

    /** {@code F.conv1d} as a conv2d over a height of 1. */
    public static Tensor conv1d(Tensor input, Tensor weight, Tensor bias, int stride, int padding, int dilation, int groups) {
        boolean unbatched = input.dim() == 2;
        Tensor x = unbatched ? input.unsqueeze(0) : input;
        if (x.dim() != 3 || weight.dim() != 3) {
            throw new IllegalArgumentException("conv1d: expected a 2D or 3D input and a 3D weight, got input "
                    + Arrays.toString(input.shape()) + " and weight " + Arrays.toString(weight.shape()));
        }
        Tensor out = conv2d(x.unsqueeze(2), weight.unsqueeze(2), bias, new int[] {1, stride}, new int[] {0, padding},
                new int[] {1, dilation}, groups).squeeze(2);
        return unbatched ? out.squeeze(0) : out;
    }

    /**
     * {@code F.conv_transpose2d}: the gradient of conv2d with respect to its input. Weight {@code [C_in, C_out/groups, kh, kw]}.
     */
    public static Tensor convTranspose2d(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding,
                                         int[] outputPadding, int groups, int[] dilation) {
        boolean unbatched = input.dim() == 3;
        Tensor x = unbatched ? input.unsqueeze(0) : input;
        if (x.dim() != 4 || weight.dim() != 4) {
            throw new IllegalArgumentException("convTranspose2d: expected a 3D or 4D input and a 4D weight, got input "
                    + Arrays.toString(input.shape()) + " and weight " + Arrays.toString(weight.shape()));
        }
        int n = x.size(0);
        int cin = x.size(1);
        if (weight.size(0) != cin || cin % groups != 0) {
            throw new IllegalArgumentException("convTranspose2d: weight of size " + Arrays.toString(weight.shape())
                    + " expects " + weight.size(0) + " input channels, got input " + Arrays.toString(input.shape())
                    + " with groups=" + groups);
        }
        int coutPerGroup = weight.size(1);
        int cout = coutPerGroup * groups;
        int kh = weight.size(2);
        int kw = weight.size(3);
        int h = x.size(2);
        int w = x.size(3);
        for (int i = 0; i < 2; i++) {
            if (outputPadding[i] >= Math.max(stride[i], dilation[i])) {
                throw new IllegalArgumentException("convTranspose2d: output padding " + Arrays.toString(outputPadding)
                        + " must be smaller than either stride or dilation, got stride " + Arrays.toString(stride));
            }
        }
        int outH = (h - 1) * stride[0] - 2 * padding[0] + dilation[0] * (kh - 1) + outputPadding[0] + 1;
        int outW = (w - 1) * stride[1] - 2 * padding[1] + dilation[1] * (kw - 1) + outputPadding[1] + 1;
        ConvGeometry g = new ConvGeometry(outH, outW, kh, kw, stride[0], stride[1], padding[0], padding[1], dilation[0], dilation[1]);
        if (g.outH() != h || g.outW() != w) {
            throw new IllegalStateException("convTranspose2d: geometry mismatch (" + g.outH() + "x" + g.outW() + " vs " + h + "x" + w + ")");
        }
        // rows [N, L, C_out*kh*kw] per group: x^T [N, g, L, C_in/g] x W_g [g, C_in/g, C_out/g*kh*kw]
        Tensor flat = x.reshape(n, groups, cin / groups, h * w).transpose(2, 3);
        Tensor wg = weight.reshape(groups, cin / groups, coutPerGroup * kh * kw);
        Tensor rows = flat.matmul(wg).permute(0, 2, 1, 3).reshape(n, h * w, cout * kh * kw);
        Tensor out = fold(rows, cout, g);
        if (bias != null) {
            out = out.add(bias.view(1, cout, 1, 1));
        }
        return unbatched ? out.squeeze(0) : out;
    }

    /** {@code F.max_pool2d}; indices (flat over H*W, as PyTorch) are returned as a second tensor. */
    public static ValuesIndices maxPool2dWithIndices(Tensor input, int[] kernel, int[] stride, int[] padding, int[] dilation,
                                                     boolean ceilMode) {
        Pooled p = maxPool(input, kernel, stride, padding, dilation, ceilMode, true);
        if (p.indices() != null) {
            return new ValuesIndices(p.values(), p.indices());
        }
        ConvGeometry g = p.geometry();
        int oh = g.outH();
        int ow = g.outW();
        long[] window = p.best().indices().toLongArray();
        long[] flat = new long[window.length];
        for (int i = 0; i < window.length; i++) {
            int pos = i % (oh * ow);
            int k = (int) window[i];
            int iy = (pos / ow) * g.sh() - g.ph() + (k / g.kw()) * g.dh();
            int ix = (pos % ow) * g.sw() - g.pw() + (k % g.kw()) * g.dw();
            flat[i] = (long) iy * g.inW() + ix;
        }
        Tensor indices = Tensor.of(flat, p.values().shape());
        return new ValuesIndices(p.values(), indices);
    }

    public static Tensor maxPool2d(Tensor input, int[] kernel, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        return maxPool(input, kernel, stride, padding, dilation, ceilMode, false).values();
    }

    /** From the max-pool node: its int64 {@code indices} if asked for; from unfold and max: {@code best} per window. */
    private record Pooled(Tensor values, Tensor indices, ValuesIndices best, ConvGeometry geometry) {
    }

    private static Pooled maxPool(Tensor input, int[] kernel, int[] stride, int[] padding, int[] dilation, boolean ceilMode,
                                  boolean withIndices) {
        boolean unbatched = input.dim() == 3;
        Tensor x = unbatched ? input.unsqueeze(0) : input;
        if (x.dim() != 4) {
            throw new IllegalArgumentException("maxPool2d: expected a 3D or 4D input, got " + Arrays.toString(input.shape()));
        }
        for (int i = 0; i < 2; i++) {
            if (padding[i] * 2 > kernel[i]) {
                throw new IllegalArgumentException("maxPool2d: pad should be at most half of effective kernel size, but got pad="
                        + padding[i] + ", kernel_size=" + kernel[i]);
            }
        }
        int n = x.size(0);
        int c = x.size(1);
        int h = x.size(2);
        int w = x.size(3);
        ConvGeometry g = new ConvGeometry(h, w, kernel[0], kernel[1], stride[0], stride[1], padding[0], padding[1],
                dilation[0], dilation[1], ceilMode);
        checkOutput("maxPool2d", x, g);
        if (x.dtype().isFloatingPoint() && windowsReachImage(g)) {
            Tensor[] out = new MaxPool(g, withIndices).applyAll(x);
            Tensor indices = withIndices ? (unbatched ? out[1].squeeze(0) : out[1]) : null;
            return new Pooled(unbatched ? out[0].squeeze(0) : out[0], indices, null, g);
        }
        Tensor rows = unfold(x.reshape(n * c, 1, h, w), g, Double.NEGATIVE_INFINITY);
        ValuesIndices best = rows.max(2, false);
        Tensor values = best.values().view(n, c, g.outH(), g.outW());
        return new Pooled(unbatched ? values.squeeze(0) : values, null, best, g);
    }

    /** Whether every pooling window has at least one element inside the image (not only padding). */
    private static boolean windowsReachImage(ConvGeometry g) {
        return reachesImage(g.outH(), g.inH(), g.kh(), g.sh(), g.ph(), g.dh())
                && reachesImage(g.outW(), g.inW(), g.kw(), g.sw(), g.pw(), g.dw());
    }

    private static boolean reachesImage(int out, int in, int k, int s, int p, int d) {
        for (int o = 0; o < out; o++) {
            boolean inside = false;
            for (int j = 0; j < k && !inside; j++) {
                int i = o * s - p + j * d;
                inside = i >= 0 && i < in;
            }
            if (!inside) {
                return false;
            }
        }
        return true;
    }

    /** {@code F.avg_pool2d}; {@code divisorOverride} of 0 means none. */
    public static Tensor avgPool2d(Tensor input, int[] kernel, int[] stride, int[] padding, boolean ceilMode,
                                   boolean countIncludePad, int divisorOverride) {
        boolean unbatched = input.dim() == 3;
        Tensor x = unbatched ? input.unsqueeze(0) : input;
        if (x.dim() != 4) {
            throw new IllegalArgumentException("avgPool2d: expected a 3D or 4D input, got " + Arrays.toString(input.shape()));
        }
        int n = x.size(0);
        int c = x.size(1);
        int h = x.size(2);
        int w = x.size(3);
        ConvGeometry g = new ConvGeometry(h, w, kernel[0], kernel[1], stride[0], stride[1], padding[0], padding[1], 1, 1, ceilMode);
        checkOutput("avgPool2d", x, g);
        Tensor sums = unfold(x.reshape(n * c, 1, h, w), g, 0.0).sum(2);
        Tensor out;
        if (divisorOverride > 0) {
            out = sums.div((double) divisorOverride);
        } else {
            out = sums.div(windowCounts(g, countIncludePad, x.dtype()));
        }
        out = out.view(n, c, g.outH(), g.outW());
        return unbatched ? out.squeeze(0) : out;
    }

    /**
     * How many elements each pooling window averages: with countIncludePad the window clipped to the padded input,
     * without it the window clipped to the input itself (PyTorch's rule).
     */
    private static Tensor windowCounts(ConvGeometry g, boolean countIncludePad, DType dtype) {
        int oh = g.outH();
        int ow = g.outW();
        double[] counts = new double[oh * ow];
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                int hs = y * g.sh() - g.ph();
                int ws = x * g.sw() - g.pw();
                int he = Math.min(hs + g.kh(), g.inH() + g.ph());
                int we = Math.min(ws + g.kw(), g.inW() + g.pw());
                int poolSize = (he - hs) * (we - ws);
                if (!countIncludePad) {
                    poolSize = (Math.min(he, g.inH()) - Math.max(hs, 0)) * (Math.min(we, g.inW()) - Math.max(ws, 0));
                }
                counts[y * ow + x] = poolSize;
            }
        }
        return Tensor.of(counts, oh * ow).to(dtype);
    }

    /** {@code F.adaptive_avg_pool2d}: window i spans {@code [floor(i*H/out), ceil((i+1)*H/out))}. */
    public static Tensor adaptiveAvgPool2d(Tensor input, int outH, int outW) {
        boolean unbatched = input.dim() == 3;
        Tensor x = unbatched ? input.unsqueeze(0) : input;
        if (x.dim() != 4 || outH <= 0 || outW <= 0) {
            throw new IllegalArgumentException("adaptiveAvgPool2d: expected a 3D or 4D input and a positive output size, got "
                    + Arrays.toString(input.shape()) + " -> [" + outH + ", " + outW + "]");
        }
        int h = x.size(2);
        int w = x.size(3);
        Tensor out;
        if (h % outH == 0 && w % outW == 0) {
            int[] k = {h / outH, w / outW};
            out = avgPool2d(x, k, k, new int[] {0, 0}, false, true, 0);
        } else {
            List<Tensor> rows = new ArrayList<>();
            for (int i = 0; i < outH; i++) {
                int hs = Math.floorDiv(i * h, outH);
                int he = -Math.floorDiv(-(i + 1) * h, outH);
                List<Tensor> cells = new ArrayList<>();
                for (int j = 0; j < outW; j++) {
                    int ws = Math.floorDiv(j * w, outW);
                    int we = -Math.floorDiv(-(j + 1) * w, outW);
                    cells.add(x.slice(2, hs, he).slice(3, ws, we).mean(new int[] {2, 3}, false));
                }
                rows.add(Tensor.stack(cells, -1));
            }
            out = Tensor.stack(rows, -2);
        }
        return unbatched ? out.squeeze(0) : out;
    }

    private static void checkOutput(String op, Tensor x, ConvGeometry g) {
        if (g.outH() <= 0 || g.outW() <= 0) {
            throw new IllegalArgumentException(op + ": input of shape " + Arrays.toString(x.shape()) + " is too small for kernel "
                    + g.kh() + "x" + g.kw() + " (stride " + g.sh() + "x" + g.sw() + ", padding " + g.ph() + "x" + g.pw()
                    + ", dilation " + g.dh() + "x" + g.dw() + "): the output would be " + g.outH() + "x" + g.outW());
        }
    }

    /**
     * Max pooling in one kernel pass. The node keeps where each maximum was as int32 positions within its plane (half
     * the bytes of PyTorch's int64 indices, which it returns as a second output only for {@code return_indices}), in
     * an array from {@link IntBuffers} that it gives back when the graph frees it, or at once when nothing will run
     * its backward. Its backward writes the input gradient in one kernel pass into an array from {@link FloatBuffers},
     * returned as owned (relu's backward then writes into it), and gives back its incoming gradient's array when it
     * owns it; with createGraph it is a differentiable put, so the gradient has a graph of its own.
     */
    static final class MaxPool extends Function {
        private final ConvGeometry g;
        private final boolean withIndices;
        private int[] inputShape;
        private Tensor positions;

        MaxPool(ConvGeometry g, boolean withIndices) {
            this.g = g;
            this.withIndices = withIndices;
        }

        @Override
        public String name() {
            return "MaxPool2DWithIndicesBackward0";
        }

        @Override
        protected Tensor[] forward(FunctionCtx ctx, Tensor... in) {
            inputShape = in[0].shape();
            Tensor[] valuesPositions = in[0].device().kernels().maxPool2d(in[0], g);
            Tensor values = valuesPositions[0];
            positions = valuesPositions[1];
            Tensor indices = withIndices ? Tensor.of(positions.toLongArray(), values.shape()) : null;
            if (ctx.needsInputGrad(0)) {
                ctx.onRelease(this::releasePositions);
            } else {
                releasePositions();
            }
            if (indices == null) {
                return new Tensor[] {values};
            }
            ctx.markNonDifferentiable(indices);
            return new Tensor[] {values, indices};
        }

        @Override
        protected Tensor[] backward(FunctionCtx ctx, Tensor... grads) {
            if (positions == null) {
                throw new IllegalStateException("MaxPool2DWithIndicesBackward0: trying to backward through the graph a "
                        + "second time; pass retainGraph=true to backward() if you need to backward through it again");
            }
            if (!GradMode.isEnabled()) {
                Tensor gradInput = grads[0].device().kernels().maxPool2dBackward(grads[0], positions, g, inputShape);
                if (ctx.gradientOwned(0)) {
                    FloatBuffers.giveBack(grads[0]);
                }
                ctx.markGradientsOwned(gradInput);
                return new Tensor[] {gradInput};
            }
            // a zero expanded to the input's shape: put allocates the zeroed result without copying zeros into it
            Tensor zeros = Tensor.zeros(new int[0], grads[0].dtype()).expand(inputShape);
            return new Tensor[] {new Indexing.Put("MaxPool2DWithIndicesBackwardBackward0", flatPositions(), true)
                    .apply(zeros, grads[0])};
        }

        /** The positions as int64 offsets into the whole input, for a put. */
        private Tensor flatPositions() {
            long[] flat = positions.toLongArray();
            int outPlane = g.outH() * g.outW();
            long plane = (long) g.inH() * g.inW();
            for (int i = 0; i < flat.length; i++) {
                flat[i] += i / outPlane * plane;
            }
            return Tensor.of(flat, positions.shape());
        }

        private void releasePositions() {
            IntBuffers.giveBack(positions.storage().ints());
            positions = null;
        }
    }

    /**
     * conv2d with a bias and one group as one node: the values of the composition
     * {@code unfold(x).view(N*L, CKK).matmul(W^T).view(N, L, O).transpose(1, 2) + b}, bit for bit, from the device's
     * {@code Kernels.conv2d} and {@code conv2dBackward} (the composition itself by default; on the CPU, PyTorch's column
     * layout without transposes). Their intermediates are seen by no tensor outside this node: their arrays go back to
     * {@link FloatBuffers} as soon as they are used, and the unfolded input it saves once the graph frees this node.
     */
    static final class Conv2d extends Function {
        private final ConvGeometry g;
        private int[] inputShape;
        private int[] weightShape;
        /**
         * The unfolded input in the kernels' layout ({@code Kernels.conv2d}), for the weight's gradient, or null where
         * they keep none; no tensor outside this node views it.
         */
        private Tensor rows;

        Conv2d(ConvGeometry g) {
            this.g = g;
        }

        @Override
        public String name() {
            return "ConvolutionBackward0";
        }

        @Override
        protected Tensor[] forward(FunctionCtx ctx, Tensor... in) {
            Tensor x = in[0];
            Tensor weight = in[1];
            inputShape = x.shape();
            weightShape = weight.shape();
            Tensor[] outAndUnfolded = x.device().kernels().conv2d(x, weight, in[2], g);
            rows = outAndUnfolded[1];
            if (!ctx.needsInputGrad(1) && rows != null) {
                FloatBuffers.giveBack(rows);
                rows = null;
            }
            // x for kernels that keep no unfolded input, and for a backward with createGraph (unfolded with history)
            ctx.saveForBackward(ctx.needsInputGrad(0) ? weight : null, x);
            ctx.onRelease(this::releaseRows);
            return new Tensor[] {outAndUnfolded[0]};
        }

        @Override
        protected Tensor[] backward(FunctionCtx ctx, Tensor... grads) {
            if (GradMode.isEnabled()) {
                return differentiableBackward(ctx, grads[0]);
            }
            Tensor[] saved = ctx.savedTensors();
            int n = inputShape[0];
            int o = weightShape[0];
            int l = g.outH() * g.outW();
            Tensor grad = grads[0].reshape(n, o, l);
            if (!grad.isContiguous()) {
                grad = grad.device().kernels().copy(grad, grad.dtype());
            }
            Tensor[] out = grad.device().kernels().conv2dBackward(grad, saved[1], rows, saved[0], weightShape, g,
                    inputShape, ctx.needsInputGrad(0), ctx.needsInputGrad(1), ctx.needsInputGrad(2));
            if (ctx.gradientOwned(0)) {
                // relu's gradient, written into the max-pool's: dead now that the products and the bias sum have read it
                FloatBuffers.giveBack(grads[0]);
            }
            ctx.markGradientsOwned(out);
            return out;
        }

        /** With createGraph: the composition's own differentiable ops, so the gradient has a graph of its own. */
        private Tensor[] differentiableBackward(FunctionCtx ctx, Tensor grad4) {
            Tensor weight = ctx.savedTensors()[0];
            int n = inputShape[0];
            int o = weightShape[0];
            int ckk = weightShape[1] * weightShape[2] * weightShape[3];
            int l = g.outH() * g.outW();
            Tensor grad = grad4.reshape(n, o, l);
            Tensor gradProduct = grad.transpose(1, 2).reshape(n * l, o);
            Tensor gradInput = null;
            Tensor gradWeight = null;
            if (ctx.needsInputGrad(0)) {
                gradInput = fold(gradProduct.matmul(weight.reshape(o, ckk)).view(n, l, ckk), inputShape[1], g);
            }
            if (ctx.needsInputGrad(1)) {
                Tensor xRows = unfold(ctx.savedTensors()[1], g, 0.0).view(n * l, ckk);
                gradWeight = xRows.t().matmul(gradProduct).t().reshape(weightShape);
            }
            Tensor gradBias = ctx.needsInputGrad(2) ? grad.sum(new int[] {0, 2}, false) : null;
            return new Tensor[] {gradInput, gradWeight, gradBias};
        }

        private void releaseRows() {
            if (rows != null) {
                FloatBuffers.giveBack(rows);
            }
            rows = null;
        }

    }

    static final class Unfold extends Function {
        private final ConvGeometry g;
        private final double padValue;
        private int channels;

        Unfold(ConvGeometry g, double padValue) {
            this.g = g;
            this.padValue = padValue;
        }

        @Override
        public String name() {
            return "Im2ColBackward0";
        }

        @Override
        protected Tensor[] forward(FunctionCtx ctx, Tensor... in) {
            channels = in[0].size(1);
            return new Tensor[] {in[0].device().kernels().unfold(in[0], g, padValue)};
        }

        @Override
        protected Tensor[] backward(FunctionCtx ctx, Tensor... grads) {
            return new Tensor[] {new Fold(g, channels).apply(grads[0])};
        }
    }

    static final class Fold extends Function {
        private final ConvGeometry g;
        private final int channels;

        Fold(ConvGeometry g, int channels) {
            this.g = g;
            this.channels = channels;
        }

        @Override
        public String name() {
            return "Col2ImBackward0";
        }

        @Override
        protected Tensor[] forward(FunctionCtx ctx, Tensor... in) {
            return new Tensor[] {in[0].device().kernels().fold(in[0], channels, g)};
        }

        @Override
        protected Tensor[] backward(FunctionCtx ctx, Tensor... grads) {
            return new Tensor[] {new Unfold(g, 0.0).apply(grads[0])};
        }
    }
}
