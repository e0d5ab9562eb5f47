package dev.trainyard.engine.autograd;

import dev.trainyard.engine.Tensor;

import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * What a {@link Function}'s forward leaves for its backward, as {@code ctx} in {@code torch.autograd.Function}:
 * tensors saved for backward (checked against in-place modification), and which inputs need a gradient.
 */
public final class FunctionCtx {
    private final boolean[] needsInputGrad;
    private Tensor[] saved = new Tensor[0];
    private int[] savedVersions = new int[0];
    private boolean released;
    private final Set<Tensor> nonDifferentiable = Collections.newSetFromMap(new IdentityHashMap<>());
    private String owner = "Function";
    private Runnable onRelease;
    private Tensor[] owned = new Tensor[0];
    private boolean[] received;

    FunctionCtx(boolean[] needsInputGrad) {
        this.needsInputGrad = needsInputGrad;
    }

    void setOwner(String owner) {
        this.owner = owner;
    }

    public boolean needsInputGrad(int i) {
        return i < needsInputGrad.length && needsInputGrad[i];
    }

    /** Saves tensors for backward; null entries are allowed and come back as null. */
    public void saveForBackward(Tensor... tensors) {
        saved = tensors.clone();
        savedVersions = new int[tensors.length];
        for (int i = 0; i < tensors.length; i++) {
            savedVersions[i] = tensors[i] == null ? 0 : tensors[i].version();
        }
    }

    /** The saved tensors; fails if one was modified in place since it was saved, or the graph was freed. */
    public Tensor[] savedTensors() {
        if (released) {
            throw new IllegalStateException(owner + ": trying to backward through the graph a second time (or to access "
                    + "saved tensors after they were freed). Saved tensors are freed after backward; pass retainGraph=true "
                    + "to backward() if you need to backward through the graph again");
        }
        for (int i = 0; i < saved.length; i++) {
            Tensor t = saved[i];
            if (t != null && t.version() != savedVersions[i]) {
                String producer = t.gradFn() == null ? "a leaf" : "output " + t.autogradMeta().outputNr() + " of " + t.gradFn().name();
                throw new IllegalStateException("one of the tensors needed for gradient computation has been modified by an "
                        + "in-place operation: " + t.dtype() + " " + Arrays.toString(t.shape()) + ", which is " + producer
                        + ", is at version " + t.version() + "; expected version " + savedVersions[i]
                        + " instead (needed by " + owner + "). Clone the tensor before modifying it in place");
            }
        }
        return saved.clone();
    }

    /** Marks outputs that have no gradient (indices, masks); they will not require grad. */
    public void markNonDifferentiable(Tensor... outputs) {
        nonDifferentiable.addAll(Arrays.asList(outputs));
    }

    boolean isNonDifferentiable(Tensor t) {
        return nonDifferentiable.contains(t);
    }

    /**
     * Declares gradients the current backward returns that no other tensor views and that the function keeps no
     * reference to (fresh results of its own kernels, or an owned incoming gradient it wrote into, each returned once).
     * A leaf's {@code AccumulateGrad} may then keep such a gradient as the leaf's {@code grad} instead of copying it, as
     * PyTorch's steals a gradient nothing else holds, and the node that receives it sees it as
     * {@linkplain #gradientOwned owned}. Call it from {@code backward}, for that call's results only.
     */
    public void markGradientsOwned(Tensor... gradients) {
        owned = gradients.clone();
    }

    /**
     * Whether the current backward's output gradient {@code i} is its own: its producer declared it owned, nothing was
     * added to it, no hook saw it, it is dense over its whole array, and this is a plain backward (not autograd.grad,
     * not createGraph). The backward may then write into it (and return it, declared owned again) or give its array
     * back to {@link dev.trainyard.engine.backend.FloatBuffers} once it has no further use for it; it must not save it.
     */
    public boolean gradientOwned(int i) {
        return received != null && i < received.length && received[i];
    }

    void receiveGradientsOwned(boolean[] flags) {
        received = flags;
    }

    /** Whether {@code g} was declared owned by the backward that just ran; the declaration is then forgotten. */
    boolean takeOwned(Tensor g) {
        for (Tensor t : owned) {
            if (t == g) {
                return true;
            }
        }
        return false;
    }

    void forgetOwned() {
        owned = new Tensor[0];
    }

    /**
     * Runs {@code action} once, when the graph frees this node's saved state (after a backward without retainGraph):
     * for a node that keeps buffers of its own, to give them back.
     */
    public void onRelease(Runnable action) {
        onRelease = action;
    }

    void release() {
        released = true;
        saved = new Tensor[0];
        if (onRelease != null) {
            Runnable action = onRelease;
            onRelease = null;
            action.run();
        }
    }
}
