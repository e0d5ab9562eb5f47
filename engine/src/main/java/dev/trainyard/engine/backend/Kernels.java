package dev.trainyard.engine.backend;

import dev.trainyard.engine.DType;
import dev.trainyard.engine.Tensor;

/**
 * The primitive kernels one device provides. Every tensor op is composed from these; autograd, broadcasting and type
 * promotion happen above this line, so a kernel sees inputs that already have the output's shape (broadcast inputs
 * arrive as stride-0 views) and a common dtype. Kernels never record autograd history and always return new,
 * contiguous tensors unless they write into a given destination.
 */
public interface Kernels {

    /** A contiguous copy of {@code src} converted to {@code dtype}. */
    Tensor copy(Tensor src, DType dtype);

    /** Writes {@code src} (same shape, any dtype) into {@code dst}, which may be a strided view. */
    void copyInto(Tensor dst, Tensor src);

    /** Elementwise op; the result has the input's dtype, or bool for LOGICAL_NOT. */
    Tensor unary(UnaryOp op, Tensor x);

    /** Elementwise op of two same-shape, same-dtype inputs; the result has that dtype, or bool for comparisons. */
    Tensor binary(BinaryOp op, Tensor a, Tensor b);

    /**
     * {@code a * sign(b)}, elementwise, for two same-shape tensors of one floating-point dtype (relu's backward: the
     * gradient times the 0/1 mask of relu's output). The same values as {@code binary(MUL, a, unary(SIGN, b))}; a
     * kernel may compute it in one pass, without the sign tensor.
     */
    default Tensor mulBySign(Tensor a, Tensor b) {
        return binary(BinaryOp.MUL, a, unary(UnaryOp.SIGN, b));
    }

    /**
     * {@link #mulBySign} written into {@code a}'s own array, which must be contiguous, cover the whole array and be
     * viewed by no other tensor (an owned gradient); returns {@code a}. The same values as {@link #mulBySign}.
     */
    default Tensor mulBySignInPlace(Tensor a, Tensor b) {
        copyInto(a, mulBySign(a, b));
        return a;
    }

    /** {@code cond ? a : b}, elementwise; {@code cond} is bool, {@code a} and {@code b} share a dtype, all one shape. */
    Tensor where(Tensor cond, Tensor a, Tensor b);

    /** Reduces over {@code dims} (sorted, distinct); the result drops those dims and keeps the input's dtype. */
    Tensor reduce(ReduceOp op, Tensor x, int[] dims);

    /** Max or min along {@code dim} with the index of the first extreme (NaN counts as the extreme): {values, int64 indices}. */
    Tensor[] argReduce(ReduceOp op, Tensor x, int dim);

    /** Batched matrix product of {@code [B, M, K]} and {@code [B, K, N]} of one dtype. */
    Tensor matmul(Tensor a, Tensor b);

    /**
     * im2row: {@code [N, C, H, W]} to {@code [N, L, C*kh*kw]}, one row per output position (L = outH*outW), padding
     * read as {@code padValue}.
     */
    Tensor unfold(Tensor x, ConvGeometry geometry, double padValue);

    /** row2im, the adjoint of unfold: rows {@code [N, L, C*kh*kw]} summed into {@code [N, C, H, W]}. */
    Tensor fold(Tensor rows, int channels, ConvGeometry geometry);

    /**
     * A convolution's output from its product: rows {@code [N, L, O]} (one per output position) transposed to
     * {@code [N, O, L]}, plus {@code bias[o]}: the values of {@code binary(ADD, product.transpose(1, 2), bias)} with
     * the bias broadcast.
     */
    default Tensor transposeAddBias(Tensor product, Tensor bias) {
        int[] shape = {product.size(0), product.size(2), product.size(1)};
        return binary(BinaryOp.ADD, product.transpose(1, 2), bias.view(1, shape[1], 1).expand(shape));
    }

    /**
     * A convolution's output gradient {@code [N, O, L]} as product rows: a contiguous copy of its transpose,
     * {@code [N, L, O]}, and the bias gradient {@code [O]}, the values of {@code reduce(SUM, grad, {0, 2})}.
     */
    default Tensor[] transposeAndSumRows(Tensor grad) {
        return new Tensor[] {copy(grad.transpose(1, 2), grad.dtype()), reduce(ReduceOp.SUM, grad, new int[] {0, 2})};
    }

    /**
     * Max pooling of {@code [N, C, H, W]}: the maxima {@code [N, C, outH, outW]} (x's dtype) and where each was found,
     * as int32 positions {@code h * W + w} within its (image, channel) plane. Padding is never chosen; within a window
     * the first maximum in row-major order wins, and NaN beats any number. Every window must reach the image.
     * Floating-point dtypes.
     */
    Tensor[] maxPool2d(Tensor x, ConvGeometry geometry);

    /**
     * The input gradient {@code [N, C, H, W]} ({@code inputShape}) of {@link #maxPool2d}: each output's gradient added
     * at its maximum's position (as a sequential scatter into zeros adds them), zero elsewhere.
     */
    Tensor maxPool2dBackward(Tensor grad, Tensor positions, ConvGeometry geometry, int[] inputShape);

    // ---- indexing primitives (implemented for the CPU in cpu/CpuIndexKernels) ----

    /**
     * {@code x.flatten()[index]}: the elements of {@code x} at row-major positions {@code index} (int64, any shape,
     * values in {@code [0, x.numel())}). The result has the index's shape and x's dtype. Gather, index select, masked
     * select and advanced indexing all lower to this once their positions are computed.
     */
    Tensor take(Tensor x, Tensor index);

    /**
     * A contiguous copy of {@code x} whose elements at row-major positions {@code index} (int64) are replaced by, or with
     * {@code accumulate} increased by, the matching elements of {@code src} (as many elements as the index, x's dtype).
     * With {@code accumulate} repeated positions add up; without it one of the writes wins. Scatter, scatter-add and
     * the backward of {@link #take} lower to this.
     */
    Tensor put(Tensor x, Tensor index, Tensor src, boolean accumulate);

    /** Inclusive cumulative sum along {@code dim}; the result is contiguous with x's shape and dtype. */
    Tensor cumsum(Tensor x, int dim);

    /**
     * The int64 positions that stably sort each slice of {@code x} along {@code dim} (ties keep their order; NaN sorts
     * above everything, -0.0 equals 0.0), as {@code torch.sort(stable=True).indices}; contiguous, x's shape.
     */
    Tensor argsort(Tensor x, int dim, boolean descending);
}
