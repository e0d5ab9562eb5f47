package dev.trainyard.engine.nn;

import dev.trainyard.engine.Tensor;

/**
 * Base of the loss modules, as PyTorch's {@code _Loss}: holds the {@link Reduction} and is called with
 * {@code (input, target)}: {@code loss.call(logits, labels)}. Per-class weights are buffers named as in PyTorch, so
 * they appear in state dicts under PyTorch's keys.
 */
public abstract class Loss extends Module {
    private final Reduction reduction;

    protected Loss(Reduction reduction) {
        this.reduction = reduction;
    }

    public Reduction reduction() {
        return reduction;
    }

    /** Computes the loss of {@code input} against {@code target}. Call losses through {@link #call(Tensor, Tensor)}. */
    public abstract Tensor forward(Tensor input, Tensor target);

    /** Runs the loss with forward hooks, as {@code loss_fn(input, target)}. */
    public Tensor call(Tensor input, Tensor target) {
        return callWithHooks(new Tensor[] {input, target}, in -> forward(in[0], in[1]));
    }

    @Override
    public Tensor forward(Tensor input) {
        throw new UnsupportedOperationException(className() + " takes an input and a target: use call(input, target)");
    }
}
