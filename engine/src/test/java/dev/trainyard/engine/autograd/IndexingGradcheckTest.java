package dev.trainyard.engine.autograd;

import dev.trainyard.engine.Tensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The indexing, joining and ordering ops ({@code ops/Indexing.java}) against finite differences. */
class IndexingGradcheckTest {
    private final Inputs in = new Inputs(77L);
    private final List<DynamicTest> tests = new ArrayList<>();

    private void check(String name, Function<Tensor[], Tensor> fn, Tensor... inputs) {
        tests.add(DynamicTest.dynamicTest(name, () -> assertTrue(GradCheck.gradcheck(fn, inputs))));
    }

    private void checkGradGrad(String name, Function<Tensor[], Tensor> fn, Tensor... inputs) {
        tests.add(DynamicTest.dynamicTest(name + " (second order)", () -> assertTrue(GradCheck.gradgradcheck(fn, inputs))));
    }

    private static Tensor longs(int[] shape, long... values) {
        return Tensor.of(values, shape);
    }

    @TestFactory
    List<DynamicTest> indexingOps() {
        Tensor x = in.randn(3, 4);
        Tensor rowsIndex = longs(new int[] {3, 2}, 0, 3, 1, 1, 2, 0); // repeats: gradients add up
        check("gather(1)", t -> t[0].gather(1, rowsIndex), x);
        check("gather(0) of a transposed input", t -> t[0].gather(0, longs(new int[] {2, 3}, 0, 3, 1, 2, 2, 0)), in.transposed(4, 3));
        checkGradGrad("gather(1)", t -> t[0].gather(1, rowsIndex).pow(2L), x);
        Tensor distinct = longs(new int[] {3, 2}, 0, 3, 1, 2, 2, 0); // no repeats within a row: scatter is deterministic
        check("scatter(1) tensor src", t -> t[0].scatter(1, distinct, t[1]), x, in.randn(3, 2));
        check("scatter(1) value", t -> t[0].scatter(1, distinct, 0.5), x);
        check("scatterAdd(1) with repeats", t -> t[0].scatterAdd(1, rowsIndex, t[1]), x, in.randn(3, 2));
        check("indexSelect(0) with repeats", t -> t[0].indexSelect(0, Tensor.of(new long[] {2, 0, 2})), x);
        check("indexSelect(0) of rows copied whole", t -> t[0].indexSelect(0, Tensor.of(new long[] {4, 1, 4})), in.randn(5, 20));
        check("indexSelect(1) of a step-sliced input", t -> t[0].indexSelect(1, Tensor.of(new long[] {1, 0})), in.stepSliced(3, 2));
        checkGradGrad("indexSelect(1)", t -> t[0].indexSelect(1, Tensor.of(new long[] {3, 1})).exp(), x);
        Tensor mask = in.mask(3, 4);
        check("maskedFill", t -> t[0].maskedFill(mask, -1.0), x);
        check("maskedFill broadcast mask", t -> t[0].maskedFill(Tensor.of(new boolean[] {true, false, false, true}), 2.0), x);
        check("maskedSelect", t -> t[0].maskedSelect(mask), x);
        check("index with int64 tensors", t -> t[0].index(Tensor.of(new long[] {0, 2, 2}), Tensor.of(new long[] {1, -1, 1})), x);
        check("index with one int64 tensor", t -> t[0].index(Tensor.of(new long[] {2, 0})), x);
        check("index with a bool mask", t -> t[0].index(mask), x);
        check("cumsum(1)", t -> t[0].cumsum(1), x);
        check("cumsum(0) of a transposed input", t -> t[0].cumsum(0), in.transposed(3, 4));
        return tests;
    }

    @TestFactory
    List<DynamicTest> joiningAndOrdering() {
        Tensor a = in.randn(2, 3);
        Tensor b = in.randn(1, 3);
        Tensor c = in.randn(2, 3);
        check("cat(0)", t -> Tensor.cat(List.of(t[0], t[1]), 0), a, b);
        check("cat(1) with a transposed input", t -> Tensor.cat(List.of(t[0], t[1]), 1), a, in.transposed(2, 2));
        check("cat of one tensor used twice", t -> Tensor.cat(List.of(t[0], t[0].mul(2.0)), 0), a);
        checkGradGrad("cat(0)", t -> Tensor.cat(List.of(t[0], t[1]), 0).pow(2L), a, b);
        check("stack(0)", t -> Tensor.stack(List.of(t[0], t[1]), 0), a, c);
        check("stack(-1)", t -> Tensor.stack(List.of(t[0], t[1]), -1), a, c);
        check("split(2, 1) pieces", t -> t[0].split(2, 1).get(1).mul(t[0].split(2, 1).get(0).sum()), in.randn(2, 3));
        check("split sizes", t -> t[0].split(new int[] {1, 2}, 1).get(1), in.randn(2, 3));
        check("chunk(2, 0)", t -> t[0].chunk(2, 0).get(1), in.randn(4, 3));
        Tensor distinctValues = Inputs.of(new int[] {2, 4}, 0.3, -1.2, 2.5, 0.9, -0.4, 1.7, -2.2, 0.1);
        check("sort(-1).values", t -> t[0].sort().values(), distinctValues);
        check("sort(0, descending).values", t -> t[0].sort(0, true).values(), distinctValues);
        check("topk(2).values", t -> t[0].topk(2).values(), distinctValues);
        check("topk(3, 1, smallest).values", t -> t[0].topk(3, 1, false, true).values(), distinctValues);
        checkGradGrad("sort values", t -> t[0].sort().values().pow(3L), distinctValues);
        return tests;
    }
}
