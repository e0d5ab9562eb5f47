package dev.trainyard.engine.optim;

import dev.trainyard.engine.DType;

/**
 * Scalar arithmetic rounded to float32 or float64 after every operation, so an update loop written once reproduces
 * PyTorch's CPU kernels bit for bit in either precision: the optimizers cast their options with {@link #s} for the
 * device kernels, and the tests write with it the reference loops those kernels must match. Every operand must already
 * be a value of the precision (an element read from a buffer, or a Python-float option passed through {@link #s}).
 *
 * <p>Which rounding PyTorch applies was checked against its AVX2 kernels: {@code add(x, alpha=a)} is a fused
 * multiply-add {@code fma(other, a, self)}; {@code addcmul(t1, t2, value=v)} is {@code fma(v * t1, t2, self)};
 * {@code addcdiv(t1, t2, value=v)} is {@code self + (v * t1) / t2} with three roundings; scalars are first cast to the
 * tensor's dtype. Computing a float op in double and rounding once is exact for +, -, *, / and sqrt (double has more
 * than 2 * 24 + 2 bits), so {@code (float) (a * b)} equals float multiplication.
 */
final class Arith {
    static final Arith F32 = new Arith(true);
    static final Arith F64 = new Arith(false);

    private final boolean f32;

    private Arith(boolean f32) {
        this.f32 = f32;
    }

    static Arith of(DType dtype) {
        return switch (dtype) {
            case FLOAT32 -> F32;
            case FLOAT64 -> F64;
            default -> throw new IllegalArgumentException("optimizers update float32 or float64 tensors, got " + dtype);
        };
    }

    /** A Python-float option as the tensor op sees it: cast to the dtype. */
    double s(double scalar) {
        return f32 ? (float) scalar : scalar;
    }

    double add(double a, double b) {
        return f32 ? (float) (a + b) : a + b;
    }

    double mul(double a, double b) {
        return f32 ? (float) (a * b) : a * b;
    }

    double div(double a, double b) {
        return f32 ? (float) (a / b) : a / b;
    }

    double sqrt(double a) {
        return f32 ? (float) Math.sqrt(a) : Math.sqrt(a);
    }

    /** {@code a * b + c} with one rounding. */
    double fma(double a, double b, double c) {
        return f32 ? Math.fma((float) a, (float) b, (float) c) : Math.fma(a, b, c);
    }

    /** {@code torch.maximum}: NaN if either is NaN. */
    double maximum(double a, double b) {
        return Math.max(a, b);
    }
}
