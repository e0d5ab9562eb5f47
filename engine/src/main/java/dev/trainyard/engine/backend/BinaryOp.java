package dev.trainyard.engine.backend;

/** Elementwise primitives of two inputs of one shape and dtype. Comparisons and logical ops produce bool. */
public enum BinaryOp {
    ADD, SUB, MUL, DIV, POW, REMAINDER, MAXIMUM, MINIMUM,
    EQ, NE, LT, LE, GT, GE, LOGICAL_AND, LOGICAL_OR, LOGICAL_XOR;

    public boolean producesBool() {
        return ordinal() >= EQ.ordinal();
    }
}
