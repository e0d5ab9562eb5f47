package dev.trainyard.engine.optim.lr;

import dev.trainyard.engine.optim.Optimizer;

import java.util.Map;

/** Multiplies the learning rate by {@code gamma} every epoch, as {@code ExponentialLR}. */
public final class ExponentialLR extends LRScheduler {
    private double gamma;

    public ExponentialLR(Optimizer optimizer, double gamma) {
        super(optimizer);
        this.gamma = gamma;
        initialStep();
    }

    @Override
    protected double[] computeLr() {
        double[] lrs = new double[groupCount()];
        for (int i = 0; i < lrs.length; i++) {
            lrs[i] = lastEpoch == 0 ? groupLr(i) : groupLr(i) * gamma;
        }
        return lrs;
    }

    @Override
    protected double[] closedFormLr() {
        double[] lrs = new double[groupCount()];
        for (int i = 0; i < lrs.length; i++) {
            lrs[i] = baseLrs.get(i) * Math.pow(gamma, lastEpoch);
        }
        return lrs;
    }

    @Override
    protected void putSettings(Map<String, Object> sd) {
        sd.put("gamma", gamma);
    }

    @Override
    protected void takeSettings(Map<String, ?> sd, String where) {
        gamma = number(sd, "gamma", where);
    }
}
