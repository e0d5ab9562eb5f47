package dev.trainyard.engine.nn;

import dev.trainyard.engine.DType;
import dev.trainyard.engine.Device;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.autograd.Autograd;
import dev.trainyard.engine.autograd.RemovableHandle;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Base class of every layer and model, as {@code torch.nn.Module}. A module holds parameters, buffers and child
 * modules under names, registered in the constructor:
 *
 * <pre>{@code
 * class Net extends Module {
 *     final Linear fc1 = registerModule("fc1", new Linear(784, 128));
 *     final Linear fc2 = registerModule("fc2", new Linear(128, 10));
 *
 *     public Tensor forward(Tensor x) {
 *         return fc2.call(F.relu(fc1.call(x)));
 *     }
 * }
 * }</pre>
 *
 * Names nest with dots as in PyTorch ({@code "fc1.weight"}, {@code "encoder.layers.1.linear1.bias"}), and everything
 * that lists them ({@link #namedParameters()}, {@link #stateDict()}, ...) keeps registration order, so state dicts
 * have PyTorch's keys in PyTorch's order. {@link #call(Tensor)} is {@code __call__}: it runs the forward pre-hooks,
 * {@link #forward(Tensor)} and the forward hooks; containers call their children through it.
 *
 * <p>Layers read their parameters by name ({@code parameter("weight")}) rather than caching them, because
 * {@link #to(DType)} and {@link #registerParameter} replace the tensors (a tensor's dtype is fixed). Build optimizers
 * after moving a model to its dtype.
 */
public abstract class Module {

    /** Called before forward with the inputs; returns replacement inputs, or null to keep them. */
    @FunctionalInterface
    public interface ForwardPreHook {
        Tensor[] apply(Module module, Tensor[] inputs);
    }

    /**
     * Called after forward with the inputs and the output (a {@link Tensor} for most modules); returns a replacement
     * output, or null to keep it.
     */
    @FunctionalInterface
    public interface ForwardHook {
        Object apply(Module module, Tensor[] inputs, Object output);
    }

    private final Map<String, Tensor> parameters = new LinkedHashMap<>();
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();
    private final Set<String> nonPersistentBuffers = new LinkedHashSet<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private final Map<Integer, ForwardPreHook> forwardPreHooks = new LinkedHashMap<>();
    private final Map<Integer, ForwardHook> forwardHooks = new LinkedHashMap<>();
    private int nextHookId;
    private boolean training = true;

    protected Module() {
    }

    // ------------------------------------------------------------------ forward

    /** The computation; subclasses with one tensor input override it. Call modules through {@link #call(Tensor)}. */
    public Tensor forward(Tensor input) {
        throw new UnsupportedOperationException("Module [" + className() + "] is missing the required forward(Tensor) method"
                + " (modules with other inputs have their own call methods)");
    }

    /** Runs the module on {@code input}, as {@code module(input)}: pre-hooks, {@link #forward(Tensor)}, hooks. */
    public Tensor call(Tensor input) {
        return callWithHooks(new Tensor[] {input}, in -> forward(in[0]));
    }

    /**
     * Runs {@code forward} on {@code inputs} between the forward pre-hooks and forward hooks; subclasses whose forward
     * has another signature use it to write their own {@code call}.
     */
    @SuppressWarnings("unchecked")
    protected final <R> R callWithHooks(Tensor[] inputs, java.util.function.Function<Tensor[], R> forward) {
        Tensor[] in = inputs;
        if (!forwardPreHooks.isEmpty()) {
            for (ForwardPreHook hook : List.copyOf(forwardPreHooks.values())) {
                Tensor[] replaced = hook.apply(this, in);
                if (replaced != null) {
                    in = replaced;
                }
            }
        }
        R out = forward.apply(in);
        if (!forwardHooks.isEmpty()) {
            for (ForwardHook hook : List.copyOf(forwardHooks.values())) {
                Object replaced = hook.apply(this, in, out);
                if (replaced != null) {
                    out = (R) replaced;
                }
            }
        }
        return out;
    }

    /** Whether {@link #call(Tensor)} runs any hook around {@link #forward(Tensor)}. */
    final boolean hasForwardHooks() {
        return !forwardPreHooks.isEmpty() || !forwardHooks.isEmpty();
    }

    /** Registers a hook run before every {@code call}; as {@code register_forward_pre_hook}. */
    public RemovableHandle registerForwardPreHook(ForwardPreHook hook) {
        int id = nextHookId++;
        forwardPreHooks.put(id, hook);
        return () -> forwardPreHooks.remove(id);
    }

    /** Registers a hook run after every {@code call}; as {@code register_forward_hook}. */
    public RemovableHandle registerForwardHook(ForwardHook hook) {
        int id = nextHookId++;
        forwardHooks.put(id, hook);
        return () -> forwardHooks.remove(id);
    }

    // ------------------------------------------------------------------ registration

    /**
     * Registers {@code param} (a leaf tensor; it is made to require grad, like wrapping it in {@code nn.Parameter}) under
     * {@code name}, replacing any parameter of that name; null registers an absent parameter (as {@code bias=None}),
     * which no listing shows. Returns {@code param}.
     */
    public final Tensor registerParameter(String name, Tensor param) {
        checkName(name, "parameter");
        checkNotTaken(name, buffers, children, "parameter");
        if (param != null) {
            if (!param.isLeaf()) {
                throw new IllegalArgumentException(className() + ": cannot register parameter '" + name + "': it is the output of "
                        + param.gradFn().name() + ", not a leaf; register a detached tensor (x.detach()) instead");
            }
            if (!param.dtype().isFloatingPoint()) {
                throw new IllegalArgumentException(className() + ": cannot register parameter '" + name + "' of dtype "
                        + param.dtype() + "; parameters must be floating point (use registerBuffer for other data)");
            }
            param.requiresGrad_(true);
        }
        parameters.put(name, param);
        return param;
    }

    /** Registers a persistent buffer (saved in the state dict), as {@code register_buffer(name, tensor)}. */
    public final Tensor registerBuffer(String name, Tensor buffer) {
        return registerBuffer(name, buffer, true);
    }

    /**
     * Registers a buffer: state that is not trained (running statistics, masks, loss weights). Non-persistent buffers
     * are left out of {@link #stateDict()}. Null registers an absent buffer. Returns {@code buffer}.
     */
    public final Tensor registerBuffer(String name, Tensor buffer, boolean persistent) {
        checkName(name, "buffer");
        checkNotTaken(name, parameters, children, "buffer");
        buffers.put(name, buffer);
        if (persistent) {
            nonPersistentBuffers.remove(name);
        } else {
            nonPersistentBuffers.add(name);
        }
        return buffer;
    }

    /** Registers a child module under {@code name} (replacing any child of that name) and returns it. */
    public final <M extends Module> M registerModule(String name, M module) {
        checkName(name, "module");
        checkNotTaken(name, parameters, buffers, "module");
        if (module == this) {
            throw new IllegalArgumentException(className() + ": cannot register a module as its own child '" + name + "'");
        }
        children.put(name, module);
        return module;
    }

    private void checkName(String name, String kind) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException(className() + ": " + kind + " name can't be empty");
        }
        if (name.contains(".")) {
            throw new IllegalArgumentException(className() + ": " + kind + " name can't contain \".\", got \"" + name + "\"");
        }
    }

    private void checkNotTaken(String name, Map<String, ?> a, Map<String, ?> b, String kind) {
        if (a.containsKey(name) || b.containsKey(name)) {
            String other = parameters.containsKey(name) ? "parameter" : buffers.containsKey(name) ? "buffer" : "module";
            throw new IllegalArgumentException(className() + ": cannot register " + kind + " '" + name + "': a " + other
                    + " of that name already exists");
        }
    }

    /** This module's own parameter {@code name}, or null if it is absent (registered as null). */
    protected final Tensor parameter(String name) {
        if (!parameters.containsKey(name)) {
            throw new IllegalArgumentException(className() + " has no parameter '" + name + "'; it has " + parameters.keySet());
        }
        return parameters.get(name);
    }

    /** This module's own buffer {@code name}, or null if it is absent. */
    protected final Tensor buffer(String name) {
        if (!buffers.containsKey(name)) {
            throw new IllegalArgumentException(className() + " has no buffer '" + name + "'; it has " + buffers.keySet());
        }
        return buffers.get(name);
    }

    /**
     * This module's own children by name, in registration order, including a module registered under two names
     * (which {@link #namedChildren()} lists once); a read-only view, for containers.
     */
    protected final Map<String, Module> registeredChildren() {
        return Collections.unmodifiableMap(children);
    }

    /** The module at a dotted path, as {@code get_submodule("encoder.layers.0")}; "" is this module. */
    public Module getSubmodule(String target) {
        if (target.isEmpty()) {
            return this;
        }
        Module m = this;
        String path = "";
        for (String part : target.split("\\.", -1)) {
            Module next = m.children.get(part);
            if (next == null) {
                throw new IllegalArgumentException(m.className() + (path.isEmpty() ? "" : " at '" + path + "'") + " has no submodule '"
                        + part + "' (children: " + m.children.keySet() + ")");
            }
            path = path.isEmpty() ? part : path + "." + part;
            m = next;
        }
        return m;
    }

    /** The parameter at a dotted path, as {@code get_parameter("fc.weight")}. */
    public Tensor getParameter(String target) {
        int dot = target.lastIndexOf('.');
        Module owner = getSubmodule(dot < 0 ? "" : target.substring(0, dot));
        Tensor p = owner.parameters.get(target.substring(dot + 1));
        if (p == null) {
            throw new IllegalArgumentException(owner.className() + " has no parameter '" + target.substring(dot + 1) + "' (path '"
                    + target + "')");
        }
        return p;
    }

    /** The buffer at a dotted path, as {@code get_buffer("bn.running_mean")}. */
    public Tensor getBuffer(String target) {
        int dot = target.lastIndexOf('.');
        Module owner = getSubmodule(dot < 0 ? "" : target.substring(0, dot));
        Tensor b = owner.buffers.get(target.substring(dot + 1));
        if (b == null) {
            throw new IllegalArgumentException(owner.className() + " has no buffer '" + target.substring(dot + 1) + "' (path '"
                    + target + "')");
        }
        return b;
    }

    // ------------------------------------------------------------------ listings

    /** All parameters of this module and its descendants, each once, in registration order. */
    public List<Tensor> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    public List<Tensor> parameters(boolean recurse) {
        return new ArrayList<>(namedParameters(recurse).values());
    }

    /** Parameters by dotted name ({@code "0.weight"}); a parameter shared by two modules is listed once. */
    public LinkedHashMap<String, Tensor> namedParameters() {
        return namedParameters(true);
    }

    public LinkedHashMap<String, Tensor> namedParameters(boolean recurse) {
        return namedMembers(recurse, m -> m.parameters);
    }

    public List<Tensor> buffers() {
        return new ArrayList<>(namedBuffers().values());
    }

    public List<Tensor> buffers(boolean recurse) {
        return new ArrayList<>(namedBuffers(recurse).values());
    }

    /** Buffers (persistent or not) by dotted name, each once. */
    public LinkedHashMap<String, Tensor> namedBuffers() {
        return namedBuffers(true);
    }

    public LinkedHashMap<String, Tensor> namedBuffers(boolean recurse) {
        return namedMembers(recurse, m -> m.buffers);
    }

    private LinkedHashMap<String, Tensor> namedMembers(boolean recurse, java.util.function.Function<Module, Map<String, Tensor>> members) {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Map<String, Module> modules = recurse ? namedModules() : Map.of("", this);
        for (Map.Entry<String, Module> e : modules.entrySet()) {
            for (Map.Entry<String, Tensor> m : members.apply(e.getValue()).entrySet()) {
                Tensor t = m.getValue();
                if (t != null && seen.add(t)) {
                    out.put(prefixed(e.getKey(), m.getKey()), t);
                }
            }
        }
        return out;
    }

    /** The direct children, in registration order. */
    public List<Module> children() {
        return new ArrayList<>(new LinkedHashSet<>(children.values()));
    }

    public LinkedHashMap<String, Module> namedChildren() {
        LinkedHashMap<String, Module> out = new LinkedHashMap<>();
        Set<Module> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Map.Entry<String, Module> e : children.entrySet()) {
            if (e.getValue() != null && seen.add(e.getValue())) {
                out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    /** This module and all its descendants, depth first (pre-order), each once. */
    public List<Module> modules() {
        return new ArrayList<>(namedModules().values());
    }

    /** Descendants by dotted name, this module first under "". */
    public LinkedHashMap<String, Module> namedModules() {
        LinkedHashMap<String, Module> out = new LinkedHashMap<>();
        Set<Module> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        // iterative pre-order walk: deep models must not overflow the stack
        ArrayList<Map.Entry<String, Module>> stack = new ArrayList<>();
        stack.add(Map.entry("", this));
        while (!stack.isEmpty()) {
            Map.Entry<String, Module> top = stack.removeLast();
            Module m = top.getValue();
            if (!seen.add(m)) {
                continue;
            }
            out.put(top.getKey(), m);
            List<Map.Entry<String, Module>> kids = new ArrayList<>(m.children.entrySet());
            for (int i = kids.size() - 1; i >= 0; i--) {
                Module child = kids.get(i).getValue();
                if (child != null) {
                    stack.add(Map.entry(prefixed(top.getKey(), kids.get(i).getKey()), child));
                }
            }
        }
        return out;
    }

    private static String prefixed(String prefix, String name) {
        return prefix.isEmpty() ? name : prefix + "." + name;
    }

    // ------------------------------------------------------------------ modes and bulk operations

    /** Sets training mode on this module and all descendants; returns this. */
    public Module train(boolean mode) {
        for (Module m : modules()) {
            m.training = mode;
        }
        return this;
    }

    public Module train() {
        return train(true);
    }

    /** Evaluation mode (dropout off, batch norm uses running stats), as {@code model.eval()}. */
    public Module eval() {
        return train(false);
    }

    public boolean isTraining() {
        return training;
    }

    /** Clears every parameter's gradient (sets it to null, as {@code zero_grad(set_to_none=True)}). */
    public void zeroGrad() {
        for (Tensor p : parameters()) {
            p.autogradMeta().dropGrad();
        }
    }

    /** Sets {@code requiresGrad} on every parameter (freezing or unfreezing the module); returns this. */
    public Module requiresGrad_(boolean requiresGrad) {
        for (Tensor p : parameters()) {
            p.requiresGrad_(requiresGrad);
        }
        return this;
    }

    /** Applies {@code fn} to every descendant (children first) and then to this module, as {@code apply}; returns this. */
    public Module apply(Consumer<Module> fn) {
        List<Module> all = modules();
        for (int i = all.size() - 1; i >= 0; i--) {
            fn.accept(all.get(i));
        }
        return this;
    }

    /** Converts floating point parameters and buffers to {@code dtype}; returns this. */
    public Module to(DType dtype) {
        if (!dtype.isFloatingPoint()) {
            throw new IllegalArgumentException(className() + ".to: only floating point dtypes are accepted, got " + dtype);
        }
        return convert(t -> t.dtype().isFloatingPoint() ? t.to(dtype) : t);
    }

    /** Moves parameters and buffers to {@code device}; returns this. */
    public Module to(Device device) {
        return convert(t -> t.to(device));
    }

    private Module convert(UnaryOperator<Tensor> fn) {
        Map<Tensor, Tensor> done = new IdentityHashMap<>();
        try (var g = Autograd.noGrad()) {
            for (Module m : modules()) {
                for (Map.Entry<String, Tensor> e : m.parameters.entrySet()) {
                    Tensor p = e.getValue();
                    if (p == null) {
                        continue;
                    }
                    Tensor converted = done.get(p);
                    if (converted == null) {
                        Tensor data = fn.apply(p.detach());
                        if (data.storage() == p.storage() && data.dtype() == p.dtype() && data.device().equals(p.device())) {
                            converted = p;
                        } else {
                            converted = data.requiresGrad_(p.requiresGrad());
                            if (p.grad() != null) {
                                converted.setGrad(fn.apply(p.grad()));
                            }
                        }
                        done.put(p, converted);
                    }
                    e.setValue(converted);
                }
                for (Map.Entry<String, Tensor> e : m.buffers.entrySet()) {
                    Tensor b = e.getValue();
                    if (b != null) {
                        e.setValue(done.computeIfAbsent(b, fn));
                    }
                }
            }
        }
        return this;
    }

    // ------------------------------------------------------------------ state dict

    /**
     * Parameters and persistent buffers by dotted name, detached (sharing storage with the module), in PyTorch's
     * order: each module's parameters, then its buffers, then its children's entries. Shared tensors appear under
     * every name, as in PyTorch.
     */
    public LinkedHashMap<String, Tensor> stateDict() {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Slot> e : stateSlots().entrySet()) {
            out.put(e.getKey(), e.getValue().get().detach());
        }
        return out;
    }

    /** Where a state dict entry lives: a parameter or a buffer of some module. */
    private record Slot(Module owner, String name, boolean isParameter) {
        Tensor get() {
            return isParameter ? owner.parameters.get(name) : owner.buffers.get(name);
        }
    }

    private LinkedHashMap<String, Slot> stateSlots() {
        LinkedHashMap<String, Slot> out = new LinkedHashMap<>();
        ArrayList<Map.Entry<String, Module>> stack = new ArrayList<>();
        stack.add(Map.entry("", this));
        // state_dict does not deduplicate modules: a module registered twice contributes under both names
        while (!stack.isEmpty()) {
            Map.Entry<String, Module> top = stack.removeLast();
            Module m = top.getValue();
            String prefix = top.getKey();
            for (Map.Entry<String, Tensor> e : m.parameters.entrySet()) {
                if (e.getValue() != null) {
                    out.put(prefixed(prefix, e.getKey()), new Slot(m, e.getKey(), true));
                }
            }
            for (Map.Entry<String, Tensor> e : m.buffers.entrySet()) {
                if (e.getValue() != null && !m.nonPersistentBuffers.contains(e.getKey())) {
                    out.put(prefixed(prefix, e.getKey()), new Slot(m, e.getKey(), false));
                }
            }
            List<Map.Entry<String, Module>> kids = new ArrayList<>(m.children.entrySet());
            for (int i = kids.size() - 1; i >= 0; i--) {
                if (kids.get(i).getValue() != null) {
                    stack.add(Map.entry(prefixed(prefix, kids.get(i).getKey()), kids.get(i).getValue()));
                }
            }
        }
        return out;
    }

    /** {@code loadStateDict(stateDict, true)}. */
    public IncompatibleKeys loadStateDict(Map<String, Tensor> stateDict) {
        return loadStateDict(stateDict, true);
    }

    /**
     * Copies values from {@code stateDict} into this module's parameters and persistent buffers, in place (converting
     * dtype) and without recording autograd, as {@code load_state_dict}. Returns the keys the module expected but did
     * not get and the keys it got but has no place for. Fails, copying nothing, if any shape differs or, with
     * {@code strict}, if any key is missing or unexpected; the message lists every problem.
     */
    public IncompatibleKeys loadStateDict(Map<String, Tensor> stateDict, boolean strict) {
        LinkedHashMap<String, Slot> slots = stateSlots();
        List<String> missing = new ArrayList<>();
        List<String> mismatches = new ArrayList<>();
        for (Map.Entry<String, Slot> e : slots.entrySet()) {
            String key = e.getKey();
            if (!stateDict.containsKey(key)) {
                missing.add(key);
                continue;
            }
            Tensor src = stateDict.get(key);
            Tensor dst = e.getValue().get();
            if (src == null) {
                mismatches.add("value for " + key + " is null");
            } else if (!Arrays.equals(src.shape(), dst.shape())) {
                mismatches.add("size mismatch for " + key + ": copying a param with shape " + Arrays.toString(src.shape())
                        + " from checkpoint, the shape in current model is " + Arrays.toString(dst.shape()));
            }
        }
        List<String> unexpected = new ArrayList<>();
        for (String key : stateDict.keySet()) {
            if (!slots.containsKey(key)) {
                unexpected.add(key);
            }
        }
        List<String> problems = new ArrayList<>();
        if (strict && !missing.isEmpty()) {
            problems.add("missing keys " + missing);
        }
        if (strict && !unexpected.isEmpty()) {
            problems.add("unexpected keys " + unexpected);
        }
        problems.addAll(mismatches);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("loadStateDict: " + String.join(", ", problems)
                    + " (loading into " + className() + "; nothing was copied)");
        }
        try (var g = Autograd.noGrad()) {
            for (Map.Entry<String, Slot> e : slots.entrySet()) {
                Tensor src = stateDict.get(e.getKey());
                if (src != null) {
                    e.getValue().get().copy_(src);
                }
            }
        }
        return new IncompatibleKeys(List.copyOf(missing), List.copyOf(unexpected));
    }

    // ------------------------------------------------------------------ repr

    /** The text inside this module's parentheses in {@link #toString()}, as {@code extra_repr}; "" by default. */
    public String extraRepr() {
        return "";
    }

    /** PyTorch's module repr: the class name, {@link #extraRepr()} and the children, indented. */
    @Override
    public String toString() {
        List<String> lines = new ArrayList<>();
        String extra = extraRepr();
        if (!extra.isEmpty()) {
            lines.addAll(Arrays.asList(extra.split("\n", -1)));
        }
        for (Map.Entry<String, Module> e : children.entrySet()) {
            String child = e.getValue() == null ? "None" : e.getValue().toString().replace("\n", "\n  ");
            lines.add("(" + e.getKey() + "): " + child);
        }
        StringBuilder sb = new StringBuilder(className()).append('(');
        if (lines.size() == 1 && children.isEmpty()) {
            sb.append(lines.get(0));
        } else if (!lines.isEmpty()) {
            sb.append("\n  ").append(String.join("\n  ", lines)).append('\n');
        }
        return sb.append(')').toString();
    }

    /** The class name shown in reprs and errors (the superclass's for anonymous classes). */
    protected final String className() {
        Class<?> c = getClass();
        while (c.getSimpleName().isEmpty()) {
            c = c.getSuperclass();
        }
        return c.getSimpleName();
    }

    /** Formats a double as Python's {@code repr(float)} does ({@code 0.5}, {@code 1.0}, {@code 1e-05}), for reprs. */
    protected static String pyFloat(double v) {
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        if (v == 0) {
            return 1 / v < 0 ? "-0.0" : "0.0";
        }
        java.math.BigDecimal d = new java.math.BigDecimal(Double.toString(v)).stripTrailingZeros();
        double abs = Math.abs(v);
        if (abs >= 1e-4 && abs < 1e16) {
            String plain = d.toPlainString();
            return plain.contains(".") ? plain : plain + ".0";
        }
        // scientific, as Python: shortest digits, no trailing ".0", exponent with sign and at least two digits
        String digits = d.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - d.scale();
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return (v < 0 ? "-" : "") + mantissa + "e" + (exponent < 0 ? "-" : "+")
                + String.format(java.util.Locale.ROOT, "%02d", Math.abs(exponent));
    }

    /** Formats an int array as a Python tuple: {@code (2, 5)}, {@code (3,)}. */
    protected static String pyTuple(int[] values) {
        if (values.length == 1) {
            return "(" + values[0] + ",)";
        }
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < values.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(values[i]);
        }
        return sb.append(')').toString();
    }
}
