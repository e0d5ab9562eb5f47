package dev.trainyard.engine;

/** The (values, indices) pair that max, min, sort and topk return, as PyTorch's named tuples. */
public record ValuesIndices(Tensor values, Tensor indices) {
}
