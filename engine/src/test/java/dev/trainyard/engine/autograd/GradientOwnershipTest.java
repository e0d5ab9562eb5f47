package dev.trainyard.engine.autograd;

import dev.trainyard.engine.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * A leaf keeps a gradient its producer declared owned ({@link FunctionCtx#markGradientsOwned}) as its grad, without
 * a copy, as PyTorch's AccumulateGrad steals a gradient nothing else holds; in every case where something else may
 * hold it (a hook saw it, it was summed with another, it went to two inputs, it is not dense) the leaf copies it.
 */
class GradientOwnershipTest {

    /** y = 3 a (+ 3 b); backward returns fresh gradients, declared owned when {@code owned}, the same one twice when {@code shared}. */
    private static final class Triple extends Function {
        private final boolean owned;
        private final boolean shared;
        private final boolean transposed;
        final List<Tensor> returned = new ArrayList<>();

        Triple(boolean owned, boolean shared, boolean transposed) {
            this.owned = owned;
            this.shared = shared;
            this.transposed = transposed;
        }

        @Override
        protected Tensor[] forward(FunctionCtx ctx, Tensor... in) {
            return new Tensor[] {in.length == 1 ? in[0].mul(3.0) : in[0].add(in[1]).mul(3.0)};
        }

        @Override
        protected Tensor[] backward(FunctionCtx ctx, Tensor... grads) {
            Tensor g = transposed ? grads[0].t().mul(3.0).t() : grads[0].mul(3.0);
            Tensor[] out = new Tensor[ctx.needsInputGrad(1) ? 2 : 1];
            for (int i = 0; i < out.length; i++) {
                out[i] = shared || i == 0 ? g : grads[0].mul(3.0);
            }
            returned.addAll(List.of(out));
            if (owned) {
                ctx.markGradientsOwned(out);
            }
            return out;
        }
    }

    private static Tensor leaf() {
        return Tensor.randn(4, 3).requiresGrad_(true);
    }

    @Test
    void anOwnedGradientIsKept() {
        Tensor a = leaf();
        Triple f = new Triple(true, false, false);
        f.apply(a).sum().backward();
        assertSame(f.returned.get(0).storage(), a.grad().storage());
        assertArrayEquals(Tensor.fullLike(a, 3.0).toFloatArray(), a.grad().toFloatArray());
        // a second backward adds into the grad the leaf now holds
        f = new Triple(true, false, false);
        f.apply(a).sum().backward();
        assertArrayEquals(Tensor.fullLike(a, 6.0).toFloatArray(), a.grad().toFloatArray());
    }

    @Test
    void aGradientNotDeclaredOwnedIsCopied() {
        Tensor a = leaf();
        Triple f = new Triple(false, false, false);
        f.apply(a).sum().backward();
        assertNotSame(f.returned.get(0).storage(), a.grad().storage());
    }

    @Test
    void aGradientAHookSawIsCopied() {
        Tensor a = leaf();
        List<Tensor> seen = new ArrayList<>();
        a.registerHook(g -> {
            seen.add(g);
            return null;
        });
        new Triple(true, false, false).apply(a).sum().backward();
        assertNotSame(seen.get(0).storage(), a.grad().storage());
        float[] before = seen.get(0).toFloatArray();
        a.grad().add_(1.0);
        assertArrayEquals(before, seen.get(0).toFloatArray());
    }

    @Test
    void gradientsSummedFromTwoUsesAreCopied() {
        Tensor a = leaf();
        Triple f = new Triple(true, false, false);
        Triple g = new Triple(true, false, false);
        f.apply(a).sum().add(g.apply(a).sum()).backward();
        assertNotSame(f.returned.get(0).storage(), a.grad().storage());
        assertNotSame(g.returned.get(0).storage(), a.grad().storage());
        assertArrayEquals(Tensor.fullLike(a, 6.0).toFloatArray(), a.grad().toFloatArray());
    }

    @Test
    void oneGradientReturnedForTwoInputsIsCopiedForBoth() {
        Tensor a = leaf();
        Tensor b = leaf();
        new Triple(true, true, false).apply(a, b).sum().backward();
        assertNotSame(a.grad().storage(), b.grad().storage());
        a.grad().add_(1.0);
        assertArrayEquals(Tensor.fullLike(b, 3.0).toFloatArray(), b.grad().toFloatArray());
    }

    @Test
    void aGradientThatIsNotDenseIsCopied() {
        Tensor a = leaf();
        Triple f = new Triple(true, false, true);
        f.apply(a).sum().backward();
        assertNotSame(f.returned.get(0).storage(), a.grad().storage());
        assertArrayEquals(Tensor.fullLike(a, 3.0).toFloatArray(), a.grad().toFloatArray());
    }
}
