package dev.trainyard.engine.autograd;

import dev.trainyard.engine.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A node of the backward graph ({@code grad_fn} in PyTorch): it takes the gradients of its outputs and returns the
 * gradients of its inputs, which the engine pushes along {@link #nextFunctions()}.
 */
public abstract class Node {
    private final Edge[] nextEdges;
    private final int numOutputs;
    private List<UnaryOperator<Tensor>>[] outputHooks;
    private Runnable afterRelease;

    protected Node(Edge[] nextEdges, int numOutputs) {
        this.nextEdges = nextEdges;
        this.numOutputs = numOutputs;
    }

    /** PyTorch's name for the node, e.g. {@code MulBackward0}. */
    public abstract String name();

    /** Gradients of the inputs, one per edge (null where an input gets none), given the outputs' gradients. */
    protected abstract Tensor[] apply(Tensor[] gradOutputs);

    /**
     * Before {@link #apply}: which of the gradients it gets are the node's own (null: none), i.e. no other tensor views
     * their arrays and nothing reads them after the node has run (see {@link FunctionCtx#gradientOwned}).
     */
    void receiveOwned(boolean[] owned) {
    }

    /** After {@link #apply}: which of its results nothing else holds (null: none); asking forgets the answer. */
    boolean[] takeReturnedOwned() {
        return null;
    }

    /** Frees what the node saved for backward; called after a backward pass that does not retain the graph. */
    protected void release() {
    }

    /**
     * Runs {@code action} once, after a backward that does not retain the graph has run this node and freed what it
     * saved: nodes downstream of it in the forward pass have run and been freed before it. For a module that knows an
     * intermediate it made is read by nothing else, to give its array back.
     */
    public void afterRelease(Runnable action) {
        Runnable before = afterRelease;
        afterRelease = before == null ? action : () -> {
            before.run();
            action.run();
        };
    }

    /** {@link #release}, then the {@link #afterRelease} actions. */
    final void releaseAll() {
        release();
        Runnable action = afterRelease;
        afterRelease = null;
        if (action != null) {
            action.run();
        }
    }

    /** The producers of this node's inputs; null entries are inputs that need no gradient. */
    public List<Edge> nextFunctions() {
        return java.util.Arrays.asList(nextEdges.clone());
    }

    Edge[] edges() {
        return nextEdges;
    }

    public int numOutputs() {
        return numOutputs;
    }

    @SuppressWarnings("unchecked")
    RemovableHandle addOutputHook(int outputNr, UnaryOperator<Tensor> hook) {
        if (outputHooks == null) {
            outputHooks = new List[numOutputs];
        }
        if (outputHooks[outputNr] == null) {
            outputHooks[outputNr] = new ArrayList<>();
        }
        List<UnaryOperator<Tensor>> hooks = outputHooks[outputNr];
        hooks.add(hook);
        return () -> hooks.remove(hook);
    }

    /** Whether a hook may have seen (and kept) a gradient this node received. */
    boolean hasOutputHooks() {
        if (outputHooks != null) {
            for (List<UnaryOperator<Tensor>> hooks : outputHooks) {
                if (hooks != null && !hooks.isEmpty()) {
                    return true;
                }
            }
        }
        return false;
    }

    Tensor runOutputHooks(int outputNr, Tensor grad) {
        if (outputHooks == null || outputHooks[outputNr] == null || grad == null) {
            return grad;
        }
        for (UnaryOperator<Tensor> hook : List.copyOf(outputHooks[outputNr])) {
            Tensor replaced = hook.apply(grad);
            if (replaced != null) {
                grad = replaced;
            }
        }
        return grad;
    }

    @Override
    public String toString() {
        return "<" + name() + ">";
    }
}
