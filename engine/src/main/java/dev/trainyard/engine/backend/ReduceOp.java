package dev.trainyard.engine.backend;

/** Reductions over a set of dims. MAX and MIN propagate NaN, as in PyTorch. */
public enum ReduceOp {
    SUM, PROD, MAX, MIN
}
