package dev.trainyard.engine.autograd;

import dev.trainyard.engine.DType;
import dev.trainyard.engine.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The checker itself: it must pass correct gradients and catch, and explain, wrong ones. */
class GradCheckTest {

    /** x², with a backward that forgets the factor 2. */
    static final class BadSquare extends Function {
        @Override
        protected Tensor[] forward(FunctionCtx ctx, Tensor... in) {
            ctx.saveForBackward(in[0]);
            return new Tensor[] {in[0].mul(in[0])};
        }

        @Override
        protected Tensor[] backward(FunctionCtx ctx, Tensor... g) {
            return new Tensor[] {g[0].mul(ctx.savedTensors()[0])};
        }
    }

    /** a * b, with the gradient of b negated. */
    static final class BadMul extends Function {
        @Override
        protected Tensor[] forward(FunctionCtx ctx, Tensor... in) {
            ctx.saveForBackward(in[0], in[1]);
            return new Tensor[] {in[0].mul(in[1])};
        }

        @Override
        protected Tensor[] backward(FunctionCtx ctx, Tensor... g) {
            Tensor[] s = ctx.savedTensors();
            return new Tensor[] {g[0].mul(s[1]), g[0].mul(s[0]).neg()};
        }
    }

    /** x³ with a correct first derivative computed from a detached x, so it has no second derivative. */
    static final class DetachedCube extends Function {
        @Override
        protected Tensor[] forward(FunctionCtx ctx, Tensor... in) {
            ctx.saveForBackward(in[0]);
            return new Tensor[] {in[0].pow(3L)};
        }

        @Override
        protected Tensor[] backward(FunctionCtx ctx, Tensor... g) {
            Tensor x = ctx.savedTensors()[0].detach();
            return new Tensor[] {g[0].mul(x.mul(x).mul(3.0))};
        }
    }

    @Test
    void passesACorrectGradient() {
        Tensor x = Inputs.of(new int[] {2, 2}, 0.5, -1.0, 2.0, 0.25);
        assertTrue(GradCheck.gradcheck(t -> t[0].mul(t[0]).sum(1), x));
        assertTrue(GradCheck.gradgradcheck(t -> t[0].mul(t[0]).sum(1), x));
    }

    @Test
    void catchesAWrongGradientAndSaysWhere() {
        Tensor x = Inputs.of(new int[] {2}, 1.5, -2.0);
        var e = assertThrows(GradCheck.GradcheckError.class, () -> GradCheck.gradcheck(t -> new BadSquare().apply(t[0]), x));
        String m = e.getMessage();
        // the worst entry is d y[1] / d x[1]: numerical 2 * -2 = -4, analytical -2
        assertTrue(m.startsWith("gradcheck: Jacobian mismatch for output with respect to input 0 at input element [1], "
                + "output element [1]"), m);
        assertTrue(m.contains("numerical -4.0000") && m.contains("vs analytical -2.0"), m);
        assertTrue(m.contains("2 of 4 entries differ"), m);
        assertTrue(m.contains("numerical Jacobian") && m.contains("analytical Jacobian"), m);
        assertTrue(e instanceof AssertionError);
    }

    @Test
    void namesTheInputWhoseGradientIsWrong() {
        Tensor a = Inputs.of(new int[] {3}, 1.0, 2.0, 3.0);
        Tensor b = Inputs.of(new int[] {3}, 0.5, -0.5, 0.25);
        var e = assertThrows(GradCheck.GradcheckError.class, () -> GradCheck.gradcheck(t -> new BadMul().apply(t[0], t[1]), a, b));
        assertTrue(e.getMessage().contains("with respect to input 1 at input element [2], output element [2]"), e.getMessage());
        assertTrue(e.getMessage().matches("(?s).*numerical (2\\.9999|3\\.0000).* vs analytical -3\\.0 .*"), e.getMessage());
    }

    @Test
    void gradgradcheckCatchesAMissingSecondDerivative() {
        Tensor x = Inputs.of(new int[] {3}, 0.5, -1.0, 1.5);
        assertTrue(GradCheck.gradcheck(t -> new DetachedCube().apply(t[0]), x), "first derivative is right");
        var e = assertThrows(GradCheck.GradcheckError.class, () -> GradCheck.gradgradcheck(t -> new DetachedCube().apply(t[0]), x));
        assertTrue(e.getMessage().startsWith("gradgradcheck: Jacobian mismatch"), e.getMessage());
    }

    @Test
    void perturbsNonContiguousInputsThroughTheirStrides() {
        // a transposed leaf and a step-sliced leaf; weights make every logical position distinct
        Tensor transposed = Tensor.arange(6).to(DType.FLOAT64).reshape(2, 3).div(4.0).t().requiresGrad_();
        Tensor stepped = Tensor.arange(12).to(DType.FLOAT64).reshape(3, 4).div(8.0).slice(1, 1, 4, 2).requiresGrad_();
        assertArrayEquals(new int[] {1, 3}, transposed.stride());
        assertArrayEquals(new int[] {4, 2}, stepped.stride());
        Tensor weights = Tensor.arange(6).to(DType.FLOAT64).reshape(3, 2).add(1.0);
        double[] before = transposed.toDoubleArray();
        int version = transposed.version();
        assertTrue(GradCheck.gradcheck(t -> t[0].mul(weights).mul(t[1]).pow(2L).sum(0), transposed, stepped));
        assertArrayEquals(before, transposed.toDoubleArray(), 0.0, "inputs are restored exactly");
        assertEquals(version, transposed.version());
    }

    @Test
    void unusedInputsHaveZeroGradientBothWays() {
        Tensor a = Inputs.of(new int[] {2}, 1.0, 2.0);
        Tensor unused = Inputs.of(new int[] {2}, 3.0, 4.0);
        assertTrue(GradCheck.gradcheck(t -> t[0].exp(), a, unused));
    }

    @Test
    void inputsThatDoNotRequireGradAreNotChecked() {
        Tensor a = Inputs.of(new int[] {2}, 1.0, 2.0);
        Tensor constant = Tensor.of(new float[] {3, 4});
        assertTrue(GradCheck.gradcheck(t -> t[0].mul(t[1]), a, constant));
    }

    @Test
    void rejectsFloat32Inputs() {
        Tensor x = Tensor.of(new float[] {1, 2}).requiresGrad_();
        var e = assertThrows(IllegalArgumentException.class, () -> GradCheck.gradcheck(t -> t[0].exp(), x));
        assertTrue(e.getMessage().contains("input 0 has dtype float32") && e.getMessage().contains("FLOAT64"), e.getMessage());
    }

    @Test
    void rejectsCallsWithNothingToCheck() {
        Tensor x = Tensor.of(new double[] {1, 2});
        var e = assertThrows(IllegalArgumentException.class, () -> GradCheck.gradcheck(t -> t[0].exp(), x));
        assertTrue(e.getMessage().contains("at least one input tensor to require gradient"), e.getMessage());
    }

    @Test
    void rejectsExpandedInputs() {
        Tensor x = Tensor.of(new double[] {1, 2}, 2, 1).expand(2, 3).requiresGrad_();
        var e = assertThrows(IllegalArgumentException.class, () -> GradCheck.gradcheck(t -> t[0].exp(), x));
        assertTrue(e.getMessage().contains("stride 0"), e.getMessage());
    }

    @Test
    void toleranceCanBeLoosened() {
        Tensor x = Inputs.of(new int[] {1}, 1.0);
        // analytical 1 vs numerical 2: within atol 1.5
        assertTrue(GradCheck.gradcheck(t -> new BadSquare().apply(t[0]), 1e-6, 1.5, 0, x));
    }
}
