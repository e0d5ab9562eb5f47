package dev.trainyard.engine.optim.lr;

import dev.trainyard.engine.optim.Optimizer;
import dev.trainyard.engine.optim.ParamGroup;

import java.util.List;
import java.util.Map;

/**
 * The 1cycle policy, as {@code OneCycleLR}: the learning rate rises from {@code maxLr / divFactor} to {@code maxLr}
 * over the first {@code pctStart} of the steps, then anneals to {@code initial_lr / finalDivFactor}; momentum (or
 * Adam's beta1) cycles the opposite way between {@code maxMomentum} and {@code baseMomentum}. Step it after every
 * batch; stepping more than {@code totalSteps} times is an error.
 *
 * <pre>{@code
 * var sched = OneCycleLR.builder(opt, 0.1, epochs * stepsPerEpoch)
 *         .pctStart(0.25).annealStrategy(OneCycleLR.Anneal.LINEAR).threePhase(true).build();
 * }</pre>
 *
 * Like PyTorch it writes {@code initial_lr}, {@code max_lr}, {@code min_lr} and, when cycling momentum,
 * {@code max_momentum} / {@code base_momentum} into each param group.
 */
public final class OneCycleLR extends LRScheduler {
    /** How the rate moves within a phase. */
    public enum Anneal { COS, LINEAR }

    private record Phase(double endStep, String startLr, String endLr, String startMomentum, String endMomentum) {
    }

    private int totalSteps;
    private List<Phase> phases;
    private Anneal anneal;
    private boolean cycleMomentum;
    private boolean useBeta1;

    private OneCycleLR(Builder b) {
        super(b.optimizer);
        if (b.totalSteps <= 0) {
            throw new IllegalArgumentException("OneCycleLR: expected a positive number of total steps, got " + b.totalSteps);
        }
        if (!(b.pctStart >= 0 && b.pctStart <= 1)) {
            throw new IllegalArgumentException("OneCycleLR: expected pctStart between 0 and 1, got " + b.pctStart);
        }
        totalSteps = b.totalSteps;
        anneal = b.anneal;
        cycleMomentum = b.cycleMomentum;
        phases = phases(b.threePhase, b.pctStart, totalSteps);
        List<ParamGroup> groups = optimizer.paramGroups();
        double[] maxLrs = perGroup(optimizer, b.maxLrs, "maxLr");
        for (int i = 0; i < groups.size(); i++) {
            ParamGroup g = groups.get(i);
            double initialLr = maxLrs[i] / b.divFactor;
            g.set("initial_lr", initialLr);
            g.set("max_lr", maxLrs[i]);
            g.set("min_lr", initialLr / b.finalDivFactor);
        }
        if (cycleMomentum) {
            Map<String, Object> defaults = optimizer.defaults();
            if (!defaults.containsKey("momentum") && !defaults.containsKey("betas")) {
                throw new IllegalArgumentException("OneCycleLR: optimizer " + optimizer.getClass().getSimpleName()
                        + " has no momentum or betas; use cycleMomentum(false)");
            }
            useBeta1 = defaults.containsKey("betas");
            double[] maxMomentums = perGroup(optimizer, b.maxMomentums, "maxMomentum");
            double[] baseMomentums = perGroup(optimizer, b.baseMomentums, "baseMomentum");
            for (int i = 0; i < groups.size(); i++) {
                ParamGroup g = groups.get(i);
                setMomentum(g, maxMomentums[i]);
                g.set("max_momentum", maxMomentums[i]);
                g.set("base_momentum", baseMomentums[i]);
            }
        }
        initialStep();
    }

