package dev.trainyard.engine.autograd;

import dev.trainyard.engine.Tensor;

/**
 * A tensor's autograd state, as PyTorch's {@code AutogradMeta}: whether it requires grad, its accumulated
 * gradient, and where it sits in the graph. Tensors that never touch autograd carry none.
 */
public final class AutogradMeta {
    private boolean requiresGrad;
    private Tensor grad;
    private Node gradFn;
    private int outputNr;
    private AccumulateGrad accumulator;
    private boolean retainsGrad;
    private int historyVersion;

    public boolean requiresGrad() {
        return requiresGrad || gradFn != null;
    }

    public void setRequiresGrad(boolean requiresGrad) {
        this.requiresGrad = requiresGrad;
    }

    public Tensor grad() {
        return grad;
    }

    public void setGrad(Tensor grad) {
        this.grad = grad;
    }

    public Node gradFn() {
        return gradFn;
    }

    public int outputNr() {
        return outputNr;
    }

    /** Makes the tensor the {@code outputNr}-th output of {@code node}; in-place ops use it to rebase history. */
    public void setHistory(Node node, int outputNr) {
        this.gradFn = node;
        this.outputNr = outputNr;
        if (node != null) {
            this.accumulator = null;
        }
    }

    /** Sets the history and the storage version it describes; a view whose storage moves on must refresh it. */
    public void setHistory(Node node, int outputNr, int version) {
        setHistory(node, outputNr);
        this.historyVersion = version;
    }

    int historyVersion() {
        return historyVersion;
    }

    boolean retainsGrad() {
        return retainsGrad;
    }

    void markRetainsGrad() {
        retainsGrad = true;
    }

    AccumulateGrad accumulator(Tensor owner) {
        if (accumulator == null) {
            accumulator = new AccumulateGrad(owner);
        }
        return accumulator;
    }
}
