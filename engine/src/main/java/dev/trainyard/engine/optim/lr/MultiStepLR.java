package dev.trainyard.engine.optim.lr;

import dev.trainyard.engine.optim.Optimizer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Multiplies the learning rate by {@code gamma} at each milestone epoch, as {@code MultiStepLR}; a milestone listed
 * twice multiplies by {@code gamma^2}.
 */
public final class MultiStepLR extends LRScheduler {
    private List<Integer> milestones;
    private double gamma;

    /** With {@code gamma} 0.1. */
    public MultiStepLR(Optimizer optimizer, List<Integer> milestones) {
        this(optimizer, milestones, 0.1);
    }

    public MultiStepLR(Optimizer optimizer, List<Integer> milestones, double gamma) {
        super(optimizer);
        this.milestones = sorted(milestones);
        this.gamma = gamma;
        initialStep();
    }

    private static List<Integer> sorted(List<Integer> milestones) {
        List<Integer> m = new ArrayList<>(milestones);
        Collections.sort(m);
        return List.copyOf(m);
    }

    @Override
    protected double[] computeLr() {
        int count = Collections.frequency(milestones, lastEpoch);
        double[] lrs = new double[groupCount()];
        for (int i = 0; i < lrs.length; i++) {
            lrs[i] = count == 0 ? groupLr(i) : groupLr(i) * Math.pow(gamma, count);
        }
        return lrs;
    }

    @Override
    protected double[] closedFormLr() {
        int passed = 0; // bisect_right(milestones, last_epoch)
        for (int m : milestones) {
            if (m <= lastEpoch) {
                passed++;
            }
        }
        double[] lrs = new double[groupCount()];
        for (int i = 0; i < lrs.length; i++) {
            lrs[i] = baseLrs.get(i) * Math.pow(gamma, passed);
        }
        return lrs;
    }

    @Override
    protected void putSettings(Map<String, Object> sd) {
        sd.put("milestones", milestones);
        sd.put("gamma", gamma);
    }

    @Override
    protected void takeSettings(Map<String, ?> sd, String where) {
        milestones = sorted(integers(sd, "milestones", where));
        gamma = number(sd, "gamma", where);
    }
}
