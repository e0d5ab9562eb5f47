package dev.trainyard.engine.autograd;

import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.TensorBits;
import dev.trainyard.engine.nn.F;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine hands a node its incoming gradient as owned ({@link FunctionCtx#gradientOwned}) only when the node that
 * computed it declared it owned and nothing else can see it: no sum, no hook, no autograd.grad capture, no createGraph,
 * dense over its array. Relu's backward then writes into it; the results stay the same to the bit.
 */
class OwnedGradientFlowTest {

    /** y = 2 x; backward returns a fresh 2 g, declared owned when {@code owned}. */
    private static final class Producer extends Function {
        private final boolean owned;
        private final boolean transposed;
        Tensor returned;

        Producer(boolean owned, boolean transposed) {
            this.owned = owned;
            this.transposed = transposed;
        }

        @Override
        protected Tensor[] forward(FunctionCtx ctx, Tensor... in) {
            return new Tensor[] {in[0].mul(2.0)};
        }

        @Override
        protected Tensor[] backward(FunctionCtx ctx, Tensor... grads) {
            returned = transposed ? grads[0].t().mul(2.0).t() : grads[0].mul(2.0);
            if (owned) {
                ctx.markGradientsOwned(returned);
            }
            return new Tensor[] {returned};
        }
    }

    /** The identity; records what its backward was given. */
    private static final class Spy extends Function {
        boolean owned;
        Tensor received;

        @Override
        protected Tensor[] forward(FunctionCtx ctx, Tensor... in) {
            return new Tensor[] {in[0].clone()};
        }

        @Override
        protected Tensor[] backward(FunctionCtx ctx, Tensor... grads) {
            owned = ctx.gradientOwned(0);
            received = grads[0];
            return new Tensor[] {grads[0].clone()};
        }
    }

    private static Tensor leaf() {
        return Tensor.randn(4, 3).requiresGrad_(true);
    }

    @Test
    void aGradientDeclaredOwnedReachesTheNextNodeOwned() {
        Spy spy = new Spy();
        Producer p = new Producer(true, false);
        p.apply(spy.apply(leaf())).sum().backward();
        assertTrue(spy.owned);
        assertSame(p.returned, spy.received);
    }

    @Test
    void aGradientNotDeclaredOwnedIsNotOwned() {
        Spy spy = new Spy();
        new Producer(false, false).apply(spy.apply(leaf())).sum().backward();
        assertFalse(spy.owned);
    }

    @Test
    void aGradientAHookSawIsNotOwned() {
        Spy spy = new Spy();
        Tensor y = spy.apply(leaf());
        y.registerHook(g -> null);
        new Producer(true, false).apply(y).sum().backward();
        assertFalse(spy.owned);
    }

    @Test
    void aSumOfTwoOwnedGradientsIsNotOwned() {
        Spy spy = new Spy();
        Tensor y = spy.apply(leaf());
        new Producer(true, false).apply(y).sum().add(new Producer(true, false).apply(y).sum()).backward();
        assertFalse(spy.owned);
    }

    @Test
    void aGradientThatIsNotDenseIsNotOwned() {
        Spy spy = new Spy();
        new Producer(true, true).apply(spy.apply(leaf())).sum().backward();
        assertFalse(spy.owned);
    }

    @Test
    void autogradGradAndCreateGraphHandNothingOwned() {
        Spy spy = new Spy();
        Tensor x = leaf();
        Tensor y = spy.apply(x);
        Autograd.grad(List.of(new Producer(true, false).apply(y).sum()), List.of(x));
        assertFalse(spy.owned);
        Spy again = new Spy();
        new Producer(true, false).apply(again.apply(x)).sum().backward(null, false, true);
        assertFalse(again.owned);
    }

    @Test
    void aViewPassesAnOwnedGradientOnOwned() {
        Spy spy = new Spy();
        Producer p = new Producer(true, false);
        p.apply(spy.apply(leaf()).view(12)).sum().backward();
        assertTrue(spy.owned, "the view's backward reshaped the owned gradient and passed it on owned");
        assertSame(p.returned.storage(), spy.received.storage());
    }

    @Test
    void aViewOfAGradientNotOwnedDoesNotOwnIt() {
        Spy spy = new Spy();
        new Producer(false, false).apply(spy.apply(leaf()).view(12)).sum().backward();
        assertFalse(spy.owned);
    }

    @Test
    void reluWritesIntoAnOwnedGradientAndPassesItOn() {
        Spy spy = new Spy();
        Producer p = new Producer(true, false);
        p.apply(spy.apply(leaf()).relu()).sum().backward();
        assertTrue(spy.owned);
        assertSame(p.returned.storage(), spy.received.storage());
    }

    /**
     * The cnn's first block (conv, relu, max-pool) backward: owned gradients flowing through it (relu's backward in
     * place, arrays given back) give the bits a hook, which stops all ownership, gives.
     */
    @Test
    void theCnnBlockGivesTheSameBitsWithAndWithoutOwnership() {
        Tensor.manualSeed(5);
        Tensor x = Tensor.randn(8, 1, 28, 28);
        Tensor w = Tensor.randn(32, 1, 3, 3).mul(0.3);
        Tensor b = Tensor.randn(32).mul(0.1);
        Tensor w2 = Tensor.randn(16, 32, 3, 3).mul(0.1);
        Tensor b2 = Tensor.randn(16).mul(0.1);
        Tensor[][] grads = new Tensor[2][];
        for (int hooked = 0; hooked < 2; hooked++) {
            Tensor[] p = {w.clone().requiresGrad_(true), b.clone().requiresGrad_(true), w2.clone().requiresGrad_(true),
                    b2.clone().requiresGrad_(true)};
            Tensor c1 = F.conv2d(x, p[0], p[1]);
            Tensor r1 = c1.relu();
            Tensor h = F.maxPool2d(r1, 2);
            Tensor c2 = F.conv2d(h, p[2], p[3]);
            Tensor r2 = c2.relu();
            Tensor out = F.maxPool2d(r2, 2);
            if (hooked == 1) {
                // a hook on every node that receives a gradient: nothing is owned
                for (Tensor t : List.of(c1, r1, h, c2, r2, out)) {
                    t.registerHook(g -> null);
                }
            }
            out.mul(out).sum().backward();
            grads[hooked] = new Tensor[] {p[0].grad(), p[1].grad(), p[2].grad(), p[3].grad()};
        }
        for (int i = 0; i < 4; i++) {
            TensorBits.assertSameBits(grads[1][i], grads[0][i], "grad " + i);
        }
        assertArrayEquals(new int[] {32, 1, 3, 3}, grads[0][0].shape());
    }
}
