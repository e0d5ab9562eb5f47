package dev.trainyard.engine.nn;

import dev.trainyard.engine.DType;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.autograd.GradMode;
import dev.trainyard.engine.backend.FloatBuffers;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs its modules in order, each on the previous one's output, as {@code nn.Sequential}. Children are named
 * "0", "1", ... (or by the keys of the map it was built from), so parameters come out as {@code "0.weight"}.
 *
 * <pre>{@code
 * var model = new Sequential(new Linear(784, 256), new ReLU(), new Linear(256, 10));
 * Tensor logits = model.call(x);
 * }</pre>
 */
public class Sequential extends Module implements Iterable<Module> {

    public Sequential(Module... modules) {
        for (Module m : modules) {
            registerModule(String.valueOf(registeredChildren().size()), m);
        }
    }

    /** A sequential with named children, in the map's iteration order (pass a LinkedHashMap), as from an OrderedDict. */
    public Sequential(Map<String, ? extends Module> modules) {
        for (Map.Entry<String, ? extends Module> e : modules.entrySet()) {
            registerModule(e.getKey(), e.getValue());
        }
    }

    /** Appends a module named by its position; returns this, as {@code append}. */
    public Sequential add(Module module) {
        registerModule(String.valueOf(registeredChildren().size()), module);
        return this;
    }

    /** The module at {@code index} (negative counts from the end). */
    public Module get(int index) {
        List<Module> all = new ArrayList<>(registeredChildren().values());
        int i = index < 0 ? index + all.size() : index;
        if (i < 0 || i >= all.size()) {
            throw new IndexOutOfBoundsException("Sequential: index " + index + " is out of range for " + all.size() + " modules");
        }
        return all.get(i);
    }

    public int size() {
        return registeredChildren().size();
    }

    @Override
    public Iterator<Module> iterator() {
        return new ArrayList<>(registeredChildren().values()).iterator();
    }

    @Override
    public Tensor forward(Tensor input) {
        Module[] modules = registeredChildren().values().toArray(new Module[0]);
        Tensor x = input;
        // the module whose output x is; null while x is the caller's input
        Module producer = null;
        for (int i = 0; i < modules.length; i++) {
            if (i + 1 < modules.length && poolsBeforeRelu(modules[i], modules[i + 1])) {
                Tensor pooled = modules[i + 1].call(x);
                if (!pooled.device().kernels().anyNegativeZero(pooled)) {
                    freeIfDead(producer, modules[i + 1], x, pooled);
                    x = callAndFree(modules[i + 1], modules[i], pooled);
                    freeAfterBackward(modules, i + 2, pooled, x);
                } else {
                    // relu keeps -0.0 but gives +0 for a negative: a window whose first maximum is a -0.0 after a
                    // negative pools to +0 after the relu, to -0.0 before it. Rare (the engine's sums from +0 never
                    // end at -0), so the pooled values are dropped and the modules run in their order
                    Tensor relu = callAndFree(producer, modules[i], x);
                    freeAfterBackward(modules, i + 1, x, relu);
                    x = callAndFree(modules[i], modules[i + 1], relu);
                    producer = modules[i + 1];
                    i++;
                    continue;
                }
                producer = modules[i];
                i++;
            } else {
                Tensor y = callAndFree(producer, modules[i], x);
                if (modules[i].getClass() == ReLU.class && !modules[i].hasForwardHooks()) {
                    freeAfterBackward(modules, i + 1, x, y);
                }
                x = y;
                producer = modules[i];
            }
        }
        return x;
    }

    /**
     * A plain ReLU's output {@code y} (of {@code x}) goes back to {@link FloatBuffers} once the backward has run and
     * freed the ReLU's node, as PyTorch frees an activation once its last reference goes: a training step's
     * activations then take the arrays of the step before, not fresh ones the JVM zeroes (the cnn's step allocated
     * 2.2 MB, the mlp's 0.3 MB, mostly these). Only when no one else can hold y: the modules after the ReLU, from
     * {@code next}, are plain Flattens (whose views of y the next module's node saves at most) and then a plain
     * Conv2d, Linear or MaxPool2d without hooks, whose output is a new tensor and whose node, downstream of the
     * ReLU's, the backward frees first; the ReLU's node saves y, and nothing of it outlives that node.
     */
    private static void freeAfterBackward(Module[] modules, int next, Tensor x, Tensor y) {
        if (!GradMode.isEnabled() || y.gradFn() == null || !y.gradFn().name().equals("ReluBackward0")
                || !wholeFloatArrayOfItsOwn(y, x)) {
            return;
        }
        int j = next;
        while (j < modules.length && modules[j].getClass() == Flatten.class && !modules[j].hasForwardHooks()) {
            j++;
        }
        if (j < modules.length && keepsNoOutput(modules[j])) {
            float[] array = y.storage().floats();
            y.gradFn().afterRelease(() -> FloatBuffers.giveBack(array));
        }
    }

