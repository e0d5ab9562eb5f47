package dev.trainyard.engine.autograd;

import dev.trainyard.engine.DType;
import dev.trainyard.engine.Tensor;

import java.util.Arrays;

/** The backward node of one {@link Function} call. */
final class FunctionNode extends Node {
    private final Function function;
    private final FunctionCtx ctx;
    private final int[][] inputShapes;
    private final DType[] inputDtypes;
    private final int[][] outputShapes;
    private final DType[] outputDtypes;
    private boolean[] received;
    private boolean[] returnedOwned;

    FunctionNode(Function function, FunctionCtx ctx, Edge[] edges, Tensor[] inputs, Tensor[] outputs) {
        super(edges, outputs.length);
        this.function = function;
        this.ctx = ctx;
        inputShapes = new int[inputs.length][];
        inputDtypes = new DType[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i] != null) {
                inputShapes[i] = inputs[i].shape();
                inputDtypes[i] = inputs[i].dtype();
            }
        }
        outputShapes = new int[outputs.length][];
        outputDtypes = new DType[outputs.length];
        for (int i = 0; i < outputs.length; i++) {
            if (outputs[i] != null) {
                outputShapes[i] = outputs[i].shape();
                outputDtypes[i] = outputs[i].dtype();
            }
        }
    }

    @Override
    public String name() {
        return function.name();
    }

    @Override
    protected Tensor[] apply(Tensor[] gradOutputs) {
        Tensor[] grads = gradOutputs.clone();
        for (int i = 0; i < grads.length; i++) {
            if (grads[i] == null && outputShapes[i] != null) {
                grads[i] = Tensor.zeros(outputShapes[i], outputDtypes[i].isFloatingPoint() ? outputDtypes[i] : DType.defaultFloat());
            }
        }
        ctx.receiveGradientsOwned(received);
        received = null;
        Tensor[] result;
        try {
            result = function.backward(ctx, grads);
        } finally {
            ctx.receiveGradientsOwned(null);
        }
        Edge[] edges = edges();
        if (result.length < edges.length) {
            throw new IllegalStateException("function " + name() + " returned an incorrect number of gradients (expected "
                    + edges.length + ", got " + result.length + ")");
        }
        Tensor[] checked = new Tensor[edges.length];
        for (int i = 0; i < edges.length; i++) {
            Tensor g = result[i];
            if (edges[i] == null || g == null) {
                continue;
            }
            if (!Arrays.equals(g.shape(), inputShapes[i])) {
                throw new IllegalStateException("function " + name() + " returned an invalid gradient at index " + i
                        + " - got " + Arrays.toString(g.shape()) + " but expected shape " + Arrays.toString(inputShapes[i]));
            }
            checked[i] = g.dtype() == inputDtypes[i] ? g : g.to(inputDtypes[i]);
        }
        returnedOwned = ownedResults(result, checked);
        return checked;
    }

    @Override
    void receiveOwned(boolean[] owned) {
        received = owned;
    }

    @Override
    boolean[] takeReturnedOwned() {
        boolean[] owned = returnedOwned;
        returnedOwned = null;
        return owned;
    }

    /**
     * Which results the backward declared owned and nothing else holds: returned as computed (not converted), once,
     * dense over their whole array and without history (a gradient being recorded for createGraph is never owned).
     */
    private boolean[] ownedResults(Tensor[] result, Tensor[] checked) {
        boolean[] owned = null;
        if (!GradMode.isEnabled()) {
            for (int i = 0; i < checked.length; i++) {
                if (checked[i] != null && checked[i] == result[i] && ctx.takeOwned(checked[i]) && returnedOnce(checked, i)
                        && isWholeArray(checked[i])) {
                    if (owned == null) {
                        owned = new boolean[checked.length];
                    }
                    owned[i] = true;
                }
            }
        }
        ctx.forgetOwned();
        return owned;
    }

    /** Contiguous over its whole storage, so that its one holder may keep, overwrite or give back the array. */
    private static boolean isWholeArray(Tensor g) {
        return g.isContiguous() && g.storageOffset() == 0 && g.storage().size() == g.numel() && g.gradFn() == null;
    }

    private static boolean returnedOnce(Tensor[] grads, int i) {
        for (int j = 0; j < grads.length; j++) {
            if (j != i && grads[j] == grads[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    protected void release() {
        ctx.release();
    }
}
