package dev.trainyard.engine.autograd;

import dev.trainyard.engine.Tensor;

/**
 * A differentiable operation with a hand-written backward, as {@code torch.autograd.Function}. Every built-in op is
 * one, and users write their own the same way:
 *
 * <pre>{@code
 * class Exp extends Function {
 *     protected Tensor[] forward(FunctionCtx ctx, Tensor... in) {
 *         Tensor out = in[0].exp();
 *         ctx.saveForBackward(out);
 *         return new Tensor[] {out};
 *     }
 *     protected Tensor[] backward(FunctionCtx ctx, Tensor... grad) {
 *         return new Tensor[] {grad[0].mul(ctx.savedTensors()[0])};
 *     }
 * }
 * Tensor y = new Exp().apply(x);
 * }</pre>
 *
 * Forward runs with gradient recording off; backward is written with ordinary tensor ops, so it is itself
 * differentiable when a backward pass is run with {@code createGraph}. Non-tensor arguments go in the function's
 * fields: use one instance per call.
 */
public abstract class Function {

    /** Computes the outputs; runs with grad mode off. */
    protected abstract Tensor[] forward(FunctionCtx ctx, Tensor... inputs);

    /**
     * Given one gradient per output (zeros where an output got none), returns one gradient per input: null for
     * inputs that need none ({@link FunctionCtx#needsInputGrad(int)} tells which).
     */
    protected abstract Tensor[] backward(FunctionCtx ctx, Tensor... gradOutputs);

    /** The backward node's name, e.g. {@code ExpBackward}. */
    public String name() {
        return getClass().getSimpleName() + "Backward";
    }

    /** Applies a function that has exactly one output. */
    public final Tensor apply(Tensor... inputs) {
        Tensor[] outputs = applyAll(inputs);
        if (outputs.length != 1) {
            throw new IllegalStateException(name() + ": apply() needs exactly one output, forward returned "
                    + outputs.length + "; use applyAll()");
        }
        return outputs[0];
    }

    public final Tensor[] applyAll(Tensor... inputs) {
        boolean[] needsInputGrad = new boolean[inputs.length];
        boolean record = false;
        if (GradMode.isEnabled()) {
            for (int i = 0; i < inputs.length; i++) {
                needsInputGrad[i] = inputs[i] != null && inputs[i].requiresGrad();
                record |= needsInputGrad[i];
            }
        }
        FunctionCtx ctx = new FunctionCtx(needsInputGrad);
        ctx.setOwner(name());
        Tensor[] outputs;
        try (var ignored = GradMode.set(false)) {
            outputs = forward(ctx, inputs);
        }
        if (record) {
            Edge[] edges = new Edge[inputs.length];
            for (int i = 0; i < inputs.length; i++) {
                edges[i] = needsInputGrad[i] ? Engine.gradientEdge(inputs[i]) : null;
            }
            FunctionNode node = new FunctionNode(this, ctx, edges, inputs, outputs);
            for (int i = 0; i < outputs.length; i++) {
                Tensor out = outputs[i];
                if (out == null || !out.dtype().isFloatingPoint() || ctx.isNonDifferentiable(out)) {
                    continue;
                }
                for (Tensor in : inputs) {
                    if (in == out) {
                        out = out.alias();
                        outputs[i] = out;
                        break;
                    }
                }
                out.autogradMeta().setHistory(node, i, out.version());
            }
        }
        return outputs;
    }
}
