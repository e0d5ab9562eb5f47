package dev.trainyard.engine.optim;

import dev.trainyard.engine.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A list of parameters with its own optimizer options, as an entry of PyTorch's {@code optimizer.param_groups}.
 *
 * <pre>{@code
 * var opt = new SGD(List.of(
 *         ParamGroup.of(backbone.parameters()),
 *         ParamGroup.of(head.parameters()).set("lr", 0.01)), 0.1).momentum(0.9);
 * }</pre>
 *
 * Options use PyTorch's names ({@code lr}, {@code momentum}, {@code weight_decay}, {@code betas}, ...). An option the
 * group does not set itself falls back to the optimizer's default, so {@code new SGD(groups, 0.1).momentum(0.9)} gives
 * every group momentum 0.9 unless it set its own. Schedulers write {@code lr} (and {@code initial_lr}, ...) here.
 *
 * <p>Values are {@link Double} (every number is stored as a double), {@link Boolean}, {@link String} or
 * {@code List<Double>} (for {@code betas}).
 */
public final class ParamGroup {
    private final List<Tensor> params;
    private final Map<String, Object> options = new LinkedHashMap<>();
    private Map<String, Object> defaults = Map.of();
    private Optimizer owner;

    private ParamGroup(List<Tensor> params) {
        this.params = List.copyOf(params);
    }

    /** A group of {@code params} with no options of its own. */
    public static ParamGroup of(List<Tensor> params) {
        return new ParamGroup(params);
    }

    public static ParamGroup of(Tensor... params) {
        return new ParamGroup(List.of(params));
    }

    public List<Tensor> params() {
        return params;
    }

    /** Sets an option for this group only ({@code group['lr'] = 0.01}); returns this group. */
    public ParamGroup set(String key, Object value) {
        if (key.equals("params")) {
            throw new IllegalArgumentException("set: 'params' is not an option; make a new ParamGroup instead");
        }
        options.put(key, normalize(key, value));
        return this;
    }

    /** True if the option is set on the group or has an optimizer default. */
    public boolean has(String key) {
        return options.containsKey(key) || defaults.containsKey(key);
    }

    /** The option's value: the group's own, or else the optimizer's default. */
    public Object get(String key) {
        Object v = options.get(key);
        if (v == null) {
            v = defaults.get(key);
        }
        if (v == null) {
            throw new IllegalArgumentException("param group has no option '" + key + "'; it has " + options().keySet());
        }
        return v;
    }

    public double getDouble(String key) {
        Object v = get(key);
        if (!(v instanceof Double d)) {
            throw new IllegalArgumentException("param group option '" + key + "' is " + v + ", not a number");
        }
        return d;
    }

    public boolean getBoolean(String key) {
        Object v = get(key);
        if (!(v instanceof Boolean b)) {
            throw new IllegalArgumentException("param group option '" + key + "' is " + v + ", not a boolean");
        }
        return b;
    }

    /** A list-valued option such as {@code betas}. */
    @SuppressWarnings("unchecked")
    public List<Double> getDoubles(String key) {
        Object v = get(key);
        if (!(v instanceof List<?>)) {
            throw new IllegalArgumentException("param group option '" + key + "' is " + v + ", not a list of numbers");
        }
        return (List<Double>) v;
    }

    public double lr() {
        return getDouble("lr");
    }

    public ParamGroup lr(double lr) {
        return set("lr", lr);
    }

    /**
     * Every option in effect, in PyTorch's order: the optimizer's defaults, then options only this group has (such as
     * a scheduler's {@code initial_lr}).
     */
    public Map<String, Object> options() {
        Map<String, Object> all = new LinkedHashMap<>();
        for (var e : defaults.entrySet()) {
            all.put(e.getKey(), options.getOrDefault(e.getKey(), e.getValue()));
        }
        for (var e : options.entrySet()) {
            all.putIfAbsent(e.getKey(), e.getValue());
        }
        return Collections.unmodifiableMap(all);
    }

    void bind(Optimizer optimizer, Map<String, Object> optimizerDefaults) {
        if (owner != null && owner != optimizer) {
            throw new IllegalArgumentException("this ParamGroup already belongs to another optimizer");
        }
        owner = optimizer;
        defaults = optimizerDefaults;
    }

    /** Replaces every option with {@code loaded} (all explicit from now on), as loadStateDict does. */
    void replaceOptions(Map<String, Object> loaded) {
        options.clear();
        for (var e : loaded.entrySet()) {
            if (!e.getKey().equals("params")) {
                options.put(e.getKey(), normalize(e.getKey(), e.getValue()));
            }
        }
    }

    static Object normalize(String key, Object value) {
        if (value == null) {
            throw new IllegalArgumentException("option '" + key + "' must not be null");
        }
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        if (value instanceof Boolean || value instanceof String) {
            return value;
        }
        if (value instanceof double[] a) {
            List<Double> list = new ArrayList<>(a.length);
            for (double x : a) {
                list.add(x);
            }
            return List.copyOf(list);
        }
        if (value instanceof List<?> list) {
            List<Double> out = new ArrayList<>(list.size());
            for (Object o : list) {
                if (!(o instanceof Number n)) {
                    throw new IllegalArgumentException("option '" + key + "': list elements must be numbers, got " + o);
                }
                out.add(n.doubleValue());
            }
            return List.copyOf(out);
        }
        throw new IllegalArgumentException("option '" + key + "': unsupported value type " + value.getClass().getName()
                + " (use a number, boolean, string or list of numbers)");
    }

    @Override
    public String toString() {
        return "ParamGroup" + options() + " with " + params.size() + " params";
    }
}
