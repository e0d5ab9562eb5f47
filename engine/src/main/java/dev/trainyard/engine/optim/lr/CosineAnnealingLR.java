package dev.trainyard.engine.optim.lr;

import dev.trainyard.engine.optim.Optimizer;

import java.util.Map;

/**
 * Cosine annealing from the base rate to {@code etaMin} over {@code tMax} epochs, as {@code CosineAnnealingLR}.
 *
 * <p>Uses PyTorch's recursive form, {@code lr_t = eta_min + (lr_{t-1} - eta_min) * (1 + cos(pi t / T)) /
 * (1 + cos(pi (t - 1) / T))}, so the sequence matches PyTorch's to the last bits (including its behaviour past
 * {@code tMax}, where the rate climbs back up, and when another scheduler changed the rate in between).
 */
public final class CosineAnnealingLR extends LRScheduler {
    private int tMax;
    private double etaMin;

    /** With {@code etaMin} 0. */
    public CosineAnnealingLR(Optimizer optimizer, int tMax) {
        this(optimizer, tMax, 0.0);
    }

    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin) {
        super(optimizer);
        if (tMax <= 0) {
            throw new IllegalArgumentException("CosineAnnealingLR: tMax must be positive, got " + tMax);
        }
        this.tMax = tMax;
        this.etaMin = etaMin;
        initialStep();
    }

    @Override
    protected double[] computeLr() {
        double[] lrs = new double[groupCount()];
        for (int i = 0; i < lrs.length; i++) {
            double lr = groupLr(i);
            double base = baseLrs.get(i);
            if (lastEpoch == 0) {
                lrs[i] = lr;
            } else if (stepCount == 1 && lastEpoch > 0) {
                lrs[i] = etaMin + (base - etaMin) * (1 + Math.cos(lastEpoch * Math.PI / tMax)) / 2;
            } else if ((lastEpoch - 1 - tMax) % (2 * tMax) == 0) {
                lrs[i] = lr + (base - etaMin) * (1 - Math.cos(Math.PI / tMax)) / 2;
            } else {
                lrs[i] = (1 + Math.cos(Math.PI * lastEpoch / tMax)) / (1 + Math.cos(Math.PI * (lastEpoch - 1) / tMax))
                        * (lr - etaMin) + etaMin;
            }
        }
        return lrs;
    }

    @Override
    protected double[] closedFormLr() {
        double[] lrs = new double[groupCount()];
        for (int i = 0; i < lrs.length; i++) {
            lrs[i] = etaMin + (baseLrs.get(i) - etaMin) * (1 + Math.cos(Math.PI * lastEpoch / tMax)) / 2;
        }
        return lrs;
    }

    @Override
    protected void putSettings(Map<String, Object> sd) {
        sd.put("T_max", tMax);
        sd.put("eta_min", etaMin);
    }

    @Override
    protected void takeSettings(Map<String, ?> sd, String where) {
        tMax = integer(sd, "T_max", where);
        etaMin = number(sd, "eta_min", where);
    }
}