    private static List<Phase> phases(boolean threePhase, double pctStart, int totalSteps) {
        if (threePhase) {
            return List.of(
                    new Phase(pctStart * totalSteps - 1, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
                    new Phase(2 * pctStart * totalSteps - 2, "max_lr", "initial_lr", "base_momentum", "max_momentum"),
                    new Phase(totalSteps - 1, "initial_lr", "min_lr", "max_momentum", "max_momentum"));
        }
        return List.of(
                new Phase(pctStart * totalSteps - 1, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
                new Phase(totalSteps - 1, "max_lr", "min_lr", "base_momentum", "max_momentum"));
    }

    /** Starts a builder; {@code maxLr} applies to every group. */
    public static Builder builder(Optimizer optimizer, double maxLr, int totalSteps) {
        return new Builder(optimizer, List.of(maxLr), totalSteps);
    }

    /** Starts a builder with one peak rate per param group. */
    public static Builder builder(Optimizer optimizer, List<Double> maxLrs, int totalSteps) {
        return new Builder(optimizer, List.copyOf(maxLrs), totalSteps);
    }

    /** Options with PyTorch's defaults. */
    public static final class Builder {
        private final Optimizer optimizer;
        private final List<Double> maxLrs;
        private final int totalSteps;
        private double pctStart = 0.3;
        private Anneal anneal = Anneal.COS;
        private boolean cycleMomentum = true;
        private List<Double> baseMomentums = List.of(0.85);
        private List<Double> maxMomentums = List.of(0.95);
        private double divFactor = 25.0;
        private double finalDivFactor = 1e4;
        private boolean threePhase;

        private Builder(Optimizer optimizer, List<Double> maxLrs, int totalSteps) {
            this.optimizer = optimizer;
            this.maxLrs = maxLrs;
            this.totalSteps = totalSteps;
        }

        /** The fraction of steps spent increasing the rate (0.3). */
        public Builder pctStart(double pctStart) {
            this.pctStart = pctStart;
            return this;
        }

        public Builder annealStrategy(Anneal anneal) {
            this.anneal = anneal;
            return this;
        }

        public Builder cycleMomentum(boolean cycleMomentum) {
            this.cycleMomentum = cycleMomentum;
            return this;
        }

        /** The lowest momentum (0.85), reached at the peak learning rate. */
        public Builder baseMomentum(double baseMomentum) {
            this.baseMomentums = List.of(baseMomentum);
            return this;
        }

        /** The highest momentum (0.95), at the start and the end. */
        public Builder maxMomentum(double maxMomentum) {
            this.maxMomentums = List.of(maxMomentum);
            return this;
        }

        /** {@code initial_lr = maxLr / divFactor} (25). */
        public Builder divFactor(double divFactor) {
            this.divFactor = divFactor;
            return this;
        }

        /** {@code min_lr = initial_lr / finalDivFactor} (1e4). */
        public Builder finalDivFactor(double finalDivFactor) {
            this.finalDivFactor = finalDivFactor;
            return this;
        }

        /** Three phases: up, back down to {@code initial_lr}, then down to {@code min_lr} (false). */
        public Builder threePhase(boolean threePhase) {
            this.threePhase = threePhase;
            return this;
        }

        public OneCycleLR build() {
            return new OneCycleLR(this);
        }
    }

    private void setMomentum(ParamGroup g, double momentum) {
        if (useBeta1) {
            List<Double> betas = g.getDoubles("betas");
            g.set("betas", List.of(momentum, betas.get(1)));
        } else {
            g.set("momentum", momentum);
        }
    }

    private double anneal(double start, double end, double pct) {
        if (anneal == Anneal.COS) {
            double cosOut = Math.cos(Math.PI * pct) + 1;
            return end + (start - end) / 2.0 * cosOut;
        }
        return (end - start) * pct + start;
    }

    @Override
    protected double[] computeLr() {
        int stepNum = lastEpoch;
        if (stepNum > totalSteps) {
            throw new IllegalStateException("OneCycleLR: tried to step " + (stepNum + 1) + " times; the specified number of "
                    + "total steps is " + totalSteps);
        }
        List<ParamGroup> groups = optimizer.paramGroups();
        double[] lrs = new double[groups.size()];
        for (int gi = 0; gi < groups.size(); gi++) {
            ParamGroup g = groups.get(gi);
            double startStep = 0;
            for (int i = 0; i < phases.size(); i++) {
                Phase phase = phases.get(i);
                if (stepNum <= phase.endStep() || i == phases.size() - 1) {
                    double pct = (stepNum - startStep) / (phase.endStep() - startStep);
                    lrs[gi] = anneal(g.getDouble(phase.startLr()), g.getDouble(phase.endLr()), pct);
                    if (cycleMomentum) {
                        setMomentum(g, anneal(g.getDouble(phase.startMomentum()), g.getDouble(phase.endMomentum()), pct));
                    }
                    break;
                }
                startStep = phase.endStep();
            }
        }
        return lrs;
    }

    @Override
    protected void putSettings(Map<String, Object> sd) {
        sd.put("total_steps", totalSteps);
        sd.put("anneal_strategy", anneal.name().toLowerCase(java.util.Locale.ROOT));
        sd.put("cycle_momentum", cycleMomentum);
        sd.put("use_beta1", useBeta1);
        sd.put("three_phase", phases.size() == 3);
        sd.put("phase_end_steps", phases.stream().map(Phase::endStep).toList());
    }

    @Override
    protected void takeSettings(Map<String, ?> sd, String where) {
        totalSteps = integer(sd, "total_steps", where);
        anneal = Anneal.valueOf(string(sd, "anneal_strategy", where).toUpperCase(java.util.Locale.ROOT));
        cycleMomentum = bool(sd, "cycle_momentum", where);
        useBeta1 = bool(sd, "use_beta1", where);
        List<Double> ends = doubles(sd, "phase_end_steps", where);
        List<Phase> template = phases(bool(sd, "three_phase", where), 0, totalSteps);
        if (ends.size() != template.size()) {
            throw new IllegalArgumentException(where + ": 'phase_end_steps' must have " + template.size() + " values, got " + ends);
        }
        phases = java.util.stream.IntStream.range(0, ends.size()).mapToObj(i -> {
            Phase t = template.get(i);
            return new Phase(ends.get(i), t.startLr(), t.endLr(), t.startMomentum(), t.endMomentum());
        }).toList();
    }
}