    /**
     * {@code consumer} on {@code x}, the output of {@code producer}; then x's array goes back to {@link FloatBuffers}
     * when nothing can read it any more, as PyTorch frees an activation once no reference to it is left: a training
     * step's conv and pool outputs then take the arrays of the step before, not fresh ones the JVM zeroes. Only while
     * grad mode is on: an evaluation's large batches (the cnn's at 1,000 images: conv1's output 86 MB) given back too
     * overfilled the cache, whose evictions then kept hundreds of MB alive long enough to be promoted (the cnn bench's
     * heap grew from 1.0 to 2.3 GB, its system time doubled).
     */
    private static Tensor callAndFree(Module producer, Module consumer, Tensor x) {
        Tensor y = consumer.call(x);
        freeIfDead(producer, consumer, x, y);
        return y;
    }

    /** The freeing of {@link #callAndFree}, once {@code consumer} has made {@code y} of {@code x}. */
    private static void freeIfDead(Module producer, Module consumer, Tensor x, Tensor y) {
        if (producer != null && GradMode.isEnabled() && isDeadAfter(producer, consumer, x, y)) {
            FloatBuffers.giveBack(x.storage().floats());
        }
    }

    /**
     * Whether nothing holds {@code between} (the output of {@code producer}, which only this loop saw) once
     * {@code consumer} has returned {@code out}: the producer is a plain Conv2d, Linear or MaxPool2d, whose node (its
     * name checked, so a composition's nodes are ruled out) saves its inputs and positions but not its output; the consumer
     * a plain MaxPool2d (which keeps positions) or ReLU (its output and bit mask), neither keeping its input nor
     * returning a view of it; no hook on either; and {@code between} a float32 tensor over its whole array.
     */
    private static boolean isDeadAfter(Module producer, Module consumer, Tensor between, Tensor out) {
        return keepsNoOutput(producer) && keepsNoInput(consumer) && wholeFloatArrayOfItsOwn(between, out)
                && (between.gradFn() == null || NODES_KEEPING_NO_OUTPUT.contains(between.gradFn().name()));
    }

    /** Whether {@code t} is a float32 tensor over its whole array, which {@code other} does not share. */
    private static boolean wholeFloatArrayOfItsOwn(Tensor t, Tensor other) {
        return t.dtype() == DType.FLOAT32 && t.isContiguous() && t.storageOffset() == 0
                && t.storage().size() == t.numel() && t.storage() != other.storage();
    }

    private static final Set<String> NODES_KEEPING_NO_OUTPUT =
            Set.of("ConvolutionBackward0", "MaxPool2DWithIndicesBackward0", "AddmmBackward0");

    private static boolean keepsNoOutput(Module m) {
        return (m.getClass() == Conv2d.class || m.getClass() == Linear.class || isPlainPool(m)) && !m.hasForwardHooks();
    }

    private static boolean keepsNoInput(Module m) {
        return (m.getClass() == ReLU.class || isPlainPool(m)) && !m.hasForwardHooks();
    }

    private static boolean isPlainPool(Module m) {
        return m.getClass() == MaxPool2d.class && !((MaxPool2d) m).returnIndices();
    }

    /**
     * Whether a ReLU followed by a max-pool may run as the pool followed by the ReLU: the same values and gradients to
     * the bit (relu is monotone and keeps NaNs, so the window's maximum, its first maximum or its last NaN, is the same
     * element, and a window of non-positive values gets a zero and a zero gradient either way), with the ReLU's pass
     * and its mask over the pool's output instead of its four times larger input. Only for the plain modules and with
     * no hook that could see the ReLU's output; and {@link #forward} runs them in their order after all when the
     * pooled values hold a -0.0, which relu keeps, as PyTorch's does, while the window's first element, a negative,
     * gives +0 when the relu runs first.
     */
    private static boolean poolsBeforeRelu(Module relu, Module pool) {
        return relu.getClass() == ReLU.class && pool.getClass() == MaxPool2d.class && !((MaxPool2d) pool).returnIndices()
                && !relu.hasForwardHooks() && !pool.hasForwardHooks();
    }
}
