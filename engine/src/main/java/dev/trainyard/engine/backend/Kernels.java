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

    /** {@code cond ? a : b}, elementwise; {@code cond} is bool, {@code a} and {@code b} share a dtype, all one shape. */
    Tensor where(Tensor cond, Tensor a, Tensor b);

    /** Reduces over {@code dims} (sorted, distinct); the result drops those dims and keeps the input's dtype. */
    Tensor reduce(ReduceOp op, Tensor x, int[] dims);

    /** Max or min along {@code dim} with the index of the first extreme (NaN counts as the extreme): {values, int64 indices}. */
    Tensor[] argReduce(ReduceOp op, Tensor x, int dim);

    /** Batched matrix product of {@code [B, M, K]} and {@code [B, K, N]} of one dtype. */
    Tensor matmul(Tensor a, Tensor b);
}
