package dev.trainyard.engine.optim;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.engine.DType;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.optim.lr.CosineAnnealingLR;
import dev.trainyard.engine.optim.lr.LinearLR;
import dev.trainyard.engine.optim.lr.OneCycleLR;
import dev.trainyard.engine.optim.lr.ReduceLROnPlateau;
import dev.trainyard.engine.optim.lr.SequentialLR;
import dev.trainyard.engine.optim.lr.StepLR;
import dev.trainyard.engine.serialization.Checkpoint;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The optimizer API beyond the trajectories: groups, defaults, errors, zeroGrad, clipping and checkpoints. */
class OptimizerApiTest {

    private static Tensor param(float... values) {
        return Tensor.of(values).requiresGrad_(true);
    }

    @Test
    void defaultsApplyToGroupsThatDoNotOverrideThem() {
        Tensor a = param(1, 2);
        Tensor b = param(3);
        var opt = new SGD(List.of(ParamGroup.of(a), ParamGroup.of(b).set("lr", 0.01).set("momentum", 0.5)), 0.1).momentum(0.9);
        assertEquals(0.1, opt.paramGroups().get(0).lr());
        assertEquals(0.9, opt.paramGroups().get(0).getDouble("momentum"));
        assertEquals(0.01, opt.paramGroups().get(1).lr());
        assertEquals(0.5, opt.paramGroups().get(1).getDouble("momentum"));
        assertEquals(List.of("lr", "momentum", "dampening", "weight_decay", "nesterov", "maximize"),
                new ArrayList<>(opt.paramGroups().get(0).options().keySet()));
        assertEquals(List.of(a, b), opt.parameters());
    }

    @Test
    void zeroGradSetsGradientsToNullOrZero() {
        Tensor a = param(1, 2);
        var opt = new Adam(List.of(a), 1e-3);
        a.setGrad(Tensor.of(new float[] {1, 1}));
        opt.zeroGrad(false);
        assertArrayEquals(new float[] {0, 0}, a.grad().toFloatArray());
        opt.zeroGrad();
        assertNull(a.grad());
    }

    @Test
    void parametersWithoutGradientsAreSkipped() {
        Tensor a = param(1, 2);
        Tensor b = param(3);
        var opt = new SGD(List.of(a, b), 0.5);
        b.setGrad(Tensor.of(new float[] {2}));
        int versionA = a.version();
        opt.step();
        assertArrayEquals(new float[] {1, 2}, a.toFloatArray());
        assertEquals(versionA, a.version());
        assertArrayEquals(new float[] {2}, b.toFloatArray());
        assertTrue(opt.state(a).isEmpty());
    }

    @Test
    void stepIsNotRecordedByAutogradAndBumpsTheVersion() {
        Tensor a = param(1, 2);
        a.setGrad(Tensor.of(new float[] {1, 1}));
        int before = a.version();
        new SGD(List.of(a), 0.1).step();
        assertTrue(a.isLeaf());
        assertTrue(a.requiresGrad());
        assertTrue(a.version() > before);
    }

    @Test
    void nonContiguousParameterIsUpdatedInPlace() {
        Tensor base = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor p = base.t().requiresGrad_(true); // a transposed leaf view
        p.setGrad(Tensor.ones(3, 2));
        new SGD(List.of(p), 0.5).step();
        assertArrayEquals(new float[] {0.5f, 1.5f, 2.5f, 3.5f, 4.5f, 5.5f}, base.toFloatArray());
    }

    @Test
    void closureIsEvaluatedBeforeTheStep() {
        Tensor a = param(3);
        var opt = new SGD(List.of(a), 0.25);
        Tensor loss = opt.step(() -> {
            opt.zeroGrad();
            Tensor l = a.mul(a).sum();
            l.backward();
            return l;
        });
        assertEquals(9.0, loss.item());
        assertArrayEquals(new float[] {1.5f}, a.toFloatArray()); // 3 - 0.25 * 6
    }

