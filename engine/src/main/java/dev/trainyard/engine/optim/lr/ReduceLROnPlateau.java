package dev.trainyard.engine.optim.lr;

import dev.trainyard.engine.optim.Optimizer;
import dev.trainyard.engine.optim.ParamGroup;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reduces the learning rate by {@code factor} when a metric has stopped improving for {@code patience} epochs, as
 * {@code ReduceLROnPlateau}.
 *
 * <pre>{@code
 * var sched = ReduceLROnPlateau.builder(opt).mode(Mode.MAX).factor(0.5).patience(3).build();
 * for (int epoch = 0; epoch < epochs; epoch++) {
 *     train(opt);
 *     sched.step(validationAccuracy());
 * }
 * }</pre>
 *
 * An improvement is {@code a < best * (1 - threshold)} in REL mode (MIN), {@code a < best - threshold} in ABS mode,
 * and the mirror images for MAX. After a reduction, {@code cooldown} epochs pass before bad epochs count again. A
 * reduction smaller than {@code eps} is skipped; rates never go below {@code minLr}.
 */
public final class ReduceLROnPlateau {
    public enum Mode { MIN, MAX }

    public enum ThresholdMode { REL, ABS }

    private final Optimizer optimizer;
    private double factor;
    private double[] minLrs;
    private int patience;
    private int cooldown;
    private int cooldownCounter;
    private Mode mode;
    private double threshold;
    private ThresholdMode thresholdMode;
    private double best;
    private int numBadEpochs;
    private double eps;
    private int lastEpoch;
    private List<Double> lastLr;

    private ReduceLROnPlateau(Builder b) {
        if (b.factor >= 1.0) {
            throw new IllegalArgumentException("ReduceLROnPlateau: factor should be < 1.0, got " + b.factor);
        }
        this.optimizer = b.optimizer;
        this.factor = b.factor;
        this.minLrs = LRScheduler.perGroup(b.optimizer, b.minLrs, "minLr");
        this.patience = b.patience;
        this.cooldown = b.cooldown;
        this.mode = b.mode;
        this.threshold = b.threshold;
        this.thresholdMode = b.thresholdMode;
        this.eps = b.eps;
        this.lastEpoch = 0;
        this.lastLr = LRScheduler.currentLrs(optimizer);
        reset();
    }

    public static Builder builder(Optimizer optimizer) {
        return new Builder(optimizer);
    }

    /** Options with PyTorch's defaults. */
    public static final class Builder {
        private final Optimizer optimizer;
        private Mode mode = Mode.MIN;
        private double factor = 0.1;
        private int patience = 10;
        private double threshold = 1e-4;
        private ThresholdMode thresholdMode = ThresholdMode.REL;
        private int cooldown;
        private List<Double> minLrs = List.of(0.0);
        private double eps = 1e-8;

        private Builder(Optimizer optimizer) {
            this.optimizer = optimizer;
        }

        /** MIN: the metric should go down (a loss); MAX: up (an accuracy). */
        public Builder mode(Mode mode) {
            this.mode = mode;
            return this;
        }

        /** {@code new_lr = lr * factor} (0.1). */
        public Builder factor(double factor) {
            this.factor = factor;
            return this;
        }

        /** Epochs without improvement tolerated before reducing (10). */
        public Builder patience(int patience) {
            this.patience = patience;
            return this;
        }

        /** The least change that counts as an improvement (1e-4). */
        public Builder threshold(double threshold) {
            this.threshold = threshold;
            return this;
        }

        public Builder thresholdMode(ThresholdMode thresholdMode) {
            this.thresholdMode = thresholdMode;
            return this;
        }

        /** Epochs to wait after a reduction before counting bad epochs again (0). */
        public Builder cooldown(int cooldown) {
            this.cooldown = cooldown;
            return this;
        }

        public Builder minLr(double minLr) {
            this.minLrs = List.of(minLr);
            return this;
        }

        /** One lower bound per param group. */
        public Builder minLr(List<Double> minLrs) {
            this.minLrs = List.copyOf(minLrs);
            return this;
        }

        /** Reductions smaller than this are skipped (1e-8). */
        public Builder eps(double eps) {
            this.eps = eps;
            return this;
        }

        public ReduceLROnPlateau build() {
            return new ReduceLROnPlateau(this);
        }
    }

