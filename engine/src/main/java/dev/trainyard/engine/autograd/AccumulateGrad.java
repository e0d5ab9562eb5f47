package dev.trainyard.engine.autograd;

import dev.trainyard.engine.Tensor;

/** The graph's sink for a leaf: adds the incoming gradient into the leaf's {@code grad}. */
final class AccumulateGrad extends Node {
    private final Tensor leaf;
    /** Whether the next gradient is the leaf's own: returned owned by its producer, nothing added to it, no hook saw it. */
    private boolean owned;

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

    @Override
    void receiveOwned(boolean[] flags) {
        owned = flags != null && flags[0];
    }

    @Override
    protected Tensor[] apply(Tensor[] gradOutputs) {
        Tensor g = gradOutputs[0];
        boolean keep = owned;
        owned = false;
        if (g == null) {
            return new Tensor[0];
        }
        AutogradMeta meta = leaf.autogradMeta();
        Tensor current = meta.grad();
        if (GradMode.isEnabled()) {
            // create_graph: keep the gradient's own history so it can be differentiated again
            meta.setGrad(current == null ? g.clone() : current.add(g));
        } else if (current == null) {
            if (keep) {
                meta.setPrivateGrad(Tensor.wrap(g.storage(), g.shape()));
            } else {
                meta.setGrad(g.detach().clone());
            }
        } else if (current.requiresGrad()) {
            meta.setGrad(current.detach().add(g));
        } else {
            current.add_(g);
        }
        return new Tensor[0];
    }
}
