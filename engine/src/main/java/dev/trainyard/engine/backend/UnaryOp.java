package dev.trainyard.engine.backend;

/** Elementwise primitives of one input. Integer kernels exist for NEG, ABS, SIGN and LOGICAL_NOT only. */
public enum UnaryOp {
    NEG, EXP, LOG, LOG1P, EXPM1, SQRT, RSQRT, ABS, SIGN, SIN, COS, TANH, SIGMOID, RELU, ERF, FLOOR, CEIL,
    RECIPROCAL, LOGICAL_NOT
}
