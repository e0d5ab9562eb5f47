package dev.trainyard.engine.autograd;

import dev.trainyard.engine.DType;
import dev.trainyard.engine.Generator;
import dev.trainyard.engine.Tensor;

/** Seeded float64 leaves for gradient checks, built outside autograd and then marked as requiring grad. */
final class Inputs {
    private final Generator generator;

    Inputs(long seed) {
        generator = new Generator().manualSeed(seed);
    }

    /** Standard normal values. */
    Tensor randn(int... shape) {
        return Tensor.randn(shape, generator).to(DType.FLOAT64).requiresGrad_();
    }

    /** Uniform on {@code [lo, hi)}. */
    Tensor uniform(double lo, double hi, int... shape) {
        return Tensor.rand(shape, generator).to(DType.FLOAT64).mul(hi - lo).add(lo).requiresGrad_();
    }

    /** Magnitudes in {@code [0.3, 1.3)} with random signs: away from the kinks of abs, relu, sign and division. */
    Tensor awayFromZero(int... shape) {
        Tensor magnitude = Tensor.rand(shape, generator).to(DType.FLOAT64).add(0.3);
        Tensor sign = Tensor.rand(shape, generator).to(DType.FLOAT64).gt(0.5).to(DType.FLOAT64).mul(2.0).sub(1.0);
        return magnitude.mul(sign).requiresGrad_();
    }

    /** A leaf of shape {@code [rows, cols]} that is the transpose of a contiguous {@code [cols, rows]} tensor. */
    Tensor transposed(int rows, int cols) {
        Tensor t = Tensor.randn(new int[] {cols, rows}, generator).to(DType.FLOAT64).t();
        return t.requiresGrad_();
    }

    /** A leaf of shape {@code [rows, cols]} that takes every other column of a {@code [rows, 2 cols]} tensor. */
    Tensor stepSliced(int rows, int cols) {
        Tensor t = Tensor.randn(new int[] {rows, 2 * cols}, generator).to(DType.FLOAT64).slice(1, 0, 2 * cols, 2);
        return t.requiresGrad_();
    }

    /** Fixed values, for ops with kinks the values must stay away from. */
    static Tensor of(int[] shape, double... values) {
        return Tensor.of(values, shape).requiresGrad_();
    }

    /** A bool mask from a seeded coin. */
    Tensor mask(int... shape) {
        return Tensor.rand(shape, generator).gt(0.5);
    }

    /** Normal values that do not require grad. */
    Tensor constant(int... shape) {
        return Tensor.randn(shape, generator).to(DType.FLOAT64);
    }
}
