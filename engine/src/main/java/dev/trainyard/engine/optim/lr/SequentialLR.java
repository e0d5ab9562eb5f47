package dev.trainyard.engine.optim.lr;

import dev.trainyard.engine.optim.Optimizer;
import dev.trainyard.engine.optim.ParamGroup;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs schedulers one after another, switching at the milestone epochs, as {@code SequentialLR} (PyTorch 1.13
 * semantics: at a milestone the next scheduler restarts at its epoch 0 using its closed form).
 *
 * <pre>{@code
 * var warmup = new LinearLR(opt, 0.1, 1.0, 5);
 * var cosine = new CosineAnnealingLR(opt, 95);
 * var sched = new SequentialLR(opt, List.of(warmup, cosine), List.of(5));
 * }</pre>
 */
public final class SequentialLR extends LRScheduler {
    private final List<LRScheduler> schedulers;
    private List<Integer> milestones;
    private List<Double> lastLr;

    public SequentialLR(Optimizer optimizer, List<LRScheduler> schedulers, List<Integer> milestones) {
        super(optimizer);
        if (schedulers.isEmpty()) {
            throw new IllegalArgumentException("SequentialLR: expects at least one scheduler");
        }
        for (int i = 0; i < schedulers.size(); i++) {
            if (schedulers.get(i).optimizer() != optimizer) {
                throw new IllegalArgumentException("SequentialLR: expects all schedulers to belong to the same optimizer, but "
                        + "the scheduler at index " + i + " has a different one");
            }
        }
        if (milestones.size() != schedulers.size() - 1) {
            throw new IllegalArgumentException("SequentialLR: expects one milestone fewer than schedulers, got "
                    + schedulers.size() + " schedulers and " + milestones.size() + " milestones");
        }
        this.schedulers = List.copyOf(schedulers);
        this.milestones = List.copyOf(milestones);
        this.lastEpoch = 0;
        for (ParamGroup g : optimizer.paramGroups()) {
            g.set("lr", g.getDouble("initial_lr"));
        }
        for (LRScheduler s : this.schedulers) {
            s.lastEpoch -= 1;
        }
        this.schedulers.getFirst().restartStepCount();
        this.lastLr = this.schedulers.getFirst().getLastLr();
    }

    @Override
    public void step() {
        lastEpoch++;
        int idx = 0; // bisect_right(milestones, last_epoch)
        while (idx < milestones.size() && milestones.get(idx) <= lastEpoch) {
            idx++;
        }
        LRScheduler scheduler = schedulers.get(idx);
        if (idx > 0 && milestones.get(idx - 1) == lastEpoch) {
            scheduler.stepTo(0);
        } else {
            scheduler.step();
        }
        lastLr = scheduler.getLastLr();
    }

    @Override
    protected double[] computeLr() {
        throw new UnsupportedOperationException("SequentialLR delegates to its schedulers");
    }

    @Override
    public List<Double> getLastLr() {
        return lastLr;
    }

    public List<LRScheduler> schedulers() {
        return schedulers;
    }

    /** {@code _milestones}, {@code last_epoch}, {@code _last_lr} and {@code _schedulers} (their state dicts). */
    @Override
    public Map<String, Object> stateDict() {
        Map<String, Object> sd = new LinkedHashMap<>();
        sd.put("_milestones", milestones);
        sd.put("last_epoch", lastEpoch);
        sd.put("_last_lr", lastLr);
        List<Object> subs = new ArrayList<>();
        for (LRScheduler s : schedulers) {
            subs.add(s.stateDict());
        }
        sd.put("_schedulers", subs);
        return sd;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void loadStateDict(Map<String, ?> stateDict) {
        String where = "SequentialLR.loadStateDict";
        if (!(require(stateDict, "_schedulers", where) instanceof List<?> subs) || subs.size() != schedulers.size()) {
            throw new IllegalArgumentException(where + ": '_schedulers' must be a list of " + schedulers.size() + " state dicts");
        }
        milestones = integers(stateDict, "_milestones", where);
        lastEpoch = integer(stateDict, "last_epoch", where);
        lastLr = doubles(stateDict, "_last_lr", where);
        for (int i = 0; i < subs.size(); i++) {
            if (!(subs.get(i) instanceof Map<?, ?> m)) {
                throw new IllegalArgumentException(where + ": _schedulers[" + i + "] must be a map");
            }
            schedulers.get(i).loadStateDict((Map<String, ?>) m);
        }
    }
}
