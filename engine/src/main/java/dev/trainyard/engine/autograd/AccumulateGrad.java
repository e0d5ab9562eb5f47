package dev.trainyard.engine.autograd;

import dev.trainyard.engine.Tensor;

/** The graph's sink for a leaf: adds the incoming gradient into the leaf's {@code grad}. */
final class AccumulateGrad extends Node {
    private final Tensor leaf;
    /** A gradient the node that computed it owns exclusively (see {@link FunctionCtx#markGradientsOwned}). */
    private Tensor offered;

    AccumulateGrad(Tensor leaf) {
        super(new Edge[0], 1);
        this.leaf = leaf;
    }

    Tensor leaf() {
        return leaf;
    }

    @Override
    public String name() {
        return "AccumulateGrad";
    }

    void offer(Tensor g) {
        offered = g;
    }

    @Override
    protected Tensor[] apply(Tensor[] gradOutputs) {
        Tensor g = gradOutputs[0];
        Tensor owned = offered;
        offered = null;
        if (g == null) {
            return new Tensor[0];
        }
        AutogradMeta meta = leaf.autogradMeta();
        Tensor current = meta.grad();
        if (GradMode.isEnabled()) {
            // create_graph: keep the gradient's own history so it can be differentiated again
            meta.setGrad(current == null ? g.clone() : current.add(g));
        } else if (current == null) {
            meta.setGrad(g == owned && !hasOutputHooks() && isWholeArray(g) ? Tensor.wrap(g.storage(), g.shape()) : g.detach().clone());
        } else if (current.requiresGrad()) {
            meta.setGrad(current.detach().add(g));
        } else {
            current.add_(g);
        }
        return new Tensor[0];
    }

    /**
     * Whether {@code g} is contiguous over its whole storage, so that keeping it (as a new tensor on the same storage,
     * not a view) gives the leaf what a copy would: a dense gradient of its own.
     */
    private static boolean isWholeArray(Tensor g) {
        return g.isContiguous() && g.storageOffset() == 0 && g.storage().size() == g.numel() && g.gradFn() == null;
    }
}
