package dev.trainyard.engine.conformance;

import dev.trainyard.engine.DType;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.autograd.Function;
import dev.trainyard.engine.autograd.FunctionCtx;
import dev.trainyard.engine.backend.ComposedKernels;
import dev.trainyard.engine.backend.Kernels;
import dev.trainyard.engine.backend.UnaryOp;
import dev.trainyard.engine.backend.cpu.CpuKernels;
import dev.trainyard.engine.nn.ReLU;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * relu's input gradient, bit for bit, as PyTorch 1.13's {@code threshold_backward} selects it: the upstream gradient
 * where relu's output is not {@code <= 0}, else +0.0, so a zero output gives +0.0 for a negative, infinite or NaN
 * gradient (a product with the output's sign gave -0.0 and NaN there) and a NaN output passes the gradient. Every pair
 * of an input from {@link #INPUTS} and a gradient from {@link #GRADS}, through every path: the autograd node with the
 * forward's bit mask (into a fresh array and into an owned gradient), without one (a strided input), with createGraph,
 * {@code relu_} and {@code nn.ReLU}, float32 and float64, the CPU kernel with and without the mask, in place and not,
 * in its vector loop, its scalar tail and in chunks across cores, and the composed default of {@link Kernels}. The
 * plain Java kernels run it too (the surefire parity executions).
 */
class ReluBackwardBitsTest {
    private static final double[] INPUTS = {2.0, -2.0, 0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY};
    private static final double[] GRADS = {1.5, -1.5, 0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY};
    private static final int N = INPUTS.length * GRADS.length;

    /** The input gradient's bits, row = input, column = gradient: engine/src/test/python/gen_relu_backward_bits.py. */
    private static final int[] FLOAT32 = {
            0x3fc00000, 0xbfc00000, 0x00000000, 0x80000000, 0x7fc00000, 0x7f800000, 0xff800000,
            0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000,
            0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000,
            0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000,
            0x3fc00000, 0xbfc00000, 0x00000000, 0x80000000, 0x7fc00000, 0x7f800000, 0xff800000,
            0x3fc00000, 0xbfc00000, 0x00000000, 0x80000000, 0x7fc00000, 0x7f800000, 0xff800000,
            0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x00000000};
    private static final long[] FLOAT64 = {
            0x3ff8000000000000L, 0xbff8000000000000L, 0x0000000000000000L, 0x8000000000000000L, 0x7ff8000000000000L,
            0x7ff0000000000000L, 0xfff0000000000000L,
            0x0000000000000000L, 0x0000000000000000L, 0x0000000000000000L, 0x0000000000000000L, 0x0000000000000000L,
            0x0000000000000000L, 0x0000000000000000L,
            0x0000000000000000L, 0x0000000000000000L, 0x0000000000000000L, 0x0000000000000000L, 0x0000000000000000L,
            0x0000000000000000L, 0x0000000000000000L,
            0x0000000000000000L, 0x0000000000000000L, 0x0000000000000000L, 0x0000000000000000L, 0x0000000000000000L,
            0x0000000000000000L, 0x0000000000000000L,
            0x3ff8000000000000L, 0xbff8000000000000L, 0x0000000000000000L, 0x8000000000000000L, 0x7ff8000000000000L,
            0x7ff0000000000000L, 0xfff0000000000000L,
            0x3ff8000000000000L, 0xbff8000000000000L, 0x0000000000000000L, 0x8000000000000000L, 0x7ff8000000000000L,
            0x7ff0000000000000L, 0xfff0000000000000L,
            0x0000000000000000L, 0x0000000000000000L, 0x0000000000000000L, 0x0000000000000000L, 0x0000000000000000L,
            0x0000000000000000L, 0x0000000000000000L};

    /** How the test reaches relu's backward from a leaf. */
    enum Path {
        RELU(x -> x.relu()),
        RELU_IN_PLACE(x -> x.clone().relu_()),
        NN_RELU(x -> new ReLU().call(x)),
        /** The node's gradient comes owned (as a max-pool's or a linear layer's does), so relu writes into it. */
        OWNED_UPSTREAM(x -> new OwnedGradient().apply(x.relu()));

        final UnaryOperator<Tensor> relu;

        Path(UnaryOperator<Tensor> relu) {
            this.relu = relu;
        }
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void float32(Path path) {
        Tensor x = grid(INPUTS, DType.FLOAT32).requiresGrad_(true);
        path.relu.apply(x).backward(grid(GRADS, DType.FLOAT32));
        assertFloat32(x.grad(), path.name());
    }

    @ParameterizedTest
    @EnumSource(Path.class)
    void float64(Path path) {
        Tensor x = grid(INPUTS, DType.FLOAT64).requiresGrad_(true);
        path.relu.apply(x).backward(grid(GRADS, DType.FLOAT64));
        assertFloat64(x.grad(), path.name());
    }

    /** A transposed input: the forward keeps no mask, so the backward reads relu's output. */
    @Test
    void float32StridedInput() {
        Tensor leaf = grid(INPUTS, DType.FLOAT32).t().contiguous().requiresGrad_(true);
        leaf.t().relu().backward(grid(GRADS, DType.FLOAT32));
        assertFloat32(leaf.grad().t(), "strided");
    }

    /** createGraph: the differentiable composition, for float32 and float64. */
    @Test
    void withCreateGraph() {
        Tensor x32 = grid(INPUTS, DType.FLOAT32).requiresGrad_(true);
        x32.relu().backward(grid(GRADS, DType.FLOAT32), false, true);
        assertFloat32(x32.grad(), "createGraph");
        Tensor x64 = grid(INPUTS, DType.FLOAT64).requiresGrad_(true);
        x64.relu().backward(grid(GRADS, DType.FLOAT64), false, true);
        assertFloat64(x64.grad(), "createGraph");
    }

    /**
     * The kernel, with and without the forward's mask, in place and not: on the grid tiled past two chunks (whole
     * vectors, the scalar tail, several threads) and on each pair alone (the scalar loop only).
     */
    @Test
    void cpuKernelOnEveryPathAndLength() {
        int copies = 2 * (1 << 15) / N + 3;
        float[] x = new float[N * copies];
        float[] g = new float[N * copies];
        int[] expected = new int[N * copies];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) INPUTS[i % N / GRADS.length];
            g[i] = (float) GRADS[i % N % GRADS.length];
            expected[i] = FLOAT32[i % N];
        }
        assertKernel(x, g, expected);
        for (int i = 0; i < N; i++) {
            assertKernel(new float[] {x[i]}, new float[] {g[i]}, new int[] {expected[i]});
        }
    }

    private static void assertKernel(float[] x, float[] g, int[] expected) {
        Kernels k = CpuKernels.INSTANCE;
        Tensor input = Tensor.of(x, x.length);
        Tensor[] outputAndMask = k.reluWithMask(input);
        Tensor output = k.unary(UnaryOp.RELU, input);
        for (Tensor mask : new Tensor[] {outputAndMask[1], null}) {
            String what = mask == null ? "from the output" : "from the mask";
            assertBits(expected, k.reluBackward(Tensor.of(g, g.length), output, mask, false), what);
            Tensor own = Tensor.of(g.clone(), g.length);
            assertSame(own, k.reluBackward(own, output, mask, true));
            assertBits(expected, own, what + ", in place");
        }
        Tensor own = Tensor.of(g.clone(), g.length);
        assertSame(own, ComposedKernels.OVER_CPU.reluBackward(own, output, null, true));
        assertBits(expected, own, "composed, in place");
        assertBits(expected, ComposedKernels.OVER_CPU.reluBackward(Tensor.of(g, g.length), output, null, false), "composed");
    }

    /** The identity, whose backward hands on a fresh copy of its gradient declared owned. */
    private static final class OwnedGradient extends Function {
        @Override
        protected Tensor[] forward(FunctionCtx ctx, Tensor... in) {
            return new Tensor[] {in[0].clone()};
        }

        @Override
        protected Tensor[] backward(FunctionCtx ctx, Tensor... grads) {
            Tensor fresh = grads[0].clone();
            ctx.markGradientsOwned(fresh);
            return new Tensor[] {fresh};
        }
    }

    /** {@code [inputs, grads]}: row i holds {@code values[i]} when values are the inputs, column j when the gradients. */
    private static Tensor grid(double[] values, DType dtype) {
        double[] v = new double[N];
        for (int i = 0; i < N; i++) {
            v[i] = values == INPUTS ? INPUTS[i / GRADS.length] : GRADS[i % GRADS.length];
        }
        return Tensor.of(v, INPUTS.length, GRADS.length).to(dtype);
    }

    private static void assertFloat32(Tensor grad, String what) {
        assertEquals(DType.FLOAT32, grad.dtype());
        assertBits(FLOAT32, grad, what);
    }

    private static void assertBits(int[] expected, Tensor grad, String what) {
        float[] got = grad.toFloatArray();
        assertEquals(expected.length, got.length);
        for (int i = 0; i < got.length; i++) {
            assertEquals(Integer.toHexString(expected[i]), Integer.toHexString(Float.floatToRawIntBits(got[i])),
                    what + ": input " + INPUTS[i % N / GRADS.length] + ", gradient " + GRADS[i % N % GRADS.length]);
        }
    }

    private static void assertFloat64(Tensor grad, String what) {
        assertEquals(DType.FLOAT64, grad.dtype());
        double[] got = grad.toDoubleArray();
        for (int i = 0; i < N; i++) {
            assertEquals(Long.toHexString(FLOAT64[i]), Long.toHexString(Double.doubleToRawLongBits(got[i])),
                    what + ": input " + INPUTS[i / GRADS.length] + ", gradient " + GRADS[i % GRADS.length]);
        }
    }
}
