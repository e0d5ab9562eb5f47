package dev.trainyard.engine.optim.lr;

import dev.trainyard.engine.optim.Optimizer;

import java.util.Map;

/**
 * Scales the learning rate by a factor moving linearly from {@code startFactor} to {@code endFactor} over
 * {@code totalIters} epochs, as {@code LinearLR} (a warm-up with the defaults).
 */
public final class LinearLR extends LRScheduler {
    private double startFactor;
    private double endFactor;
    private int totalIters;

    /** PyTorch's defaults: from 1/3 to 1 over 5 epochs. */
    public LinearLR(Optimizer optimizer) {
        this(optimizer, 1.0 / 3, 1.0, 5);
    }

    public LinearLR(Optimizer optimizer, double startFactor, double endFactor, int totalIters) {
        super(optimizer);
        if (startFactor > 1.0 || startFactor <= 0) {
            throw new IllegalArgumentException("LinearLR: startFactor must be in (0, 1], got " + startFactor);
        }
        if (endFactor > 1.0 || endFactor < 0) {
            throw new IllegalArgumentException("LinearLR: endFactor must be in [0, 1], got " + endFactor);
        }
        this.startFactor = startFactor;
        this.endFactor = endFactor;
        this.totalIters = totalIters;
        initialStep();
    }

    @Override
    protected double[] computeLr() {
        double[] lrs = new double[groupCount()];
        for (int i = 0; i < lrs.length; i++) {
            double lr = groupLr(i);
            if (lastEpoch == 0) {
                lrs[i] = lr * startFactor;
            } else if (lastEpoch > totalIters) {
                lrs[i] = lr;
            } else {
                lrs[i] = lr * (1. + (endFactor - startFactor)
                        / (totalIters * startFactor + (lastEpoch - 1) * (endFactor - startFactor)));
            }
        }
        return lrs;
    }

    @Override
    protected double[] closedFormLr() {
        double[] lrs = new double[groupCount()];
        for (int i = 0; i < lrs.length; i++) {
            lrs[i] = baseLrs.get(i) * (startFactor + (endFactor - startFactor) * Math.min(totalIters, lastEpoch) / totalIters);
        }
        return lrs;
    }

    @Override
    protected void putSettings(Map<String, Object> sd) {
        sd.put("start_factor", startFactor);
        sd.put("end_factor", endFactor);
        sd.put("total_iters", totalIters);
    }

    @Override
    protected void takeSettings(Map<String, ?> sd, String where) {
        startFactor = number(sd, "start_factor", where);
        endFactor = number(sd, "end_factor", where);
        totalIters = integer(sd, "total_iters", where);
    }
}
