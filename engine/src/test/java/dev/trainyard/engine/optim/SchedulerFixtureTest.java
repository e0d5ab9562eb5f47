package dev.trainyard.engine.optim;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.optim.lr.CosineAnnealingLR;
import dev.trainyard.engine.optim.lr.ExponentialLR;
import dev.trainyard.engine.optim.lr.LRScheduler;
import dev.trainyard.engine.optim.lr.LinearLR;
import dev.trainyard.engine.optim.lr.MultiStepLR;
import dev.trainyard.engine.optim.lr.OneCycleLR;
import dev.trainyard.engine.optim.lr.ReduceLROnPlateau;
import dev.trainyard.engine.optim.lr.SequentialLR;
import dev.trainyard.engine.optim.lr.StepLR;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Learning-rate sequences against PyTorch (fixtures/optim/schedulers.json), to 1e-12 relative (the formulas are
 * evaluated in the same order as PyTorch's; only cos/pow may differ in the last bit), plus a state-dict round trip
 * in the middle of every schedule.
 */
class SchedulerFixtureTest {
    private static final JsonNode ROOT = OptimFixtures.load("schedulers.json");
    private static final double RTOL = 1e-12;

    /** Either an LRScheduler or a ReduceLROnPlateau. */
    record Setup(Optimizer opt, LRScheduler sched, ReduceLROnPlateau plateau) {
        void step(JsonNode c, int k) {
            opt.step(); // no gradients: a no-op, as in the generator
            if (plateau != null) {
                plateau.step(c.get("metrics").get(k).asDouble());
            } else {
                sched.step();
            }
        }

        List<Double> lastLr() {
            return plateau != null ? plateau.getLastLr() : sched.getLastLr();
        }

        Map<String, Object> schedState() {
            return plateau != null ? plateau.stateDict() : sched.stateDict();
        }

        void loadSchedState(Map<String, Object> sd) {
            if (plateau != null) {
                plateau.loadStateDict(sd);
            } else {
                sched.loadStateDict(sd);
            }
        }
    }

    static Setup build(JsonNode c) {
        JsonNode o = c.get("optimizer");
        List<ParamGroup> groups = new ArrayList<>();
        JsonNode lrs = o.get("lrs");
        for (JsonNode lr : lrs) {
            groups.add(ParamGroup.of(Tensor.zeros(2).requiresGrad_(true)).set("lr", lr.asDouble()));
        }
        Optimizer opt = o.get("type").asText().equals("SGD")
                ? new SGD(groups, lrs.get(0).asDouble()).momentum(o.get("momentum").asDouble())
                : new Adam(groups, lrs.get(0).asDouble());
        JsonNode spec = c.get("scheduler");
        if (spec.get("type").asText().equals("ReduceLROnPlateau")) {
            return new Setup(opt, null, plateau(opt, spec.get("args")));
        }
        return new Setup(opt, scheduler(opt, spec), null);
    }

    static List<Integer> intList(JsonNode n) {
        List<Integer> out = new ArrayList<>();
        n.forEach(x -> out.add(x.asInt()));
        return out;
    }

    static List<Double> doubleList(JsonNode n) {
        List<Double> out = new ArrayList<>();
        if (n.isArray()) {
            n.forEach(x -> out.add(x.asDouble()));
        } else {
            out.add(n.asDouble());
        }
        return out;
    }

    static LRScheduler scheduler(Optimizer opt, JsonNode spec) {
        JsonNode a = spec.get("args");
        return switch (spec.get("type").asText()) {
            case "StepLR" -> new StepLR(opt, a.get("step_size").asInt(), a.path("gamma").asDouble(0.1));
            case "MultiStepLR" -> new MultiStepLR(opt, intList(a.get("milestones")), a.path("gamma").asDouble(0.1));
            case "ExponentialLR" -> new ExponentialLR(opt, a.get("gamma").asDouble());
            case "CosineAnnealingLR" -> new CosineAnnealingLR(opt, a.get("T_max").asInt(), a.path("eta_min").asDouble(0));
            case "LinearLR" -> new LinearLR(opt, a.path("start_factor").asDouble(1.0 / 3), a.path("end_factor").asDouble(1.0),
                    a.path("total_iters").asInt(5));
            case "OneCycleLR" -> {
                int total = a.has("total_steps") ? a.get("total_steps").asInt()
                        : a.get("epochs").asInt() * a.get("steps_per_epoch").asInt();
                OneCycleLR.Builder b = OneCycleLR.builder(opt, doubleList(a.get("max_lr")), total);
                if (a.has("pct_start")) {
                    b.pctStart(a.get("pct_start").asDouble());
                }
                if (a.has("anneal_strategy")) {
                    b.annealStrategy(OneCycleLR.Anneal.valueOf(a.get("anneal_strategy").asText().toUpperCase()));
                }
                if (a.has("three_phase")) {
                    b.threePhase(a.get("three_phase").asBoolean());
                }
                if (a.has("cycle_momentum")) {
                    b.cycleMomentum(a.get("cycle_momentum").asBoolean());
                }
                if (a.has("div_factor")) {
                    b.divFactor(a.get("div_factor").asDouble());
                }
                if (a.has("final_div_factor")) {
                    b.finalDivFactor(a.get("final_div_factor").asDouble());
                }
                if (a.has("base_momentum")) {
                    b.baseMomentum(a.get("base_momentum").asDouble());
                }
                if (a.has("max_momentum")) {
                    b.maxMomentum(a.get("max_momentum").asDouble());
                }
                yield b.build();
            }
            case "SequentialLR" -> {
                List<LRScheduler> subs = new ArrayList<>();
                a.get("schedulers").forEach(s -> subs.add(scheduler(opt, s)));
                yield new SequentialLR(opt, subs, intList(a.get("milestones")));
            }
            default -> throw new IllegalArgumentException(spec.toString());
        };
    }

    static ReduceLROnPlateau plateau(Optimizer opt, JsonNode a) {
        var b = ReduceLROnPlateau.builder(opt);
        if (a.has("mode")) {
            b.mode(ReduceLROnPlateau.Mode.valueOf(a.get("mode").asText().toUpperCase()));
        }
        if (a.has("factor")) {
            b.factor(a.get("factor").asDouble());
        }
        if (a.has("patience")) {
            b.patience(a.get("patience").asInt());
        }
        if (a.has("threshold")) {
            b.threshold(a.get("threshold").asDouble());
        }
        if (a.has("threshold_mode")) {
            b.thresholdMode(ReduceLROnPlateau.ThresholdMode.valueOf(a.get("threshold_mode").asText().toUpperCase()));
        }
        if (a.has("cooldown")) {
            b.cooldown(a.get("cooldown").asInt());
        }
        if (a.has("min_lr")) {
            b.minLr(doubleList(a.get("min_lr")));
        }
        if (a.has("eps")) {
            b.eps(a.get("eps").asDouble());
        }
        return b.build();
    }

    static void checkStep(JsonNode c, Setup s, int k) {
        String name = c.get("name").asText();
        int step = k + 1;
        List<ParamGroup> groups = s.opt().paramGroups();
        JsonNode lrs = c.get("lrs").get(step);
        for (int g = 0; g < groups.size(); g++) {
            close(name + " step " + step + " group " + g + " lr", groups.get(g).lr(), lrs.get(g).asDouble());
            if (k >= 0) {
                close(name + " step " + step + " group " + g + " getLastLr", s.lastLr().get(g), lrs.get(g).asDouble());
            }
            if (c.has("momentum")) {
                close(name + " step " + step + " group " + g + " momentum", groups.get(g).getDouble("momentum"),
                        c.get("momentum").get(step).get(g).asDouble());
            }
            if (c.has("beta1")) {
                close(name + " step " + step + " group " + g + " beta1", groups.get(g).getDoubles("betas").get(0),
                        c.get("beta1").get(step).get(g).asDouble());
            }
        }
    }

    static void close(String what, double actual, double expected) {
        if (!(Math.abs(actual - expected) <= RTOL * Math.abs(expected))) {
            fail(what + " = " + actual + ", expected " + expected + " (rel err "
                    + Math.abs(actual - expected) / Math.abs(expected) + ")");
        }
    }

    @TestFactory
    Stream<DynamicTest> learningRatesMatchPyTorch() {
        return OptimFixtures.cases(ROOT).stream().map(c -> DynamicTest.dynamicTest(c.get("name").asText(), () -> {
            Setup s = build(c);
            checkStep(c, s, -1);
            for (int k = 0; k < c.get("steps").asInt(); k++) {
                s.step(c, k);
                checkStep(c, s, k);
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> stateDictResumeContinuesIdentically() {
        return OptimFixtures.cases(ROOT).stream().map(c -> DynamicTest.dynamicTest(c.get("name").asText(), () -> {
            int resumeAt = 12;
            Setup straight = build(c);
            for (int k = 0; k < resumeAt; k++) {
                straight.step(c, k);
            }
            Map<String, Object> optState = straight.opt().stateDict();
            Map<String, Object> schedState = straight.schedState();
            Setup resumed = build(c);
            resumed.opt().loadStateDict(optState);
            resumed.loadSchedState(schedState);
            OptimizerFixtureTest.assertStateDictsEqual(schedState, resumed.schedState());
            for (int k = resumeAt; k < c.get("steps").asInt(); k++) {
                straight.step(c, k);
                resumed.step(c, k);
                List<ParamGroup> a = straight.opt().paramGroups();
                List<ParamGroup> b = resumed.opt().paramGroups();
                for (int g = 0; g < a.size(); g++) {
                    assertEquals(a.get(g).options(), b.get(g).options(), "step " + (k + 1) + " group " + g + " options");
                }
                assertEquals(straight.lastLr(), resumed.lastLr(), "step " + (k + 1) + " getLastLr");
                checkStep(c, resumed, k);
            }
        }));
    }
}