    private void reset() {
        best = modeWorse();
        cooldownCounter = 0;
        numBadEpochs = 0;
    }

    private double modeWorse() {
        return mode == Mode.MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    }

    /** Records the epoch's metric and reduces the learning rates if it has plateaued. */
    public void step(double metric) {
        int epoch = lastEpoch + 1;
        lastEpoch = epoch;
        if (isBetter(metric, best)) {
            best = metric;
            numBadEpochs = 0;
        } else {
            numBadEpochs++;
        }
        if (cooldownCounter > 0) {
            cooldownCounter--;
            numBadEpochs = 0;
        }
        if (numBadEpochs > patience) {
            reduceLr();
            cooldownCounter = cooldown;
            numBadEpochs = 0;
        }
        lastLr = LRScheduler.currentLrs(optimizer);
    }

    private void reduceLr() {
        List<ParamGroup> groups = optimizer.paramGroups();
        for (int i = 0; i < groups.size(); i++) {
            double oldLr = groups.get(i).lr();
            double newLr = Math.max(oldLr * factor, minLrs[i]);
            if (oldLr - newLr > eps) {
                groups.get(i).set("lr", newLr);
            }
        }
    }

    private boolean isBetter(double a, double best) {
        if (mode == Mode.MIN && thresholdMode == ThresholdMode.REL) {
            return a < best * (1. - threshold);
        } else if (mode == Mode.MIN) {
            return a < best - threshold;
        } else if (thresholdMode == ThresholdMode.REL) {
            return a > best * (threshold + 1.);
        }
        return a > best + threshold;
    }

    /** The learning rates after the last step (the optimizer's rates before the first). */
    public List<Double> getLastLr() {
        return lastLr;
    }

    public Optimizer optimizer() {
        return optimizer;
    }

    /** The best metric seen so far (+/-infinity before the first step). */
    public double best() {
        return best;
    }

    public int numBadEpochs() {
        return numBadEpochs;
    }

    public int lastEpoch() {
        return lastEpoch;
    }

    /**
     * PyTorch's keys: {@code factor, min_lrs, patience, cooldown, cooldown_counter, mode, threshold, threshold_mode,
     * best, num_bad_epochs, mode_worse, eps, last_epoch, _last_lr}. {@code best} and {@code mode_worse} may be
     * infinite.
     */
    public Map<String, Object> stateDict() {
        Map<String, Object> sd = new LinkedHashMap<>();
        sd.put("factor", factor);
        sd.put("min_lrs", java.util.Arrays.stream(minLrs).boxed().toList());
        sd.put("patience", patience);
        sd.put("cooldown", cooldown);
        sd.put("cooldown_counter", cooldownCounter);
        sd.put("mode", mode.name().toLowerCase(Locale.ROOT));
        sd.put("threshold", threshold);
        sd.put("threshold_mode", thresholdMode.name().toLowerCase(Locale.ROOT));
        sd.put("best", best);
        sd.put("num_bad_epochs", numBadEpochs);
        sd.put("mode_worse", modeWorse());
        sd.put("eps", eps);
        sd.put("last_epoch", lastEpoch);
        sd.put("_last_lr", lastLr);
        return sd;
    }

    public void loadStateDict(Map<String, ?> sd) {
        String where = "ReduceLROnPlateau.loadStateDict";
        factor = LRScheduler.number(sd, "factor", where);
        minLrs = LRScheduler.perGroup(optimizer, LRScheduler.doubles(sd, "min_lrs", where), "min_lrs");
        patience = LRScheduler.integer(sd, "patience", where);
        cooldown = LRScheduler.integer(sd, "cooldown", where);
        cooldownCounter = LRScheduler.integer(sd, "cooldown_counter", where);
        mode = Mode.valueOf(LRScheduler.string(sd, "mode", where).toUpperCase(Locale.ROOT));
        threshold = LRScheduler.number(sd, "threshold", where);
        thresholdMode = ThresholdMode.valueOf(LRScheduler.string(sd, "threshold_mode", where).toUpperCase(Locale.ROOT));
        best = LRScheduler.number(sd, "best", where);
        numBadEpochs = LRScheduler.integer(sd, "num_bad_epochs", where);
        eps = LRScheduler.number(sd, "eps", where);
        lastEpoch = LRScheduler.integer(sd, "last_epoch", where);
        lastLr = LRScheduler.doubles(sd, "_last_lr", where);
    }
}
