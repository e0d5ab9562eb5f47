package dev.trainyard.engine.optim.lr;

import dev.trainyard.engine.optim.Optimizer;
import dev.trainyard.engine.optim.ParamGroup;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Base class of the epoch/iteration learning-rate schedulers, as {@code torch.optim.lr_scheduler.LRScheduler}: wraps
 * an optimizer and rewrites each group's {@code lr} on every {@link #step()}.
 *
 * <pre>{@code
 * var opt = new SGD(model.parameters(), 0.1).momentum(0.9);
 * var sched = new CosineAnnealingLR(opt, 100);
 * for (int epoch = 0; epoch < 100; epoch++) {
 *     train(opt);            // opt.step() per batch
 *     sched.step();          // after the optimizer steps, as in PyTorch >= 1.1
 * }
 * }</pre>
 *
 * Construction records each group's {@code initial_lr} (if not already there) as the base learning rate and takes the
 * first step (epoch 0), exactly like PyTorch, so every schedule here reproduces PyTorch's sequence of learning rates,
 * including the chainable (recursive) formulas. A subclass computes the new rates in {@link #computeLr()} and calls
 * {@link #initialStep()} at the end of its constructor.
 *
 * <p>{@link #stateDict()} holds PyTorch's keys: {@code base_lrs}, {@code last_epoch}, {@code _step_count},
 * {@code _last_lr} and the scheduler's own settings; {@link #loadStateDict} restores all of them.
 */
public abstract class LRScheduler {
    protected final Optimizer optimizer;
    protected List<Double> baseLrs = List.of();
    protected int lastEpoch = -1;
    /** How many times {@link #step()} ran, counting the step taken at construction ({@code _step_count}). */
    protected int stepCount;
    private List<Double> lastLr = List.of();

    protected LRScheduler(Optimizer optimizer) {
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
    }

    /**
     * Records base learning rates and takes the first step, as PyTorch's constructor does with
     * {@code last_epoch=-1}; subclasses call this last in their constructors.
     */
    protected final void initialStep() {
        List<Double> base = new ArrayList<>();
        for (ParamGroup g : optimizer.paramGroups()) {
            if (!g.has("initial_lr")) {
                g.set("initial_lr", g.lr());
            }
            base.add(g.getDouble("initial_lr"));
        }
        baseLrs = List.copyOf(base);
        lastEpoch = -1;
        restartStepCount();
    }

    /** {@code _initial_step}: resets the step counter and steps once. */
    void restartStepCount() {
        stepCount = 0;
        step();
    }

    /** Advances one epoch (or iteration) and writes the new learning rates into the optimizer. */
    public void step() {
        stepCount++;
        lastEpoch++;
        apply(computeLr());
    }

    /** Jumps to {@code epoch} using the closed form, as PyTorch's deprecated {@code step(epoch)} (used by SequentialLR). */
    void stepTo(int epoch) {
        stepCount++;
        lastEpoch = epoch;
        apply(closedFormLr());
    }

    /** The new learning rate of every group for {@link #lastEpoch} (PyTorch's chainable {@code get_lr}). */
    protected abstract double[] computeLr();

    /** The learning rates at {@link #lastEpoch} computed from the base rates ({@code _get_closed_form_lr}). */
    protected double[] closedFormLr() {
        return computeLr();
    }

    private void apply(double[] lrs) {
        List<ParamGroup> groups = optimizer.paramGroups();
        for (int i = 0; i < groups.size(); i++) {
            groups.get(i).set("lr", lrs[i]);
        }
        lastLr = currentLrs(optimizer);
    }

    static List<Double> currentLrs(Optimizer optimizer) {
        List<Double> lrs = new ArrayList<>();
        for (ParamGroup g : optimizer.paramGroups()) {
            lrs.add(g.lr());
        }
        return List.copyOf(lrs);
    }

    /** The learning rates the last {@link #step()} set, one per group. */
    public List<Double> getLastLr() {
        return lastLr;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    /** The index of the current epoch; 0 right after construction. */
    public int lastEpoch() {
        return lastEpoch;
    }

    /** The base learning rates ({@code initial_lr} of every group). */
    public List<Double> baseLrs() {
        return baseLrs;
    }

    /** Each group's current {@code lr}. */
    protected double groupLr(int i) {
        return optimizer.paramGroups().get(i).lr();
    }

    protected int groupCount() {
        return optimizer.paramGroups().size();
    }

    // ------------------------------------------------------------------ state dict

    public Map<String, Object> stateDict() {
        Map<String, Object> sd = new LinkedHashMap<>();
        putSettings(sd);
        sd.put("base_lrs", baseLrs);
        sd.put("last_epoch", lastEpoch);
        sd.put("_step_count", stepCount);
        sd.put("_last_lr", lastLr);
        return sd;
    }

    public void loadStateDict(Map<String, ?> stateDict) {
        String where = getClass().getSimpleName() + ".loadStateDict";
        baseLrs = doubles(stateDict, "base_lrs", where);
        lastEpoch = integer(stateDict, "last_epoch", where);
        stepCount = integer(stateDict, "_step_count", where);
        lastLr = doubles(stateDict, "_last_lr", where);
        takeSettings(stateDict, where);
    }

    /** Adds the scheduler's settings (PyTorch keeps them in its state dict too). */
    protected void putSettings(Map<String, Object> sd) {
    }

    /** Restores what {@link #putSettings} wrote. */
    protected void takeSettings(Map<String, ?> sd, String where) {
    }

    static Object require(Map<String, ?> sd, String key, String where) {
        Object v = sd.get(key);
        if (v == null) {
            throw new IllegalArgumentException(where + ": missing key '" + key + "' (state dict has " + sd.keySet() + ")");
        }
        return v;
    }

    static int integer(Map<String, ?> sd, String key, String where) {
        if (!(require(sd, key, where) instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
            throw new IllegalArgumentException(where + ": '" + key + "' must be an integer, got " + sd.get(key));
        }
        return n.intValue();
    }

    static double number(Map<String, ?> sd, String key, String where) {
        Object v = require(sd, key, where);
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof String s) { // JSON writers may spell infinities as strings
            try {
                return Double.parseDouble(s);
            } catch (NumberFormatException e) {
                // fall through
            }
        }
        throw new IllegalArgumentException(where + ": '" + key + "' must be a number, got " + v);
    }

    static String string(Map<String, ?> sd, String key, String where) {
        return String.valueOf(require(sd, key, where));
    }

    static boolean bool(Map<String, ?> sd, String key, String where) {
        if (!(require(sd, key, where) instanceof Boolean b)) {
            throw new IllegalArgumentException(where + ": '" + key + "' must be a boolean, got " + sd.get(key));
        }
        return b;
    }

    static List<Double> doubles(Map<String, ?> sd, String key, String where) {
        if (!(require(sd, key, where) instanceof List<?> list)) {
            throw new IllegalArgumentException(where + ": '" + key + "' must be a list of numbers, got " + sd.get(key));
        }
        List<Double> out = new ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof Number n)) {
                throw new IllegalArgumentException(where + ": '" + key + "' must be a list of numbers, got " + list);
            }
            out.add(n.doubleValue());
        }
        return List.copyOf(out);
    }

    static List<Integer> integers(Map<String, ?> sd, String key, String where) {
        List<Integer> out = new ArrayList<>();
        for (double d : doubles(sd, key, where)) {
            out.add((int) d);
        }
        return List.copyOf(out);
    }

    static double[] perGroup(Optimizer optimizer, List<Double> values, String name) {
        int n = optimizer.paramGroups().size();
        if (values.size() == 1) {
            double[] out = new double[n];
            java.util.Arrays.fill(out, values.getFirst());
            return out;
        }
        if (values.size() != n) {
            throw new IllegalArgumentException("expected " + n + " values for " + name + " (one per param group), got " + values.size());
        }
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = values.get(i);
        }
        return out;
    }
}
