package dev.trainyard.engine.autograd;

import dev.trainyard.engine.Generator;
import dev.trainyard.engine.Tensor;
import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Training steps must not leave graph pieces behind: heap use stays flat and finished graphs are collectable. */
class GraphMemoryTest {
    private static final int STEPS = 10_000;

    /** A 8-16-1 tanh MLP on a fixed batch, trained with plain SGD. */
    private static final class Mlp {
        final Generator g = new Generator().manualSeed(3);
        final Tensor input = Tensor.randn(new int[] {32, 8}, g);
        final Tensor target = Tensor.randn(new int[] {32, 1}, g);
        final Tensor w1 = Tensor.randn(new int[] {8, 16}, g).mul(0.3).requiresGrad_();
        final Tensor b1 = Tensor.zeros(16).requiresGrad_();
        final Tensor w2 = Tensor.randn(new int[] {16, 1}, g).mul(0.3).requiresGrad_();
        final Tensor b2 = Tensor.zeros(1).requiresGrad_();

        Tensor loss() {
            Tensor hidden = input.matmul(w1).add(b1).tanh();
            Tensor err = hidden.matmul(w2).add(b2).sub(target);
            return err.mul(err).mean();
        }

        void step() {
            loss().backward();
            try (var ng = Autograd.noGrad()) {
                for (Tensor p : new Tensor[] {w1, b1, w2, b2}) {
                    p.sub_(p.grad().mul(0.05));
                    p.grad().zero_();
                }
            }
        }
    }

    private static long usedHeapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            best = Math.min(best, rt.totalMemory() - rt.freeMemory());
        }
        return best;
    }

    @Test
    void heapStaysFlatOverTenThousandSteps() {
        Mlp model = new Mlp();
        double firstLoss = model.loss().item();
        long atThousand = 0;
        for (int step = 1; step <= STEPS; step++) {
            model.step();
            if (step == 1_000) {
                atThousand = usedHeapAfterGc();
            }
        }
        long atEnd = usedHeapAfterGc();
        double lastLoss = model.loss().item();
        assertTrue(lastLoss < firstLoss, "the model trained: loss " + firstLoss + " -> " + lastLoss);
        // a leaked graph would keep tens of KB per step: hundreds of MB over 9,000 steps
        long margin = 2L << 20;
        assertTrue(atEnd <= atThousand + margin, "heap grew from " + atThousand / 1024 + " KB at step 1,000 to "
                + atEnd / 1024 + " KB at step 10,000");
    }

    @Test
    void backwardFreesTheGraph() {
        Mlp model = new Mlp();
        Tensor loss = model.loss();
        loss.backward();
        var e = assertThrows(IllegalStateException.class, loss::backward);
        assertTrue(e.getMessage().contains("backward through the graph a second time"), e.getMessage());
    }

    @Test
    void aFinishedGraphIsCollectable() throws InterruptedException {
        Mlp model = new Mlp();
        WeakReference<Node> node = lossNodeAfterBackward(model);
        for (int i = 0; i < 20 && node.get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertNull(node.get(), "the loss's backward node is still reachable after the loss was dropped");
        // the parameters keep their gradient accumulators, but nothing of the graph
        assertTrue(model.w1.grad() != null && model.w1.isLeaf());
    }

    private static WeakReference<Node> lossNodeAfterBackward(Mlp model) {
        Tensor loss = model.loss();
        loss.backward();
        return new WeakReference<>(loss.gradFn());
    }
}
