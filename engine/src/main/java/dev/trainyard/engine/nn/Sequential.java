package dev.trainyard.engine.nn;

import dev.trainyard.engine.Tensor;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

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
        for (int i = 0; i < modules.length; i++) {
            if (i + 1 < modules.length && poolsBeforeRelu(modules[i], modules[i + 1])) {
                x = modules[i].call(modules[i + 1].call(x));
                i++;
            } else {
                x = modules[i].call(x);
            }
        }
        return x;
    }

    /**
     * Whether a ReLU followed by a max-pool may run as the pool followed by the ReLU: the same values, indices and
     * gradients to the bit (relu is monotone and keeps NaNs, so the window's maximum, its first maximum or its last
     * NaN, is the same element, and a window of non-positive values gets a zero and a zero gradient either way), with
     * the ReLU's pass and its mask over the pool's output instead of its four times larger input. Only for the plain
     * modules and with no hook that could see the ReLU's output.
     */
    private static boolean poolsBeforeRelu(Module relu, Module pool) {
        return relu.getClass() == ReLU.class && pool.getClass() == MaxPool2d.class && !((MaxPool2d) pool).returnIndices()
                && !relu.hasForwardHooks() && !pool.hasForwardHooks();
    }
}
