package dev.trainyard.worker.training;

import dev.trainyard.engine.optim.Optimizer;
import dev.trainyard.engine.optim.lr.CosineAnnealingLR;
import dev.trainyard.engine.optim.lr.ExponentialLR;
import dev.trainyard.engine.optim.lr.LRScheduler;
import dev.trainyard.engine.optim.lr.LinearLR;
import dev.trainyard.engine.optim.lr.MultiStepLR;
import dev.trainyard.engine.optim.lr.OneCycleLR;
import dev.trainyard.engine.optim.lr.ReduceLROnPlateau;
import dev.trainyard.engine.optim.lr.StepLR;
import dev.trainyard.spec.Options;
import dev.trainyard.spec.SchedulerSpec;

import java.util.Locale;
import java.util.Map;

/**
 * The run's learning-rate schedule over the engine's schedulers, stepped at the right moments: after every optimizer
 * step ({@code interval: step}, onecycle), after every epoch ({@code interval: epoch}), or after every evaluation
 * with the watched metric (plateau).
 */
final class Schedule {
    private final SchedulerSpec spec;
    private final LRScheduler scheduler;
    private final ReduceLROnPlateau plateau;

    private Schedule(SchedulerSpec spec, LRScheduler scheduler, ReduceLROnPlateau plateau) {
        this.spec = spec;
        this.scheduler = scheduler;
        this.plateau = plateau;
    }

    /**
     * @param totalEpochs the epochs the run will start (for a default cosine tMax per epoch)
     * @param totalSteps  the optimizer steps the run will take (for onecycle and a per-step cosine)
     */
    static Schedule create(SchedulerSpec spec, Optimizer opt, int totalEpochs, long totalSteps) {
        Options o = spec.options();
        LRScheduler s = null;
        ReduceLROnPlateau p = null;
        switch (spec.type()) {
            case "step" -> s = new StepLR(opt, o.getInt("stepSize"), o.getDouble("gamma"));
            case "multistep" -> s = new MultiStepLR(opt, o.getInts("milestones"), o.getDouble("gamma"));
            case "exponential" -> s = new ExponentialLR(opt, o.getDouble("gamma"));
            case "cosine" -> {
                long tMax = o.has("tMax") ? o.getInt("tMax") : spec.perStep() ? totalSteps : totalEpochs;
                s = new CosineAnnealingLR(opt, (int) Math.min(Integer.MAX_VALUE, tMax), o.getDouble("etaMin"));
            }
            case "linear" -> s = new LinearLR(opt, o.getDouble("startFactor"), o.getDouble("endFactor"), o.getInt("totalIters"));
            case "onecycle" -> {
                long steps = o.has("totalSteps") ? o.getInt("totalSteps") : totalSteps;
                if (steps < totalSteps) {
                    throw new IllegalArgumentException("scheduler.totalSteps is " + steps + " but the run takes " + totalSteps
                            + " optimizer steps; onecycle cannot step past its end (leave totalSteps out to use the run's)");
                }
                double maxLr = o.has("maxLr") ? o.getDouble("maxLr") : opt.paramGroups().getFirst().lr();
                s = OneCycleLR.builder(opt, maxLr, (int) steps).pctStart(o.getDouble("pctStart"))
                        .annealStrategy(OneCycleLR.Anneal.valueOf(o.getString("annealStrategy").toUpperCase(Locale.ROOT)))
                        .cycleMomentum(o.getBoolean("cycleMomentum")).baseMomentum(o.getDouble("baseMomentum"))
                        .maxMomentum(o.getDouble("maxMomentum")).divFactor(o.getDouble("divFactor"))
                        .finalDivFactor(o.getDouble("finalDivFactor")).threePhase(o.getBoolean("threePhase")).build();
            }
            case "plateau" -> p = ReduceLROnPlateau.builder(opt)
                    .mode(ReduceLROnPlateau.Mode.valueOf(o.getString("mode").toUpperCase(Locale.ROOT)))
                    .factor(o.getDouble("factor")).patience(o.getInt("patience")).threshold(o.getDouble("threshold"))
                    .thresholdMode(ReduceLROnPlateau.ThresholdMode.valueOf(o.getString("thresholdMode").toUpperCase(Locale.ROOT)))
                    .cooldown(o.getInt("cooldown")).minLr(o.getDouble("minLr")).build();
            default -> throw new IllegalArgumentException("unknown scheduler '" + spec.type() + "'");
        }
        return new Schedule(spec, s, p);
    }

    void afterStep() {
        if (scheduler != null && spec.perStep()) {
            scheduler.step();
        }
    }

    void afterEpoch() {
        if (scheduler != null && !spec.perStep()) {
            scheduler.step();
        }
    }

    /** Steps the plateau scheduler if the evaluation reported its metric. */
    void afterEvaluation(Map<String, Double> metrics) {
        if (plateau != null) {
            Double v = metrics.get(spec.options().getString("metric"));
            if (v != null) {
                plateau.step(v);
            }
        }
    }

    Map<String, Object> stateDict() {
        return scheduler != null ? scheduler.stateDict() : plateau.stateDict();
    }

    void loadStateDict(Map<String, ?> state) {
        if (scheduler != null) {
            scheduler.loadStateDict(state);
        } else {
            plateau.loadStateDict(state);
        }
    }
}
