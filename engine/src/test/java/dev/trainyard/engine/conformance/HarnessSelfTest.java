package dev.trainyard.engine.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.trainyard.engine.DType;
import dev.trainyard.engine.conformance.Compare.Values;
import dev.trainyard.engine.conformance.Fixtures.Case;
import dev.trainyard.engine.conformance.Fixtures.TensorData;
import dev.trainyard.engine.conformance.Fixtures.Tol;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checks the conformance harness itself (independently of how far the engine is): the comparison rules, and that a
 * fixture whose expected output or gradient is perturbed is reported with a precise message.
 */
class HarnessSelfTest {

    @Test
    void toleranceRule() {
        List<String> problems = new ArrayList<>();
        Tol tol = Compare.FLOAT32;
        int[] shape = {2, 2};
        Compare.values("out", vals(1.0, 0.0, Double.NaN, Double.POSITIVE_INFINITY),
                vals(1.000009, 9e-7, Double.NaN, Double.POSITIVE_INFINITY), shape, tol, problems);
        assertTrue(problems.isEmpty(), problems::toString);

        Compare.values("out", vals(1.0, 0.0, 0.0, 5.0), vals(1.0, 0.0, Double.NaN, 5.0), shape, tol, problems);
        assertEquals(1, problems.size(), problems::toString);
        assertTrue(problems.get(0).contains("at [1, 0]"), problems::toString);

        problems.clear();
        Compare.values("grad[1]", vals(1.0, 2.0, 3.0, 4.0), vals(1.0, 2.0, 3.1, 4.0), shape, tol, problems);
        assertEquals(1, problems.size());
        assertTrue(problems.get(0).startsWith("grad[1] max rel err 3.23e-02 at [1, 0]"), problems::toString);

        problems.clear();
        Compare.values("out", new Values(null, new long[] {1, 2}, null), new Values(null, new long[] {1, 3}, null),
                new int[] {2}, tol, problems);
        assertEquals(1, problems.size());
        assertTrue(problems.get(0).contains("differs at [1] (got 2, expected 3"), problems::toString);
    }

    @Test
    void tolerancesPerDtype() {
        assertEquals(1e-5, Compare.tolFor(DType.FLOAT32, null).rtol());
        assertEquals(1e-12, Compare.tolFor(DType.FLOAT64, null).rtol());
        assertEquals(1e-4, Compare.tolFor(DType.FLOAT32, new Tol(1e-4, 1e-5)).rtol());
    }

    @Test
    void unorderedRowsAreSortedByIndex() {
        int[] perm = Compare.rowSortPerm(new long[] {4, 1, 2, 0, 5, 3}, new int[] {2, 3});
        assertEquals(List.of(1, 2, 0, 3, 5, 4), java.util.Arrays.stream(perm).boxed().toList());
    }

    /** Perturbing one expected value of a passing-shaped case must fail the case and name the tensor. */
    @Test
    void perturbedFixturesAreCaught() {
        Case exp = find("elementwise", "exp[float32 noncontig-T]");
        Case bad = withOutputs(exp, scaleFirst(exp.outputs().get(0), 1.001));
        AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> ConformanceTest.run(bad));
        assertTrue(e.getMessage().contains("exp[float32 noncontig-T]: output[0] max rel err"), e::getMessage);

        Case badGrad = withGrads(exp, scaleFirst(exp.grads().get(0), 1.001));
        e = assertThrows(AssertionFailedError.class, () -> ConformanceTest.run(badGrad));
        assertTrue(e.getMessage().contains("grad[0] max rel err"), e::getMessage);

        Case badDtype = withOutputs(exp, retype(exp.outputs().get(0), DType.FLOAT64));
        e = assertThrows(AssertionFailedError.class, () -> ConformanceTest.run(badDtype));
        assertTrue(e.getMessage().contains("output[0] dtype float32, expected float64"), e::getMessage);
    }

    // ------------------------------------------------------------------ helpers

    private static Values vals(double... d) {
        return new Values(d, null, null);
    }

    private static Case find(String family, String name) {
        return Fixtures.load(family).cases().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    private static TensorData scaleFirst(TensorData t, double factor) {
        return mapData(t, arr -> {
            ArrayNode copy = arr.deepCopy();
            copy.set(0, JsonNodeFactory.instance.numberNode(arr.get(0).asDouble() * factor));
            return copy;
        });
    }

    private static TensorData retype(TensorData t, DType dtype) {
        return new TensorData(dtype, t.shape(), t.data(), t.contiguous());
    }

    private static TensorData mapData(TensorData t, UnaryOperator<ArrayNode> f) {
        JsonNode data = f.apply((ArrayNode) t.data());
        return new TensorData(t.dtype(), t.shape(), data, t.contiguous());
    }

    private static Case withOutputs(Case c, TensorData first) {
        List<TensorData> outs = new ArrayList<>(c.outputs());
        outs.set(0, first);
        return new Case(c.family(), c.name(), c.op(), c.args(), c.inputs(), outs, c.gradOutputs(), c.grads(), c.tol(),
                c.checkContiguous(), c.unordered(), c.error());
    }

    private static Case withGrads(Case c, TensorData first) {
        List<TensorData> grads = new ArrayList<>(c.grads());
        grads.set(0, first);
        return new Case(c.family(), c.name(), c.op(), c.args(), c.inputs(), c.outputs(), c.gradOutputs(), grads, c.tol(),
                c.checkContiguous(), c.unordered(), c.error());
    }
}
