package dev.trainyard.engine.autograd;

import dev.trainyard.engine.DType;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.backend.FloatBuffers;

/**
 * A tensor's autograd state, as PyTorch's {@code AutogradMeta}: whether it requires grad, its accumulated
 * gradient, and where it sits in the graph. Tensors that never touch autograd carry none.
 */
public final class AutogradMeta {
    private boolean requiresGrad;
    private Tensor grad;
    /** Whether grad's array came from its producer as an owned gradient and no caller outside the engine has seen grad. */
    private boolean gradPrivate;
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

    /** The gradient, for the engine's own readers: unlike {@code Tensor.grad()} it does not count as the caller seeing it. */
    public Tensor grad() {
        return grad;
    }

    public void setGrad(Tensor grad) {
        this.grad = grad;
        this.gradPrivate = false;
    }

    /** A gradient whose array no other tensor views (the producer's owned gradient, kept without a copy). */
    void setPrivateGrad(Tensor grad) {
        this.grad = grad;
        this.gradPrivate = true;
    }

    /** The gradient has been handed to a caller outside the engine, which may keep it: its array is never reused. */
    public void markGradSeen() {
        gradPrivate = false;
    }

    /**
     * Clears the gradient ({@code zero_grad(set_to_none=True)}). A float32 gradient that never left the engine gives its
     * array back to {@link FloatBuffers}, so the next backward writes into it instead of a fresh array, as PyTorch's
     * caching allocator reuses a freed gradient's block.
     */
    public void dropGrad() {
        if (gradPrivate && grad.dtype() == DType.FLOAT32) {
            FloatBuffers.giveBack(grad.storage().floats());
        }
        grad = null;
        gradPrivate = false;
    }

    /** A leaf's gradient for the engine's own readers (optimizers, clipping), without marking it seen. */
    public static Tensor gradOf(Tensor leaf) {
        return leaf.autogradMeta().grad();
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
