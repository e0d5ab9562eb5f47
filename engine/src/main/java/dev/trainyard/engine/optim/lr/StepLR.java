package dev.trainyard.engine.optim.lr;

import dev.trainyard.engine.optim.Optimizer;

import java.util.Map;

/** Multiplies the learning rate by {@code gamma} every {@code stepSize} epochs, as {@code StepLR}. */
public final class StepLR extends LRScheduler {
    private int stepSize;
    private double gamma;

    /** With {@code gamma} 0.1. */
    public StepLR(Optimizer optimizer, int stepSize) {
        this(optimizer, stepSize, 0.1);
    }

    public StepLR(Optimizer optimizer, int stepSize, double gamma) {
        super(optimizer);
        if (stepSize <= 0) {
            throw new IllegalArgumentException("StepLR: stepSize must be positive, got " + stepSize);
        }
        this.stepSize = stepSize;
        this.gamma = gamma;
        initialStep();
    }

    @Override
    protected double[] computeLr() {
        double[] lrs = new double[groupCount()];
        boolean decay = lastEpoch != 0 && lastEpoch % stepSize == 0;
        for (int i = 0; i < lrs.length; i++) {
            lrs[i] = decay ? groupLr(i) * gamma : groupLr(i);
        }
        return lrs;
    }

    @Override
    protected double[] closedFormLr() {
        double[] lrs = new double[groupCount()];
        for (int i = 0; i < lrs.length; i++) {
            lrs[i] = baseLrs.get(i) * Math.pow(gamma, Math.floorDiv(lastEpoch, stepSize));
        }
        return lrs;
    }

    @Override
    protected void putSettings(Map<String, Object> sd) {
        sd.put("step_size", stepSize);
        sd.put("gamma", gamma);
    }

    @Override
    protected void takeSettings(Map<String, ?> sd, String where) {
        stepSize = integer(sd, "step_size", where);
        gamma = number(sd, "gamma", where);
    }
}
