package dev.trainyard.engine.optim;

import dev.trainyard.engine.DType;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.autograd.Autograd;
import dev.trainyard.engine.autograd.AutogradMeta;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Base class of the optimizers, as {@code torch.optim.Optimizer}: parameter groups with their own options
 * ({@link ParamGroup}), per-parameter state, {@link #zeroGrad()}, {@link #step()} and a {@link #stateDict()} in
 * PyTorch's structure.
 *
 * <pre>{@code
 * var opt = new Adam(model.parameters(), 1e-3).weightDecay(1e-4);
 * for (var batch : loader) {
 *     opt.zeroGrad();
 *     F.crossEntropy(model.forward(batch.x()), batch.y()).backward();
 *     opt.step();
 * }
 * }</pre>
 *
 * <h2>State dict</h2>
 * {@link #stateDict()} returns PyTorch's layout, with parameters numbered in group order starting at 0:
 * <pre>
 * {"state": {0: {"step": tensor(3.), "exp_avg": Tensor, ...}, 1: {...}},
 *  "param_groups": [{"lr": 0.001, "betas": [0.9, 0.999], ..., "params": [0, 1]}, ...]}
 * </pre>
 * Keys of {@code "state"} are {@link Integer}s; state values are tensors (copies, detached) or numbers; group options
 * are {@link Double}, {@link Boolean}, {@link String} or {@code List<Double>}, and {@code "params"} is a
 * {@code List<Integer>}. {@link #loadStateDict} takes the same structure (integer keys may also be {@link Long}s or
 * numeric strings, as a JSON reader gives them) and restores it exactly, so a resumed run continues bit for bit.
 *
 * <h2>Numerics</h2>
 * Updates follow PyTorch's single-tensor ({@code foreach=False}) implementations operation by operation, one device
 * kernel per optimizer ({@code Kernels.sgdStep}, {@code adamStep}, {@code rmspropStep}, {@code adagradStep}), and are
 * rounded as its CPU kernels round them (see {@code Arith}), so float32 trajectories match PyTorch's to within
 * rounding noise. Parameters must be float32 or float64 leaf tensors; updates write their storage directly (no
 * autograd history) and bump its version counter as an in-place op would.
 */
public abstract class Optimizer {
    private final Map<String, Object> defaults = new LinkedHashMap<>();
    private final Map<String, Object> defaultsView = Collections.unmodifiableMap(defaults);
    private final List<ParamGroup> paramGroups = new ArrayList<>();
    private final Map<Tensor, Map<String, Object>> state = new IdentityHashMap<>();

    /**
     * @param groups   the parameter groups (at least one parameter in all)
     * @param defaults every option of the optimizer with its default value, in PyTorch's order
     */
    protected Optimizer(List<ParamGroup> groups, Map<String, Object> defaults) {
        for (var e : defaults.entrySet()) {
            this.defaults.put(e.getKey(), ParamGroup.normalize(e.getKey(), e.getValue()));
        }
        if (groups.isEmpty() || groups.stream().allMatch(g -> g.params().isEmpty())) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": optimizer got an empty parameter list");
        }
        for (ParamGroup g : groups) {
            addParamGroup(g);
        }
    }

    /** Wraps a plain parameter list as a single group. */
    protected static List<ParamGroup> single(Iterable<Tensor> params) {
        List<Tensor> list = new ArrayList<>();
        params.forEach(list::add);
        return List.of(ParamGroup.of(list));
    }

    /** Adds a group (as {@code add_param_group}), e.g. to start training layers that were frozen. */
    public void addParamGroup(ParamGroup group) {
        String name = getClass().getSimpleName();
        IdentityHashMap<Tensor, Boolean> seen = new IdentityHashMap<>();
        for (ParamGroup g : paramGroups) {
            for (Tensor p : g.params()) {
                seen.put(p, true);
            }
        }
        for (int i = 0; i < group.params().size(); i++) {
            Tensor p = group.params().get(i);
            if (p == null) {
                throw new IllegalArgumentException(name + ": parameter " + i + " of the group is null");
            }
            if (!p.dtype().isFloatingPoint()) {
                throw new IllegalArgumentException(name + ": can only optimize float32 or float64 tensors, but parameter " + i
                        + " of the group is " + p.dtype());
            }
            if (!p.isLeaf()) {
                throw new IllegalArgumentException(name + ": can't optimize a non-leaf Tensor (parameter " + i
                        + " of the group is the output of " + p.gradFn().name() + ")");
            }
            if (seen.put(p, true) != null) {
                throw new IllegalArgumentException(name + ": some parameters appear in more than one parameter group "
                        + "(or twice in one); parameter " + i + " of the group with shape " + Arrays.toString(p.shape()));
            }
        }
        group.bind(this, defaultsView);
        paramGroups.add(group);
    }

    /** The groups, in order; change options with {@link ParamGroup#set}. */
    public List<ParamGroup> paramGroups() {
        return Collections.unmodifiableList(paramGroups);
    }

    /** The default options (read-only); set them with the optimizer's fluent setters. */
    public Map<String, Object> defaults() {
        return defaultsView;
    }

    /** Changes a default option; groups that did not set the option themselves follow. */
    protected void setDefault(String key, Object value) {
        if (!defaults.containsKey(key)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " has no option '" + key + "'");
        }
        defaults.put(key, ParamGroup.normalize(key, value));
    }

    /** Every parameter of every group, in order (the numbering of the state dict). */
    public List<Tensor> parameters() {
        List<Tensor> all = new ArrayList<>();
        for (ParamGroup g : paramGroups) {
            all.addAll(g.params());
        }
        return all;
    }

    /** Sets every parameter's gradient to null, as {@code zero_grad(set_to_none=True)}. */
    public void zeroGrad() {
        zeroGrad(true);
    }

    /** With {@code setToNone} false, zeroes existing gradients in place instead of dropping them. */
    public void zeroGrad(boolean setToNone) {
        for (ParamGroup g : paramGroups) {
            for (Tensor p : g.params()) {
                Tensor grad = AutogradMeta.gradOf(p);
                if (grad == null) {
                    continue;
                }
                if (setToNone) {
                    p.autogradMeta().dropGrad();
                } else {
                    try (var guard = Autograd.noGrad()) {
                        Tensor detached = grad.gradFn() != null ? grad.detach() : grad;
                        detached.zero_();
                        p.setGrad(detached);
                    }
                }
            }
        }
    }

    /** Performs one update of every parameter that has a gradient. */
    public void step() {
        for (int gi = 0; gi < paramGroups.size(); gi++) {
            ParamGroup group = paramGroups.get(gi);
            ParamStep update = groupStep(group, gi);
            for (Tensor p : group.params()) {
                if (AutogradMeta.gradOf(p) != null) {
                    update.apply(p, stateFor(p));
                }
            }
        }
    }

    /** The update of one parameter with its state, as the loop body of PyTorch's {@code _single_tensor_*} functions. */
    protected interface ParamStep {
        void apply(Tensor param, Map<String, Object> state);
    }

    /** Reads (and checks) the options of group {@code index} for this step; returns the update of its parameters. */
    protected abstract ParamStep groupStep(ParamGroup group, int index);

    /** Re-evaluates the loss with {@code closure} (grad enabled), then steps; returns the loss. */
    public Tensor step(Supplier<Tensor> closure) {
        Tensor loss;
        try (var g = Autograd.enableGrad()) {
            loss = closure.get();
        }
        step();
        return loss;
    }

    /** The live state of one parameter (read-only), e.g. {@code state(p).get("exp_avg")}. */
    public Map<String, Object> state(Tensor param) {
        Map<String, Object> s = state.get(param);
        return s == null ? Map.of() : Collections.unmodifiableMap(s);
    }

    /** The mutable state of {@code param}, created empty on first use. */
    protected Map<String, Object> stateFor(Tensor param) {
        return state.computeIfAbsent(param, k -> new LinkedHashMap<>());
    }

    // ------------------------------------------------------------------ state dict

    /** The optimizer's state in PyTorch's structure (see the class comment); tensors are copies. */
    public Map<String, Object> stateDict() {
        Map<Tensor, Integer> index = new IdentityHashMap<>();
        List<Object> groups = new ArrayList<>();
        for (ParamGroup g : paramGroups) {
            Map<String, Object> packed = new LinkedHashMap<>(g.options());
            List<Integer> ids = new ArrayList<>();
            for (Tensor p : g.params()) {
                int id = index.size();
                index.put(p, id);
                ids.add(id);
            }
            packed.put("params", ids);
            groups.add(packed);
        }
        Map<Integer, Object> packedState = new LinkedHashMap<>();
        for (Tensor p : parameters()) {
            Map<String, Object> s = state.get(p);
            if (s == null || s.isEmpty()) {
                continue;
            }
            Map<String, Object> copy = new LinkedHashMap<>();
            for (var e : s.entrySet()) {
                copy.put(e.getKey(), copyValue(e.getValue(), null, false));
            }
            packedState.put(index.get(p), copy);
        }
        Map<String, Object> sd = new LinkedHashMap<>();
        sd.put("state", packedState);
        sd.put("param_groups", groups);
        return sd;
    }

    /**
     * Restores a {@link #stateDict()} (as {@code load_state_dict}): group options are replaced by the saved ones and
     * the saved per-parameter state is copied in, floating-point tensors (except {@code step}) cast to the parameter's
     * dtype. The optimizer must have the same number of groups with the same number of parameters.
     */
    public void loadStateDict(Map<String, ?> stateDict) {
        String where = getClass().getSimpleName() + ".loadStateDict";
        if (stateDict == null || !(stateDict.get("param_groups") instanceof List<?> savedGroups)) {
            throw new IllegalArgumentException(where + ": expected a map with 'state' and 'param_groups' (a list), got "
                    + (stateDict == null ? "null" : "keys " + stateDict.keySet()));
        }
        Object savedStateObj = stateDict.get("state");
        if (savedStateObj != null && !(savedStateObj instanceof Map<?, ?>)) {
            throw new IllegalArgumentException(where + ": 'state' must be a map from parameter index to state, got "
                    + savedStateObj.getClass().getSimpleName());
        }
        if (savedGroups.size() != paramGroups.size()) {
            throw new IllegalArgumentException(where + ": loaded state dict has " + savedGroups.size()
                    + " parameter groups, but the optimizer has " + paramGroups.size());
        }
        Map<Long, Tensor> idMap = new LinkedHashMap<>();
        List<Map<String, Object>> newOptions = new ArrayList<>();
        for (int gi = 0; gi < savedGroups.size(); gi++) {
            if (!(savedGroups.get(gi) instanceof Map<?, ?> saved) || !(saved.get("params") instanceof List<?> ids)) {
                throw new IllegalArgumentException(where + ": param_groups[" + gi + "] must be a map with a 'params' list");
            }
            List<Tensor> params = paramGroups.get(gi).params();
            if (ids.size() != params.size()) {
                throw new IllegalArgumentException(where + ": loaded state dict contains a parameter group that doesn't match "
                        + "the size of optimizer's group: param_groups[" + gi + "] has " + ids.size() + " params, the optimizer's has "
                        + params.size());
            }
            for (int i = 0; i < ids.size(); i++) {
                idMap.put(toIndex(ids.get(i), where), params.get(i));
            }
            Map<String, Object> options = new LinkedHashMap<>();
            for (var e : saved.entrySet()) {
                String key = String.valueOf(e.getKey());
                if (!key.equals("params")) {
                    options.put(key, ParamGroup.normalize(key, e.getValue()));
                }
            }
            newOptions.add(options);
        }
        Map<Tensor, Map<String, Object>> newState = new IdentityHashMap<>();
        if (savedStateObj instanceof Map<?, ?> savedState) {
            for (var e : savedState.entrySet()) {
                long id = toIndex(e.getKey(), where);
                Tensor p = idMap.get(id);
                if (p == null) {
                    throw new IllegalArgumentException(where + ": state for parameter " + id + ", but the param_groups list only "
                            + "parameters " + idMap.keySet());
                }
                if (!(e.getValue() instanceof Map<?, ?> values)) {
                    throw new IllegalArgumentException(where + ": state[" + id + "] must be a map, got " + e.getValue());
                }
                Map<String, Object> s = new LinkedHashMap<>();
                for (var v : values.entrySet()) {
                    String key = String.valueOf(v.getKey());
                    Object value = v.getValue();
                    if (value instanceof Tensor t && !key.equals("step") && t.dtype().isFloatingPoint()
                            && !Arrays.equals(t.shape(), p.shape())) {
                        throw new IllegalArgumentException(where + ": state[" + id + "]['" + key + "'] has shape "
                                + Arrays.toString(t.shape()) + " but parameter " + id + " has shape " + Arrays.toString(p.shape()));
                    }
                    s.put(key, copyValue(value, p, !key.equals("step")));
                }
                newState.put(p, s);
            }
        }
        for (int gi = 0; gi < paramGroups.size(); gi++) {
            paramGroups.get(gi).replaceOptions(newOptions.get(gi));
        }
        state.clear();
        state.putAll(newState);
    }

    private static long toIndex(Object key, String where) {
        if (key instanceof Integer || key instanceof Long || key instanceof Short) {
            return ((Number) key).longValue();
        }
        if (key instanceof String s) {
            try {
                return Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                // fall through
            }
        }
        throw new IllegalArgumentException(where + ": parameter indices must be integers, got " + key);
    }

    /** A deep copy of a state value; with {@code castTo} floating tensors take the parameter's dtype. */
    private static Object copyValue(Object value, Tensor castTo, boolean cast) {
        if (value instanceof Tensor t) {
            try (var g = Autograd.noGrad()) {
                Tensor src = t.detach();
                if (cast && castTo != null && castTo.dtype().isFloatingPoint() && src.dtype().isFloatingPoint()) {
                    src = src.to(castTo.dtype());
                }
                return src.clone();
            }
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            for (Object o : list) {
                out.add(copyValue(o, castTo, cast));
            }
            return out;
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            for (var e : map.entrySet()) {
                out.put(e.getKey(), copyValue(e.getValue(), castTo, cast));
            }
            return out;
        }
        return value;
    }

    // ------------------------------------------------------------------ helpers for the update loops

    /** A fresh step counter: a 0-dim float32 tensor, as PyTorch keeps {@code state['step']}. */
    static Tensor newStep() {
        return Tensor.scalar(0.0);
    }

    /** {@code step_t += 1} in the counter's own dtype; returns the new value ({@code step_t.item()}). */
    static double incrementStep(Tensor step) {
        double next = step.item() + 1;
        if (step.dtype() == DType.FLOAT32) {
            next = (float) next;
        }
        step.storage().setDouble(step.storageOffset(), next);
        step.storage().bumpVersion();
        return next;
    }

    /** A zero tensor shaped like the parameter (for state buffers). */
    static Tensor zerosLike(Tensor p) {
        return Tensor.zeros(p.shape(), p.dtype());
    }

    interface KernelUpdate {
        /** Updates {@code param}, contiguous, in place from {@code grad}, contiguous and of the parameter's dtype. */
        void apply(Tensor param, Tensor grad);
    }

    /**
     * Runs {@code update}, a device kernel, on the parameter without recording autograd history, and bumps the versions
     * of the parameter and of the {@code state} tensors it wrote (null ones are skipped). A non-contiguous parameter is
     * updated through a contiguous copy that is written back; the gradient is given contiguous, in the parameter's dtype.
     */
    static void update(Tensor p, KernelUpdate update, Tensor... state) {
        try (var g = Autograd.noGrad()) {
            Tensor grad = AutogradMeta.gradOf(p);
            if (!Arrays.equals(grad.shape(), p.shape())) {
                throw new IllegalStateException("optimizer: gradient of shape " + Arrays.toString(grad.shape())
                        + " for a parameter of shape " + Arrays.toString(p.shape()));
            }
            grad = grad.to(p.dtype()).contiguous();
            Tensor work = p.isContiguous() ? p : p.contiguous();
            update.apply(work, grad);
            if (work != p) {
                p.copy_(work);
            } else {
                p.storage().bumpVersion();
            }
        }
        for (Tensor t : state) {
            if (t != null) {
                t.storage().bumpVersion();
            }
        }
    }

    /** Optimizer state buffers (nulls skipped) must be contiguous float tensors, as the update kernels require. */
    static void checkStateBuffers(Tensor... buffers) {
        for (Tensor t : buffers) {
            if (t == null) {
                continue;
            }
            if (!t.isContiguous()) {
                throw new IllegalArgumentException("internal: optimizer buffer must be contiguous, got strides "
                        + Arrays.toString(t.stride()));
            }
            if (t.dtype() != DType.FLOAT32 && t.dtype() != DType.FLOAT64) {
                throw new IllegalArgumentException("optimizers update float32 or float64 tensors, got " + t.dtype());
            }
        }
    }

    static void checkNonNegative(String what, double value) {
        if (!(value >= 0)) {
            throw new IllegalArgumentException("Invalid " + what + " value: " + value + " (must be >= 0)");
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(getClass().getSimpleName()).append(" (");
        for (int i = 0; i < paramGroups.size(); i++) {
            sb.append("\nParameter Group ").append(i);
            for (var e : paramGroups.get(i).options().entrySet()) {
                sb.append("\n    ").append(e.getKey()).append(": ").append(e.getValue());
            }
        }
        return sb.append("\n)").toString();
    }
}
