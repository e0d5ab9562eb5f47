package dev.trainyard.engine.autograd;

import dev.trainyard.engine.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The entry points of {@code torch.autograd}: grad-mode scopes and the functional {@link #grad}.
 *
 * <pre>{@code
 * try (var g = Autograd.noGrad()) {
 *     ... // nothing here is recorded
 * }
 * }</pre>
 * Grad mode is per thread.
 */
public final class Autograd {
    private Autograd() {
    }

    /** {@code torch.no_grad()}: ops run inside the scope are not recorded. */
    public static GradMode.Guard noGrad() {
        return GradMode.set(false);
    }

    /** {@code torch.enable_grad()}: re-enables recording inside a no-grad scope. */
    public static GradMode.Guard enableGrad() {
        return GradMode.set(true);
    }

    /** {@code torch.set_grad_enabled(mode)}. */
    public static GradMode.Guard setGradEnabled(boolean enabled) {
        return GradMode.set(enabled);
    }

    public static boolean isGradEnabled() {
        return GradMode.isEnabled();
    }

    /** {@code torch.autograd.grad(outputs, inputs)} for scalar outputs. */
    public static List<Tensor> grad(List<Tensor> outputs, List<Tensor> inputs) {
        return grad(outputs, inputs, null, false, false, false);
    }

    public static List<Tensor> grad(List<Tensor> outputs, List<Tensor> inputs, List<Tensor> gradOutputs) {
        return grad(outputs, inputs, gradOutputs, false, false, false);
    }

    /**
     * Gradients of {@code outputs} with respect to {@code inputs}, without touching any leaf's {@code grad}. With
     * {@code createGraph} the results are themselves differentiable (higher-order gradients). Unused inputs give null
     * with {@code allowUnused}, and an error otherwise.
     */
    public static List<Tensor> grad(List<Tensor> outputs, List<Tensor> inputs, List<Tensor> gradOutputs,
                                    boolean retainGraph, boolean createGraph, boolean allowUnused) {
        List<Tensor> grads = defaultGrads(outputs, gradOutputs);
        Tensor[] result = Engine.run(outputs, grads, retainGraph || createGraph, createGraph, inputs, allowUnused);
        return Arrays.asList(result);
    }

    /** {@code torch.autograd.backward(tensors, grad_tensors)}: accumulates into the leaves' {@code grad}. */
    public static void backward(List<Tensor> tensors, List<Tensor> gradTensors, boolean retainGraph, boolean createGraph) {
        Engine.run(tensors, defaultGrads(tensors, gradTensors), retainGraph || createGraph, createGraph, null, false);
    }

    /** Registers a hook that sees (and may replace, by returning a tensor) the gradient flowing into {@code t}. */
    public static RemovableHandle registerHook(Tensor t, UnaryOperator<Tensor> hook) {
        return Engine.registerHook(t, hook);
    }

    /** Makes a non-leaf tensor keep its gradient in {@code grad()} after backward. */
    public static void retainGrad(Tensor t) {
        Engine.retainGrad(t);
    }

    private static List<Tensor> defaultGrads(List<Tensor> outputs, List<Tensor> gradOutputs) {
        List<Tensor> grads = new ArrayList<>(outputs.size());
        for (int i = 0; i < outputs.size(); i++) {
            Tensor g = gradOutputs == null ? null : gradOutputs.get(i);
            if (g == null) {
                Tensor out = outputs.get(i);
                if (out.numel() != 1) {
                    throw new IllegalArgumentException("grad can be implicitly created only for scalar outputs; output " + i
                            + " has shape " + Arrays.toString(out.shape()) + ", pass a gradient of that shape");
                }
                g = Tensor.onesLike(out);
            }
            grads.add(g);
        }
        return grads;
    }
}