    @Test
    void errorsNameWhatIsWrong() {
        Tensor a = param(1);
        var e1 = assertThrows(IllegalArgumentException.class, () -> new SGD(List.<Tensor>of(), 0.1));
        assertTrue(e1.getMessage().contains("empty parameter list"), e1.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class,
                () -> new SGD(List.of(ParamGroup.of(a), ParamGroup.of(a)), 0.1));
        assertTrue(e2.getMessage().contains("more than one parameter group"), e2.getMessage());
        Tensor nonLeaf = a.mul(2);
        var e3 = assertThrows(IllegalArgumentException.class, () -> new Adam(List.of(nonLeaf), 0.1));
        assertTrue(e3.getMessage().contains("non-leaf"), e3.getMessage());
        var e4 = assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(a), -1));
        assertTrue(e4.getMessage().contains("learning rate"), e4.getMessage());
        var e5 = assertThrows(IllegalArgumentException.class, () -> new Adam(List.of(a), 0.1).betas(0.9, 1.0));
        assertTrue(e5.getMessage().contains("beta parameter at index 1"), e5.getMessage());
        var sgd = new SGD(List.of(a), 0.1).nesterov(true);
        a.setGrad(Tensor.of(new float[] {1}));
        var e6 = assertThrows(IllegalArgumentException.class, sgd::step);
        assertTrue(e6.getMessage().contains("Nesterov momentum requires a momentum"), e6.getMessage());
        var e7 = assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(Tensor.of(new long[] {1})), 0.1));
        assertTrue(e7.getMessage().contains("int64"), e7.getMessage());
    }

    @Test
    void loadStateDictRejectsAMismatchedOptimizer() {
        Tensor a = param(1, 2);
        Tensor b = param(3);
        var opt = new Adam(List.of(a, b), 0.1);
        a.setGrad(Tensor.of(new float[] {1, 1}));
        opt.step();
        Map<String, Object> sd = opt.stateDict();

        var twoGroups = new Adam(List.of(ParamGroup.of(param(1, 2)), ParamGroup.of(param(3))), 0.1);
        var e1 = assertThrows(IllegalArgumentException.class, () -> twoGroups.loadStateDict(sd));
        assertTrue(e1.getMessage().contains("1 parameter groups, but the optimizer has 2"), e1.getMessage());

        var fewer = new Adam(List.of(param(1, 2)), 0.1);
        var e2 = assertThrows(IllegalArgumentException.class, () -> fewer.loadStateDict(sd));
        assertTrue(e2.getMessage().contains("has 2 params, the optimizer's has 1"), e2.getMessage());

        var wrongShape = new Adam(List.of(param(1, 2, 3), param(3)), 0.1);
        var e3 = assertThrows(IllegalArgumentException.class, () -> wrongShape.loadStateDict(sd));
        assertTrue(e3.getMessage().contains("state[0]['exp_avg'] has shape [2] but parameter 0 has shape [3]"), e3.getMessage());
        assertTrue(wrongShape.state(wrongShape.parameters().getFirst()).isEmpty(), "a failed load changes nothing");
    }

    @Test
    void stateDictIsACopyAndLoadCastsToTheParameterDtype() {
        Tensor a = param(1, 2);
        var opt = new SGD(List.of(a), 0.1).momentum(0.9);
        a.setGrad(Tensor.of(new float[] {1, 1}));
        opt.step();
        Map<String, Object> sd = opt.stateDict();
        Tensor saved = (Tensor) ((Map<?, ?>) ((Map<?, ?>) sd.get("state")).get(0)).get("momentum_buffer");
        opt.step();
        assertArrayEquals(new float[] {1, 1}, saved.toFloatArray(), "later steps do not change a saved state dict");

        // a float64 buffer loads into a float32 parameter as float32
        Map<String, Object> state0 = new LinkedHashMap<>();
        state0.put("momentum_buffer", Tensor.of(new double[] {0.5, 0.25}));
        Map<String, Object> group = new LinkedHashMap<>(opt.paramGroups().getFirst().options());
        group.put("params", List.of(0L));
        Map<String, Object> manual = Map.of("state", Map.of("0", state0), "param_groups", List.of(group));
        opt.loadStateDict(manual);
        Tensor buf = (Tensor) opt.state(a).get("momentum_buffer");
        assertEquals(DType.FLOAT32, buf.dtype());
        assertArrayEquals(new float[] {0.5f, 0.25f}, buf.toFloatArray());
        assertSame(a, opt.parameters().getFirst());
    }

    @Test
    void checkpointRoundTripResumesBitForBit(@TempDir Path dir) throws Exception {
        JsonNode c = OptimFixtures.cases(OptimFixtures.load("optimizers.json")).stream()
                .filter(x -> x.get("name").asText().equals("adam_groups")).findFirst().orElseThrow();
        JsonNode steps = c.get("steps");
        var straight = OptimizerFixtureTest.build(c, null, false);
        var sched = new StepLR(straight.opt(), 3, 0.5);
        for (int k = 0; k < 10; k++) {
            OptimizerFixtureTest.step(straight, steps.get(k));
            sched.step();
        }
        Path file = dir.resolve("ckpt.zip");
        Checkpoint.save(file, Map.of("optimizer", straight.opt().stateDict(), "scheduler", sched.stateDict()));
        Map<String, Object> loaded = Checkpoint.load(file);

        List<double[]> values = straight.params().stream().map(Tensor::toDoubleArray).toList();
        var resumed = OptimizerFixtureTest.build(c, values, true);
        var resumedSched = new StepLR(resumed.opt(), 3, 0.5);
        resumed.opt().loadStateDict(castMap(loaded.get("optimizer")));
        resumedSched.loadStateDict(castMap(loaded.get("scheduler")));
        for (int k = 10; k < steps.size(); k++) {
            OptimizerFixtureTest.step(straight, steps.get(k));
            sched.step();
            OptimizerFixtureTest.step(resumed, steps.get(k));
            resumedSched.step();
            for (int i = 0; i < straight.params().size(); i++) {
                assertArrayEquals(straight.params().get(i).toDoubleArray(), resumed.params().get(i).toDoubleArray(),
                        "step " + (k + 1) + " param " + i);
            }
            assertEquals(sched.getLastLr(), resumedSched.getLastLr());
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object o) {
        return (Map<String, Object>) o;
    }

    @Test
    void oneCycleNeedsMomentumOrCycleMomentumOff() {
        var adagrad = new Adagrad(List.of(param(1)), 0.1);
        var e = assertThrows(IllegalArgumentException.class, () -> OneCycleLR.builder(adagrad, 0.1, 10).build());
        assertTrue(e.getMessage().contains("no momentum or betas"), e.getMessage());
        var sched = OneCycleLR.builder(adagrad, 0.1, 2).cycleMomentum(false).build();
        sched.step();
        sched.step();
        var e2 = assertThrows(IllegalStateException.class, sched::step);
        assertTrue(e2.getMessage().contains("tried to step 4 times"), e2.getMessage());
    }

    @Test
    void schedulersCheckTheirArguments() {
        var opt = new SGD(List.of(param(1)), 0.1);
        assertThrows(IllegalArgumentException.class, () -> new StepLR(opt, 0));
        assertThrows(IllegalArgumentException.class, () -> new CosineAnnealingLR(opt, 0));
        assertThrows(IllegalArgumentException.class, () -> new LinearLR(opt, 1.5, 1.0, 5));
        assertThrows(IllegalArgumentException.class, () -> ReduceLROnPlateau.builder(opt).factor(1.0).build());
        var other = new SGD(List.of(param(2)), 0.1);
        var e = assertThrows(IllegalArgumentException.class,
                () -> new SequentialLR(opt, List.of(new LinearLR(opt), new StepLR(other, 2)), List.of(3)));
        assertTrue(e.getMessage().contains("same optimizer"), e.getMessage());
    }

    // ------------------------------------------------------------------ gradient clipping against PyTorch

    @TestFactory
    Stream<DynamicTest> gradClipMatchesPyTorch() {
        return OptimFixtures.cases(OptimFixtures.load("grad_clip.json")).stream().map(c -> DynamicTest.dynamicTest(
                c.get("name").asText(), () -> {
                    DType dtype = DType.fromName(c.get("dtype").asText());
                    List<Tensor> params = new ArrayList<>();
                    for (int i = 0; i < c.get("shapes").size(); i++) {
                        int[] shape = OptimFixtures.ints(c.get("shapes").get(i));
                        Tensor p = Tensor.zeros(shape, dtype).requiresGrad_(true);
                        p.setGrad(OptimFixtures.tensor(c.get("grads").get(i), shape, dtype));
                        params.add(p);
                    }
                    params.add(Tensor.zeros(2).requiresGrad_(true)); // no gradient: ignored
                    double rtol = dtype == DType.FLOAT64 ? 1e-12 : 1e-6;
                    if (c.has("clip_value")) {
                        GradClip.clipGradValue_(params, c.get("clip_value").asDouble());
                    } else {
                        double normType = c.get("norm_type").isTextual() ? Double.POSITIVE_INFINITY : c.get("norm_type").asDouble();
                        Tensor total = GradClip.clipGradNorm_(params, c.get("max_norm").asDouble(), normType);
                        assertEquals(dtype, total.dtype());
                        double expected = c.get("total_norm").asDouble();
                        assertTrue(Math.abs(total.item() - expected) <= rtol * expected,
                                "total norm " + total.item() + ", expected " + expected);
                    }
                    for (int i = 0; i < c.get("shapes").size(); i++) {
                        String problem = OptimFixtures.compare("clipped grad " + i, params.get(i).grad().toDoubleArray(),
                                OptimFixtures.doubles(c.get("clipped").get(i)), rtol, dtype == DType.FLOAT64 ? 1e-15 : 1e-8);
                        if (problem != null) {
                            fail(problem);
                        }
                    }
                    assertNull(params.getLast().grad());
                }));
    }

    @Test
    void gradClipOfNothingIsZeroAndNonFiniteCanThrow() {
        assertEquals(0.0, GradClip.clipGradNorm_(List.of(param(1)), 1.0).item());
        Tensor p = param(1, 2);
        p.setGrad(Tensor.of(new float[] {Float.POSITIVE_INFINITY, 1}));
        var e = assertThrows(IllegalStateException.class, () -> GradClip.clipGradNorm_(List.of(p), 1.0, 2.0, true));
        assertTrue(e.getMessage().contains("non-finite"), e.getMessage());
        assertEquals("[Infinity, 1.0]", Arrays.toString(p.grad().toFloatArray()), "nothing was scaled");
    }
}
