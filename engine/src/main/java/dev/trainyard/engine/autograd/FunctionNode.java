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
        Tensor[] result = function.backward(ctx, grads);
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
        offerOwnedGradients(result, checked, edges);
        return checked;
    }

    /** Tells each leaf's accumulator which of the gradients it is about to get it may keep without copying. */
    private void offerOwnedGradients(Tensor[] result, Tensor[] checked, Edge[] edges) {
        for (int i = 0; i < edges.length; i++) {
            if (checked[i] != null && checked[i] == result[i] && edges[i].node() instanceof AccumulateGrad accumulator
                    && ctx.takeOwned(checked[i]) && returnedOnce(checked, i)) {
                accumulator.offer(checked[i]);
            }
        }
        ctx.forgetOwned();
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
