package dev.trainyard.engine.ops;

import dev.trainyard.engine.DType;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.ValuesIndices;
import dev.trainyard.engine.autograd.Autograd;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Values, gradients (against central differences in float64), strided inputs and error messages of {@link Indexing}. */
class IndexingTest {

    // ------------------------------------------------------------------ helpers

    private static Tensor f32(float[] data, int... shape) {
        return Tensor.of(data, shape);
    }

    private static Tensor f64(double[] data, int... shape) {
        return Tensor.of(data, shape);
    }

    private static Tensor i64(long... data) {
        return Tensor.of(data, data.length);
    }

    private static Tensor i64(long[] data, int... shape) {
        return Tensor.of(data, shape);
    }

    private static Tensor bools(boolean[] data, int... shape) {
        return Tensor.of(data, shape);
    }

    /** A float64 leaf requiring grad with deterministic, well-separated values (no ties, so sort/topk are smooth). */
    private static Tensor leaf(long seed, int... shape) {
        Random r = new Random(seed);
        int n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = (i * 0.37 + r.nextDouble() * 0.1) * (i % 2 == 0 ? 1 : -1);
        }
        return Tensor.of(d, shape).requiresGrad_();
    }

    private static void assertValues(double[] expected, int[] shape, Tensor actual) {
        assertArrayEquals(shape, actual.shape(), "shape");
        double[] a = actual.toDoubleArray();
        assertEquals(expected.length, a.length, "number of elements");
        for (int i = 0; i < a.length; i++) {
            boolean same = a[i] == expected[i] || (Double.isNaN(expected[i]) ? Double.isNaN(a[i])
                    : Math.abs(a[i] - expected[i]) <= 1e-6 * (1 + Math.abs(expected[i])));
            if (!same) {
                fail("value at flat position " + i + " is " + a[i] + ", expected " + expected[i] + "; got " + Arrays.toString(a));
            }
        }
    }

    private static void assertLongs(long[] expected, int[] shape, Tensor actual) {
        assertArrayEquals(shape, actual.shape(), "shape");
        assertArrayEquals(expected, actual.toLongArray(), () -> "got " + Arrays.toString(actual.toLongArray()));
    }

    private static void assertMessage(Class<? extends Throwable> type, String expected, Runnable r) {
        Throwable t = assertThrows(type, r::run);
        assertEquals(expected, t.getMessage());
    }

    private static void assertMessageContains(String expected, Runnable r) {
        Throwable t = assertThrows(RuntimeException.class, r::run);
        assertTrue(t.getMessage().contains(expected), () -> "message \"" + t.getMessage() + "\" lacks \"" + expected + "\"");
    }

    /**
     * Compares autograd's gradient of {@code sum(f(inputs) * w)} (w fixed and random) with central differences, for
     * every input that requires grad. Inputs are float64 leaves; perturbed copies keep their requiresGrad flags, so f may
     * itself run a backward pass (see {@link #gradgradcheck}).
     */
    private static void gradcheck(String what, Function<List<Tensor>, Tensor> f, Tensor... inputs) {
        List<Tensor> in = List.of(inputs);
        Tensor out = f.apply(in);
        Tensor w = weights(out.shape());
        Tensor loss = out.mul(w).sum();
        List<Tensor> wrt = new ArrayList<>();
        for (Tensor t : inputs) {
            if (t.requiresGrad()) {
                wrt.add(t);
            }
        }
        assertTrue(loss.requiresGrad(), what + ": output does not require grad");
        List<Tensor> grads = Autograd.grad(List.of(loss), wrt, null, false, false, true);
        double eps = 1e-6;
        for (int k = 0; k < wrt.size(); k++) {
            Tensor t = wrt.get(k);
            double[] base = t.toDoubleArray();
            double[] analytic = grads.get(k) == null ? new double[base.length] : grads.get(k).toDoubleArray();
            assertArrayEquals(t.shape(), grads.get(k) == null ? t.shape() : grads.get(k).shape(), what + ": grad shape");
            for (int i = 0; i < base.length; i++) {
                double[] plus = base.clone();
                double[] minus = base.clone();
                plus[i] += eps;
                minus[i] -= eps;
                double numeric = (evalWith(f, inputs, t, plus, w) - evalWith(f, inputs, t, minus, w)) / (2 * eps);
                double err = Math.abs(numeric - analytic[i]);
                if (err > 1e-6 * (1 + Math.abs(numeric))) {
                    fail(what + ": grad of input " + Arrays.asList(inputs).indexOf(t) + " at flat position " + i + " is "
                            + analytic[i] + ", finite differences give " + numeric);
                }
            }
        }
    }

    private static double evalWith(Function<List<Tensor>, Tensor> f, Tensor[] inputs, Tensor replaced, double[] data, Tensor w) {
        List<Tensor> in = new ArrayList<>();
        for (Tensor t : inputs) {
            if (t == replaced) {
                in.add(Tensor.of(data, t.shape()).requiresGrad_(true));
            } else {
                in.add(t);
            }
        }
        return f.apply(in).mul(w).sum().item();
    }

    private static Tensor weights(int[] shape) {
        Random r = new Random(Arrays.hashCode(shape));
        int n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = r.nextDouble() * 2 - 1;
        }
        return Tensor.of(d, shape);
    }

    /** Checks second derivatives: the gradient (built with createGraph) of {@code sum(f(x)^3 * w)}, itself gradchecked. */
    private static void gradgradcheck(String what, Function<Tensor, Tensor> f, Tensor x) {
        gradcheck(what + " (double backward)", in -> {
            Tensor xi = in.get(0);
            Tensor y = f.apply(xi);
            Tensor loss = y.mul(y).mul(y).mul(weights(y.shape())).sum();
            return Autograd.grad(List.of(loss), List.of(xi), null, true, true, false).get(0);
        }, x);
    }

    // ------------------------------------------------------------------ cumsum

    @Nested
    class Cumsum {
        @Test
        void valuesAlongEachDim() {
            Tensor x = f32(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
            assertValues(new double[] {1, 3, 6, 4, 9, 15}, new int[] {2, 3}, x.cumsum(1));
            assertValues(new double[] {1, 2, 3, 5, 7, 9}, new int[] {2, 3}, x.cumsum(0));
            assertValues(new double[] {1, 3, 6, 4, 9, 15}, new int[] {2, 3}, x.cumsum(-1));
            assertEquals(DType.FLOAT32, x.cumsum(0).dtype());
        }

        @Test
        void stridedInputs() {
            Tensor x = f32(new float[] {1, 2, 3, 4, 5, 6}, 2, 3).t(); // [[1, 4], [2, 5], [3, 6]]
            assertValues(new double[] {1, 5, 2, 7, 3, 9}, new int[] {3, 2}, x.cumsum(1));
            assertValues(new double[] {1, 4, 3, 9, 6, 15}, new int[] {3, 2}, x.cumsum(0));
            Tensor stepped = Tensor.arange(0, 8, 1).slice(0, 1, 8, 3); // [1, 4, 7]
            assertLongs(new long[] {1, 5, 12}, new int[] {3}, stepped.cumsum(0));
        }

        @Test
        void integerAndBoolInputsGiveInt64() {
            Tensor big = Tensor.of(new int[] {Integer.MAX_VALUE, 1, 1}, 3);
            Tensor c = big.cumsum(0);
            assertEquals(DType.INT64, c.dtype());
            assertLongs(new long[] {Integer.MAX_VALUE, Integer.MAX_VALUE + 1L, Integer.MAX_VALUE + 2L}, new int[] {3}, c);
            assertLongs(new long[] {1, 1, 2, 3, 3}, new int[] {5}, bools(new boolean[] {true, false, true, true, false}, 5).cumsum(0));
            assertLongs(new long[] {200, 300, 305}, new int[] {3}, Tensor.ofUint8(new byte[] {(byte) 200, 100, 5}, 3).cumsum(0));
        }

        @Test
        void zeroDimAndEmpty() {
            assertValues(new double[] {2.5}, new int[0], Tensor.scalar(2.5).cumsum(0));
            assertValues(new double[0], new int[] {0, 3}, Tensor.zeros(0, 3).cumsum(1));
        }

        @Test
        void gradients() {
            gradcheck("cumsum dim1", in -> in.get(0).cumsum(1), leaf(1, 3, 4));
            gradcheck("cumsum dim0 of a transpose", in -> in.get(0).t().cumsum(0), leaf(2, 3, 4));
            gradgradcheck("cumsum", x -> x.cumsum(-1), leaf(3, 2, 3));
            Tensor x = leaf(4, 4);
            x.cumsum(0).sum().backward();
            assertValues(new double[] {4, 3, 2, 1}, new int[] {4}, x.grad());
            assertEquals("CumsumBackward0", x.cumsum(0).gradFn().name());
        }

        @Test
        void badDim() {
            assertMessage(IndexOutOfBoundsException.class, "cumsum: dimension out of range (expected to be in range of [-2, 1], but got 2)",
                    () -> Tensor.zeros(2, 3).cumsum(2));
        }
    }

    // ------------------------------------------------------------------ gather / scatter

    @Nested
    class Gather {
        private final Tensor x = f32(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 3, 4);

        @Test
        void alongDim0And1() {
            assertValues(new double[] {9, 2, 7, 12, 1, 6, 3, 4}, new int[] {2, 4},
                    x.gather(0, i64(new long[] {2, 0, 1, 2, 0, 1, 0, 0}, 2, 4)));
            assertValues(new double[] {4, 1, 1, 1, 7, 8, 6, 5}, new int[] {2, 4},
                    x.narrow(0, 0, 2).gather(1, i64(new long[] {3, 0, 0, 0, 2, 3, 1, 0}, 2, 4)));
        }

        @Test
        void indexSmallerThanInputAndNegativeDim() {
            // index [2, 2] on [3, 4] along dim -1: only the first 2 rows and their picked columns
            assertValues(new double[] {2, 4, 7, 5}, new int[] {2, 2}, x.gather(-1, i64(new long[] {1, 3, 2, 0}, 2, 2)));
        }

        @Test
        void threeDims() {
            Tensor y = Tensor.arange(0, 24, 1).reshape(2, 3, 4);
            Tensor idx = i64(new long[] {3, 0, 1, 1, 2, 2, 0, 0, 3, 1, 2, 3}, 2, 3, 2);
            assertLongs(new long[] {3, 0, 5, 5, 10, 10, 12, 12, 19, 17, 22, 23}, new int[] {2, 3, 2}, y.gather(2, idx));
        }

        @Test
        void stridedInputAndIndex() {
            Tensor xt = x.t(); // [4, 3]: [[1,5,9],[2,6,10],[3,7,11],[4,8,12]]
            Tensor idx = i64(new long[] {2, 0, 1, 1}, 2, 2).t(); // [[2, 1], [0, 1]]
            assertValues(new double[] {9, 5, 2, 6}, new int[] {2, 2}, xt.gather(1, idx));
        }

        @Test
        void dtypes() {
            Tensor idx = i64(new long[] {1, 0}, 1, 2);
            assertLongs(new long[] {3, 2}, new int[] {1, 2}, i64(new long[] {1, 2, 3, 4}, 2, 2).gather(0, i64(new long[] {1, 0}, 1, 2)));
            assertEquals(DType.INT32, Tensor.of(new int[] {1, 2, 3, 4}, 2, 2).gather(1, idx).dtype());
            Tensor b = bools(new boolean[] {true, false, false, true}, 2, 2).gather(1, idx);
            assertArrayEquals(new boolean[] {false, true}, b.toBooleanArray());
            Tensor u = Tensor.ofUint8(new byte[] {(byte) 250, 7}, 1, 2).gather(1, idx);
            assertLongs(new long[] {7, 250}, new int[] {1, 2}, u);
            Tensor f = f64(new double[] {0.5, 1.5}, 1, 2).gather(1, Tensor.of(new int[] {1, 1}, 1, 2));
            assertValues(new double[] {1.5, 1.5}, new int[] {1, 2}, f);
        }

        @Test
        void zeroDim() {
            assertValues(new double[] {7}, new int[0], Tensor.scalar(7.0).gather(0, Tensor.scalar(0L)));
        }

        @Test
        void gradients() {
            Tensor idx = i64(new long[] {2, 0, 2, 1, 1, 1, 0, 2}, 2, 4);
            gradcheck("gather dim0 with repeats", in -> in.get(0).gather(0, idx), leaf(5, 3, 4));
            Tensor idx1 = i64(new long[] {3, 3, 0, 1, 2, 3}, 3, 2);
            gradcheck("gather dim1 of a transpose", in -> in.get(0).t().gather(1, idx1), leaf(6, 4, 3));
            gradgradcheck("gather", x -> x.gather(1, idx1), leaf(7, 3, 4));
            Tensor x = leaf(8, 3, 4);
            Tensor y = x.gather(0, idx);
            assertEquals("GatherBackward0", y.gradFn().name());
            y.sum().backward();
            assertValues(new double[] {0, 1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 1}, new int[] {3, 4}, x.grad());
        }

        @Test
        void errors() {
            assertMessage(IndexOutOfBoundsException.class, "gather: index 7 is out of bounds for dimension 1 with size 4",
                    () -> x.gather(1, i64(new long[] {0, 7}, 1, 2)));
            assertMessage(IndexOutOfBoundsException.class, "gather: index -1 is out of bounds for dimension 0 with size 3",
                    () -> x.gather(0, i64(new long[] {0, -1}, 1, 2)));
            assertMessage(IllegalArgumentException.class, "gather: index must be int64 or int32, got float32",
                    () -> x.gather(1, f32(new float[] {0, 1}, 1, 2)));
            assertMessage(IllegalArgumentException.class,
                    "gather: index must have as many dimensions as the input, got index [2] and input [3, 4]",
                    () -> x.gather(1, i64(0, 1)));
            assertMessage(IllegalArgumentException.class,
                    "gather: index [4, 1] is larger than input [3, 4] in dimension 0 (only dimension 1 may be larger)",
                    () -> x.gather(1, i64(new long[] {0, 0, 0, 0}, 4, 1)));
            assertMessageContains("gather: dimension out of range", () -> x.gather(2, i64(new long[] {0}, 1, 1)));
        }
    }

    @Nested
    class Scatter {
        private final Tensor zeros = Tensor.zeros(3, 4);

        @Test
        void scatterSrcAlongDim0And1() {
            Tensor src = f32(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 2, 4);
            Tensor out = zeros.scatter(0, i64(new long[] {0, 1, 2, 0, 2, 0, 1, 1}, 2, 4), src);
            assertValues(new double[] {1, 6, 0, 4, 0, 2, 7, 8, 5, 0, 3, 0}, new int[] {3, 4}, out);
            Tensor out1 = zeros.scatter(1, i64(new long[] {3, 0, 1, 2}, 2, 2), src);
            // rows 0 and 1 get src[0, :2] and src[1, :2] (src is larger than the index)
            assertValues(new double[] {2, 0, 0, 1, 0, 5, 6, 0, 0, 0, 0, 0}, new int[] {3, 4}, out1);
            assertValues(new double[12], new int[] {3, 4}, zeros); // out of place
        }

        @Test
        void scatterValueAndDtypes() {
            Tensor out = Tensor.ones(2, 3).scatter(1, i64(new long[] {2, 0}, 2, 1), -1.5);
            assertValues(new double[] {1, 1, -1.5, -1.5, 1, 1}, new int[] {2, 3}, out);
            Tensor ints = i64(new long[] {1, 2, 3}, 3).scatter(0, i64(1), i64(9));
            assertLongs(new long[] {1, 9, 3}, new int[] {3}, ints);
            Tensor b = bools(new boolean[] {false, false}, 2).scatter(0, i64(1), 1.0);
            assertArrayEquals(new boolean[] {false, true}, b.toBooleanArray());
        }

        @Test
        void scatterAddAccumulatesRepeats() {
            Tensor src = f32(new float[] {1, 2, 3, 4, 5, 6}, 3, 2);
            Tensor out = Tensor.ones(2, 2).scatterAdd(0, i64(new long[] {0, 1, 0, 1, 1, 1}, 3, 2), src);
            assertValues(new double[] {5, 1, 1 + 5, 1 + 2 + 4 + 6}, new int[] {2, 2}, out);
            Tensor ints = i64(new long[] {0, 0, 0}, 3).scatterAdd(0, i64(2, 2, 0), i64(5, 6, 7));
            assertLongs(new long[] {7, 0, 11}, new int[] {3}, ints);
            assertEquals(DType.INT64, ints.dtype());
        }

        @Test
        void stridedSelfIndexAndSrc() {
            Tensor self = Tensor.arange(0, 6, 1).reshape(2, 3).t(); // [[0, 3], [1, 4], [2, 5]]
            Tensor idx = i64(new long[] {1, 0, 2, 1}, 2, 2).t(); // [[1, 2], [0, 1]]
            Tensor src = Tensor.arange(10, 18, 1).reshape(2, 4).slice(1, 0, 4, 2); // [[10, 12], [14, 16]]
            assertLongs(new long[] {14, 3, 11, 20, 2, 17}, new int[] {3, 2}, self.scatterAdd(0, idx, src));
            assertLongs(new long[] {14, 3, 10, 16, 2, 12}, new int[] {3, 2}, self.scatter(0, idx, src));
        }

        @Test
        void gradients() {
            Tensor uniq = i64(new long[] {2, 0, 1, 1, 0, 2, 0, 2}, 2, 4); // distinct rows per column
            gradcheck("scatter self and src", in -> in.get(0).scatter(0, uniq, in.get(1)), leaf(9, 3, 4), leaf(10, 2, 4));
            gradcheck("scatter src larger than index", in -> in.get(0).scatter(1, i64(new long[] {3, 1}, 2, 1), in.get(1)),
                    leaf(11, 2, 4), leaf(12, 3, 3));
            gradcheck("scatter value", in -> in.get(0).scatter(0, uniq, 2.0), leaf(13, 3, 4));
            Tensor dups = i64(new long[] {2, 0, 2, 2, 0, 0, 2, 1, 1, 1, 1, 1}, 3, 4);
            gradcheck("scatterAdd with repeats", in -> in.get(0).scatterAdd(0, dups, in.get(1)), leaf(14, 3, 4), leaf(15, 3, 4));
            gradcheck("scatterAdd of strided inputs",
                    in -> in.get(0).t().scatterAdd(1, i64(new long[] {0, 2, 2, 1, 0, 0}, 3, 2), in.get(1).slice(1, 0, 4, 2)),
                    leaf(16, 3, 3), leaf(17, 3, 4));
            gradgradcheck("scatterAdd", x -> Tensor.zeros(new int[] {3, 4}, DType.FLOAT64).scatterAdd(0, dups, x), leaf(18, 3, 4));
            Tensor self = leaf(19, 3, 4);
            Tensor src = leaf(20, 2, 4);
            Tensor out = self.scatter(0, uniq, src);
            assertEquals("ScatterBackward0", out.gradFn().name());
            out.sum().backward();
            // scattered positions give the self gradient nothing
            assertValues(new double[] {0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 1, 0}, new int[] {3, 4}, self.grad());
            assertValues(new double[] {1, 1, 1, 1, 1, 1, 1, 1}, new int[] {2, 4}, src.grad());
        }

        @Test
        void errors() {
            Tensor src = Tensor.ones(1, 2);
            assertMessage(IndexOutOfBoundsException.class, "scatter: index 5 is out of bounds for dimension 1 with size 4",
                    () -> zeros.scatter(1, i64(new long[] {0, 5}, 1, 2), src));
            assertMessage(IndexOutOfBoundsException.class, "scatterAdd: index 3 is out of bounds for dimension 0 with size 3",
                    () -> zeros.scatterAdd(0, i64(new long[] {3, 0}, 1, 2), src));
            assertMessage(IllegalArgumentException.class, "scatter: expected src to have the input's dtype float32, got float64",
                    () -> zeros.scatter(0, i64(new long[] {0, 0}, 1, 2), Tensor.ones(new int[] {1, 2}, DType.FLOAT64)));
            assertMessage(IllegalArgumentException.class, "scatterAdd: index must be int64 or int32, got bool",
                    () -> zeros.scatterAdd(0, bools(new boolean[] {true, false}, 1, 2), src));
            assertMessage(IllegalArgumentException.class, "scatter: index [1, 3] must be no larger than src [1, 2] in every "
                    + "dimension and no larger than the input [3, 4] apart from dimension 0, but dimension 1 differs",
                    () -> zeros.scatter(0, i64(new long[] {0, 0, 0}, 1, 3), src));
        }
    }

    // ------------------------------------------------------------------ indexSelect, masks, advanced indexing

    @Nested
    class IndexSelect {
        private final Tensor x = f32(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 4, 3);

        @Test
        void valuesWithRepeats() {
            assertValues(new double[] {10, 11, 12, 1, 2, 3, 10, 11, 12}, new int[] {3, 3}, x.indexSelect(0, i64(3, 0, 3)));
            assertValues(new double[] {3, 1, 6, 4, 9, 7, 12, 10}, new int[] {4, 2}, x.indexSelect(1, Tensor.of(new int[] {2, 0}, 2)));
            assertValues(new double[] {7, 8, 9}, new int[] {1, 3}, x.indexSelect(0, Tensor.scalar(2L)));
            assertValues(new double[0], new int[] {0, 3}, x.indexSelect(0, i64()));
        }

        @Test
        void stridedAndOtherDtypes() {
            // x.t() is [3, 4]; picking columns 3 and 1
            assertValues(new double[] {10, 4, 11, 5, 12, 6}, new int[] {3, 2}, x.t().indexSelect(-1, i64(3, 1)));
            Tensor y = Tensor.arange(0, 24, 1).reshape(2, 3, 4).slice(2, 0, 4, 2); // [2, 3, 2]
            assertLongs(new long[] {6, 4, 18, 16}, new int[] {2, 1, 2}, y.indexSelect(1, i64(1)).indexSelect(2, i64(1, 0)));
            Tensor b = bools(new boolean[] {true, false, false, true, true, true}, 3, 2).indexSelect(0, i64(2, 0));
            assertArrayEquals(new boolean[] {true, true, true, false}, b.toBooleanArray());
        }

        @Test
        void gradients() {
            gradcheck("indexSelect dim0 with repeats", in -> in.get(0).indexSelect(0, i64(3, 0, 3, 1, 3)), leaf(21, 4, 3));
            gradcheck("indexSelect dim1 of a transpose", in -> in.get(0).t().indexSelect(1, i64(1, 1, 0)), leaf(22, 4, 3));
            gradgradcheck("indexSelect", x -> x.indexSelect(1, i64(2, 2, 0)), leaf(23, 2, 3));
            Tensor x = leaf(24, 4, 3);
            Tensor y = x.indexSelect(0, i64(3, 0, 3));
            assertEquals("IndexSelectBackward0", y.gradFn().name());
            y.sum().backward();
            assertValues(new double[] {1, 1, 1, 0, 0, 0, 0, 0, 0, 2, 2, 2}, new int[] {4, 3}, x.grad());
        }

        @Test
        void errors() {
            assertMessage(IllegalArgumentException.class, "indexSelect: index must be int64 or int32, got float32",
                    () -> x.indexSelect(0, f32(new float[] {0, 1}, 2)));
            assertMessage(IndexOutOfBoundsException.class, "indexSelect: index 4 is out of bounds for dimension 0 with size 4",
                    () -> x.indexSelect(0, i64(0, 4)));
            assertMessage(IndexOutOfBoundsException.class, "indexSelect: index -1 is out of bounds for dimension 1 with size 3",
                    () -> x.indexSelect(1, i64(-1)));
            assertMessage(IllegalArgumentException.class, "indexSelect: index must be a vector (at most 1-D), got shape [1, 2]",
                    () -> x.indexSelect(0, i64(new long[] {0, 1}, 1, 2)));
        }
    }

    @Nested
    class Masks {
        private final Tensor x = f32(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        private final Tensor mask = bools(new boolean[] {true, false, false, false, true, true}, 2, 3);

        @Test
        void maskedFillValuesAndBroadcast() {
            assertValues(new double[] {-1, 2, 3, 4, -1, -1}, new int[] {2, 3}, x.maskedFill(mask, -1));
            Tensor row = bools(new boolean[] {false, true, false}, 3);
            assertValues(new double[] {1, 0.5, 3, 4, 0.5, 6}, new int[] {2, 3}, x.maskedFill(row, 0.5));
            Tensor inf = x.maskedFill(row, Double.NEGATIVE_INFINITY);
            assertEquals(Double.NEGATIVE_INFINITY, inf.toDoubleArray()[1]);
            assertValues(new double[] {-1, 4, 2, -1, 3, -1}, new int[] {3, 2}, x.t().maskedFill(mask.t(), -1));
        }

        @Test
        void maskedFillKeepsDtype() {
            Tensor ints = i64(1, 2, 3).maskedFill(bools(new boolean[] {true, false, true}, 3), 2.0);
            assertEquals(DType.INT64, ints.dtype());
            assertLongs(new long[] {2, 2, 2}, new int[] {3}, ints);
            Tensor b = bools(new boolean[] {true, false, false}, 3).maskedFill(bools(new boolean[] {false, false, true}, 3), 1.0);
            assertEquals(DType.BOOL, b.dtype());
            assertArrayEquals(new boolean[] {true, false, true}, b.toBooleanArray());
            assertEquals(DType.FLOAT64, f64(new double[] {1, 2}, 2).maskedFill(bools(new boolean[] {true, false}, 2), 3).dtype());
        }

        @Test
        void maskedFillInPlace() {
            Tensor y = x.clone();
            y.maskedFill_(mask, 0);
            assertValues(new double[] {0, 2, 3, 4, 0, 0}, new int[] {2, 3}, y);
        }

        @Test
        void maskedSelectValues() {
            assertValues(new double[] {1, 5, 6}, new int[] {3}, x.maskedSelect(mask));
            assertValues(new double[] {2, 3, 5, 6}, new int[] {4}, x.maskedSelect(bools(new boolean[] {false, true, true}, 3)));
            // the input broadcasts to the mask's shape
            assertValues(new double[] {10, 20, 30, 20}, new int[] {4},
                    f32(new float[] {10, 20, 30}, 3).maskedSelect(bools(new boolean[] {true, true, true, false, true, false}, 2, 3)));
            assertValues(new double[0], new int[] {0}, x.maskedSelect(Tensor.zeros(new int[] {2, 3}, DType.BOOL)));
            assertValues(new double[] {1, 5, 6}, new int[] {3}, x.t().maskedSelect(mask.t()));
            assertLongs(new long[] {3}, new int[] {1}, i64(1, 2, 3).maskedSelect(bools(new boolean[] {false, false, true}, 3)));
        }

        @Test
        void maskedSelectMatchesALoop() {
            Random r = new Random(7);
            double[] data = new double[37 * 29];
            boolean[] keep = new boolean[data.length];
            List<Double> expected = new ArrayList<>();
            for (int i = 0; i < data.length; i++) {
                data[i] = r.nextGaussian();
                keep[i] = r.nextBoolean();
                if (keep[i]) {
                    expected.add(data[i]);
                }
            }
            Tensor got = f64(data, 37, 29).maskedSelect(bools(keep, 37, 29));
            assertValues(expected.stream().mapToDouble(Double::doubleValue).toArray(), new int[] {expected.size()}, got);
        }

        @Test
        void gradients() {
            gradcheck("maskedFill", in -> in.get(0).maskedFill(mask, 7), leaf(25, 2, 3));
            gradcheck("maskedFill broadcast self", in -> in.get(0).maskedFill(mask, 7), leaf(26, 1, 3));
            gradcheck("maskedSelect", in -> in.get(0).maskedSelect(mask), leaf(27, 2, 3));
            gradcheck("maskedSelect broadcast input", in -> in.get(0).maskedSelect(mask), leaf(28, 3));
            gradcheck("maskedSelect of a transpose", in -> in.get(0).t().maskedSelect(mask.t()), leaf(29, 2, 3));
            gradgradcheck("maskedSelect", x -> x.maskedSelect(mask), leaf(30, 2, 3));
            Tensor a = leaf(31, 2, 3);
            a.maskedFill(mask, 7).sum().backward();
            assertValues(new double[] {0, 1, 1, 1, 0, 0}, new int[] {2, 3}, a.grad());
            Tensor b = leaf(32, 2, 3);
            Tensor s = b.maskedSelect(mask);
            assertEquals("MaskedSelectBackward0", s.gradFn().name());
            s.sum().backward();
            assertValues(new double[] {1, 0, 0, 0, 1, 1}, new int[] {2, 3}, b.grad());
        }

        @Test
        void errors() {
            assertMessage(IllegalArgumentException.class,
                    "maskedFill: expected mask to be a bool tensor, got uint8; compare first (e.g. mask.ne(0))",
                    () -> x.maskedFill(Tensor.ofUint8(new byte[] {1, 0, 1}, 3), 0));
            assertMessage(IllegalArgumentException.class,
                    "maskedSelect: expected mask to be a bool tensor, got int64; compare first (e.g. mask.ne(0))",
                    () -> x.maskedSelect(i64(1, 0, 1)));
            assertMessageContains("maskedSelect: shapes [2, 3] and [2] cannot be broadcast together",
                    () -> x.maskedSelect(bools(new boolean[] {true, false}, 2)));
        }
    }

    @Nested
    class AdvancedIndex {
        private final Tensor x = f32(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 4, 3);

        @Test
        void oneIndexWithRepeatsAndNegatives() {
            assertValues(new double[] {1, 2, 3, 10, 11, 12, 10, 11, 12}, new int[] {3, 3}, x.index(i64(0, 3, 3)));
            assertValues(new double[] {10, 11, 12, 1, 2, 3}, new int[] {2, 3}, x.index(i64(-1, -4)));
            assertValues(new double[] {7, 8, 9}, new int[] {3}, x.index(Tensor.scalar(2L)));
            assertValues(new double[] {4, 5, 6}, new int[] {1, 3}, x.index(Tensor.of(new int[] {1}, 1)));
        }

        @Test
        void severalIndicesBroadcast() {
            assertValues(new double[] {3, 10, 11}, new int[] {3}, x.index(i64(0, 3, 3), i64(2, 0, 1)));
            // [2, 1] and [3] broadcast to [2, 3]
            assertValues(new double[] {6, 4, 5, 12, 10, 11}, new int[] {2, 3}, x.index(i64(new long[] {1, 3}, 2, 1), i64(2, 0, 1)));
            assertValues(new double[] {12, 1}, new int[] {2}, x.index(i64(-1, 0), i64(-1, -3)));
        }

        @Test
        void trailingDimsAndTwoDimIndex() {
            Tensor y = Tensor.arange(0, 24, 1).reshape(3, 4, 2);
            assertLongs(new long[] {6, 7, 16, 17, 10, 11}, new int[] {3, 2}, y.index(i64(0, 2, 1), i64(3, 0, 1)));
            // a [2, 2] index on dim 0 picks whole [4, 2] blocks: y[0], y[2], y[1], y[1]
            long[] expected = new long[32];
            long[] blocks = {0, 2, 1, 1};
            for (int i = 0; i < 32; i++) {
                expected[i] = blocks[i / 8] * 8 + i % 8;
            }
            assertLongs(expected, new int[] {2, 2, 4, 2}, y.index(i64(new long[] {0, 2, 1, 1}, 2, 2)));
        }

        @Test
        void boolMasks() {
            Tensor full = bools(new boolean[] {true, false, false, false, true, false, false, false, false, true, true, true}, 4, 3);
            assertValues(new double[] {1, 5, 10, 11, 12}, new int[] {5}, x.index(full));
            Tensor rows = bools(new boolean[] {true, false, true, true}, 4);
            assertValues(new double[] {1, 2, 3, 7, 8, 9, 10, 11, 12}, new int[] {3, 3}, x.index(rows));
            assertValues(new double[0], new int[] {0, 3}, x.index(Tensor.zeros(new int[] {4}, DType.BOOL)));
            assertArrayEquals(new int[] {1, 4, 3}, x.index(Tensor.scalar(true)).shape());
        }

        @Test
        void stridedInputAndInt32() {
            // x.t() is [3, 4]: rows [1,4,7,10], [2,5,8,11], [3,6,9,12]
            assertValues(new double[] {3, 6, 9, 12, 2, 5, 8, 11, 3, 6, 9, 12}, new int[] {3, 4}, x.t().index(Tensor.of(new int[] {2, 1, 2}, 3)));
            assertValues(new double[] {2, 8}, new int[] {2}, x.slice(0, 0, 4, 2).index(i64(0, 1), i64(1, 1)));
            assertLongs(new long[] {7, 7, 1}, new int[] {3}, i64(new long[] {1, 2, 3, 7}, 4).index(i64(3, 3, 0)));
        }

        @Test
        void gradientsAccumulateRepeats() {
            gradcheck("index with repeats", in -> in.get(0).index(i64(0, 3, 3, 1, 0)), leaf(33, 4, 3));
            gradcheck("index two broadcast", in -> in.get(0).index(i64(new long[] {1, 3}, 2, 1), i64(2, 0, 2)), leaf(34, 4, 3));
            gradcheck("index bool mask", in -> in.get(0).index(bools(new boolean[] {true, false, true}, 3)), leaf(35, 3, 2));
            gradcheck("index of a transpose with negatives", in -> in.get(0).t().index(i64(-1, 0, -1)), leaf(36, 4, 3));
            gradgradcheck("index", x -> x.index(i64(1, 1, 0), i64(0, 2, 2)), leaf(37, 2, 3));
            Tensor a = leaf(38, 4, 3);
            Tensor y = a.index(i64(0, 3, 3));
            assertEquals("IndexBackward0", y.gradFn().name());
            y.sum().backward();
            assertValues(new double[] {1, 1, 1, 0, 0, 0, 0, 0, 0, 2, 2, 2}, new int[] {4, 3}, a.grad());
        }

        @Test
        void errors() {
            assertMessage(IndexOutOfBoundsException.class, "index: index 4 is out of bounds for dimension 0 with size 4",
                    () -> x.index(i64(0, 4)));
            assertMessage(IndexOutOfBoundsException.class, "index: index -4 is out of bounds for dimension 1 with size 3",
                    () -> x.index(i64(0), i64(-4)));
            assertMessage(IndexOutOfBoundsException.class, "index: too many indices for a tensor of dimension 2 (got 3)",
                    () -> x.index(i64(0), i64(0), i64(0)));
            assertMessage(IllegalArgumentException.class,
                    "index: tensors used as indices must be int64, int32 or bool, got float32 at position 1",
                    () -> x.index(i64(0), f32(new float[] {0}, 1)));
            assertMessage(IllegalArgumentException.class,
                    "index: shape mismatch: indexing tensors could not be broadcast together with shapes [2], [3]",
                    () -> x.index(i64(0, 1), i64(0, 1, 2)));
            assertMessage(IndexOutOfBoundsException.class,
                    "index: the shape of the mask [3] at index 0 does not match the shape of the indexed tensor [4, 3] at index 0",
                    () -> x.index(bools(new boolean[] {true, false, true}, 3)));
            assertMessage(IllegalArgumentException.class, "index: a bool mask must be the only index, got 2 indices",
                    () -> x.index(bools(new boolean[] {true, false, true, true}, 4), i64(0)));
        }
    }

    // ------------------------------------------------------------------ joining and splitting

    @Nested
    class Joining {
        private final Tensor a = f32(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        private final Tensor b = f32(new float[] {7, 8, 9}, 1, 3);

        @Test
        void catValues() {
            assertValues(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, new int[] {3, 3}, Tensor.cat(List.of(a, b), 0));
            Tensor c = f32(new float[] {10, 20}, 2, 1);
            assertValues(new double[] {1, 2, 3, 10, 4, 5, 6, 20}, new int[] {2, 4}, Tensor.cat(List.of(a, c), -1));
            assertValues(new double[] {1, 2, 3, 4, 5, 6}, new int[] {2, 3}, Tensor.cat(List.of(a), 1));
            assertValues(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, new int[] {3, 3},
                    Tensor.cat(List.of(a, Tensor.zeros(0, 3), b), 0));
            // legacy: 1-D empty tensors are skipped whatever the rank of the others
            assertValues(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, new int[] {3, 3},
                    Tensor.cat(List.of(Tensor.zeros(0), a, b), 0));
        }

        @Test
        void catStridedInputs() {
            Tensor t = f32(new float[] {1, 2, 3, 4, 5, 6}, 3, 2).t(); // [[1,3,5],[2,4,6]]
            Tensor s = Tensor.arange(0.0, 8.0, 1.0).reshape(2, 4).slice(1, 0, 4, 2); // [[0,2],[4,6]]
            assertValues(new double[] {1, 3, 5, 0, 2, 2, 4, 6, 4, 6}, new int[] {2, 5}, Tensor.cat(List.of(t, s), 1));
        }

        @Test
        void catPromotes() {
            Tensor r = Tensor.cat(List.of(Tensor.of(new int[] {1, 2}, 2), f32(new float[] {0.5f}, 1)), 0);
            assertEquals(DType.FLOAT32, r.dtype());
            assertValues(new double[] {1, 2, 0.5}, new int[] {3}, r);
            Tensor q = Tensor.cat(List.of(bools(new boolean[] {true, false}, 2), Tensor.of(new int[] {7}, 1)), 0);
            assertEquals(DType.INT32, q.dtype());
            assertLongs(new long[] {1, 0, 7}, new int[] {3}, q);
            assertEquals(DType.FLOAT64, Tensor.cat(List.of(i64(1), f64(new double[] {2}, 1)), 0).dtype());
            Tensor bb = Tensor.cat(List.of(bools(new boolean[] {true}, 1), bools(new boolean[] {false}, 1)), 0);
            assertEquals(DType.BOOL, bb.dtype());
        }

        @Test
        void stackValues() {
            Tensor c = f32(new float[] {7, 8, 9, 10, 11, 12}, 2, 3);
            Tensor s0 = Tensor.stack(List.of(a, c), 0);
            assertValues(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, new int[] {2, 2, 3}, s0);
            assertValues(new double[] {1, 7, 2, 8, 3, 9, 4, 10, 5, 11, 6, 12}, new int[] {2, 3, 2}, Tensor.stack(List.of(a, c), -1));
            assertValues(new double[] {1, 2, 3, 7, 8, 9, 4, 5, 6, 10, 11, 12}, new int[] {2, 2, 3}, Tensor.stack(List.of(a, c), 1));
            assertValues(new double[] {1, 2}, new int[] {2}, Tensor.stack(List.of(Tensor.scalar(1.0), Tensor.scalar(2.0)), 0));
            assertEquals(DType.INT64, Tensor.stack(List.of(Tensor.of(new int[] {1}, 1), i64(2)), 0).dtype());
        }

        @Test
        void catAndStackGradients() {
            gradcheck("cat dim0 with promotion", in -> Tensor.cat(List.of(in.get(0), in.get(1), Tensor.of(new int[] {1, 2, 3}, 1, 3)), 0),
                    leaf(39, 2, 3), leaf(40, 1, 3));
            gradcheck("cat dim1 of strided", in -> Tensor.cat(List.of(in.get(0).t(), in.get(1).slice(1, 0, 4, 3)), 1),
                    leaf(41, 3, 2), leaf(42, 2, 4));
            gradcheck("stack dim1", in -> Tensor.stack(List.of(in.get(0), in.get(1).t()), 1), leaf(43, 2, 3), leaf(44, 3, 2));
            gradgradcheck("cat", x -> Tensor.cat(List.of(x, x.mul(2.0)), 1), leaf(45, 2, 2));
            Tensor x = leaf(46, 2, 3);
            Tensor y = Tensor.cat(List.of(x, Tensor.zeros(new int[] {1, 3}, DType.FLOAT64)), 0);
            assertEquals("CatBackward0", y.gradFn().name());
            // a float32 input of a float64 cat still gets a float32 gradient
            Tensor f = Tensor.ones(1, 3).requiresGrad_();
            Tensor.cat(List.of(x, f), 0).sum().backward();
            assertEquals(DType.FLOAT32, f.grad().dtype());
            assertValues(new double[] {1, 1, 1}, new int[] {1, 3}, f.grad());
        }

        @Test
        void errors() {
            assertMessage(IllegalArgumentException.class, "cat: tensors must have the same shape except in dim 1, got [2, 3] and [4, 3] (at position 1)",
                    () -> Tensor.cat(List.of(a, Tensor.zeros(4, 3)), 1));
            assertMessage(IllegalArgumentException.class, "cat: tensors must have the same number of dimensions, got 2 and 3 (at position 1)",
                    () -> Tensor.cat(List.of(a, Tensor.zeros(2, 3, 1)), 0));
            assertMessage(IllegalArgumentException.class, "cat: expected a non-empty list of tensors", () -> Tensor.cat(List.of(), 0));
            assertMessage(IllegalArgumentException.class,
                    "cat: zero-dimensional tensor (at position 0) cannot be concatenated; unsqueeze it or use stack",
                    () -> Tensor.cat(List.of(Tensor.scalar(1.0)), 0));
            assertMessageContains("cat: dimension out of range", () -> Tensor.cat(List.of(a, b), 2));
            assertMessage(IllegalArgumentException.class, "stack: expects each tensor to be equal size, but got [2, 3] at entry 0 and [1, 3] at entry 1",
                    () -> Tensor.stack(List.of(a, b), 0));
            assertMessageContains("stack: dimension out of range", () -> Tensor.stack(List.of(a, a), 3));
        }
    }

    @Nested
    class Splitting {
        private final Tensor x = Tensor.arange(0.0, 10.0, 1.0).reshape(5, 2);

        @Test
        void splitBySize() {
            List<Tensor> parts = x.split(2, 0);
            assertEquals(3, parts.size());
            assertValues(new double[] {0, 1, 2, 3}, new int[] {2, 2}, parts.get(0));
            assertValues(new double[] {8, 9}, new int[] {1, 2}, parts.get(2));
            assertEquals(1, x.split(7, 0).size());
            assertValues(new double[] {1, 3, 5, 7, 9}, new int[] {5, 1}, x.split(1, -1).get(1));
            // views: they share the input's storage
            assertSame(x.storage(), parts.get(1).storage());
            List<Tensor> empty = Tensor.zeros(0, 2).split(0, 0);
            assertEquals(1, empty.size());
        }

        @Test
        void splitBySizesAndChunk() {
            List<Tensor> parts = x.split(new int[] {1, 0, 4}, 0);
            assertEquals(3, parts.size());
            assertArrayEquals(new int[] {0, 2}, parts.get(1).shape());
            assertValues(new double[] {2, 3, 4, 5, 6, 7, 8, 9}, new int[] {4, 2}, parts.get(2));
            List<Tensor> chunks = x.chunk(3, 0); // ceil(5 / 3) = 2 -> sizes 2, 2, 1
            assertEquals(3, chunks.size());
            assertArrayEquals(new int[] {1, 2}, chunks.get(2).shape());
            assertEquals(3, Tensor.zeros(6, 2).chunk(4, 0).size()); // ceil(6 / 4) = 2 -> only 3 pieces
            assertEquals(2, x.chunk(5, 1).size());
            assertEquals(3, Tensor.zeros(0, 2).chunk(3, 0).size());
            Tensor t = Tensor.arange(0.0, 20.0, 1.0).reshape(4, 5).t(); // [5, 4]
            assertValues(new double[] {2, 7, 12, 17, 3, 8, 13, 18}, new int[] {2, 4}, t.chunk(3, 0).get(1));
            assertValues(new double[] {1, 6, 11, 16, 4, 9, 14, 19}, new int[] {2, 4}, t.slice(0, 1, 5, 3).split(new int[] {2}, 0).get(0));
        }

        @Test
        void gradients() {
            gradcheck("split", in -> {
                List<Tensor> p = in.get(0).split(2, 0);
                return p.get(0).sum().mul(3.0).add(p.get(1).pow(2.0).sum()).add(p.get(2).exp().sum());
            }, leaf(47, 5, 2));
            gradcheck("split sizes of a transpose", in -> {
                List<Tensor> p = in.get(0).t().split(new int[] {1, 2}, 1);
                return p.get(1).mul(p.get(1)).sum().add(p.get(0).sum());
            }, leaf(48, 3, 2));
            gradcheck("chunk", in -> {
                List<Tensor> p = in.get(0).chunk(2, 1);
                return p.get(0).mul(p.get(1).narrow(1, 0, 1));
            }, leaf(49, 2, 3));
        }

        @Test
        void errors() {
            assertMessage(IllegalArgumentException.class,
                    "split: split sizes [2, 2] add up to 4, not to 5, the size of dimension 0 of a tensor of shape [5, 2]",
                    () -> x.split(new int[] {2, 2}, 0));
            assertMessage(IllegalArgumentException.class, "split: split sizes must be non-negative, got [6, -1]",
                    () -> x.split(new int[] {6, -1}, 0));
            assertMessage(IllegalArgumentException.class,
                    "split: split size must be positive (0 only for a dimension of size 0), got 0 for dimension 0 of size 5",
                    () -> x.split(0, 0));
            assertMessage(IllegalArgumentException.class, "chunk: number of chunks must be greater than 0, got 0", () -> x.chunk(0, 0));
            assertMessage(IllegalArgumentException.class, "split: expects at least a 1-dimensional tensor",
                    () -> Tensor.scalar(1.0).split(1, 0));
        }
    }

    // ------------------------------------------------------------------ ordering

    @Nested
    class Ordering {
        @Test
        void sortValuesAndIndices() {
            Tensor x = f32(new float[] {3, 1, 2, -1, 5, 0}, 2, 3);
            ValuesIndices asc = x.sort(-1, false);
            assertValues(new double[] {1, 2, 3, -1, 0, 5}, new int[] {2, 3}, asc.values());
            assertLongs(new long[] {1, 2, 0, 0, 2, 1}, new int[] {2, 3}, asc.indices());
            ValuesIndices desc0 = x.sort(0, true);
            assertValues(new double[] {3, 5, 2, -1, 1, 0}, new int[] {2, 3}, desc0.values());
            assertLongs(new long[] {0, 1, 0, 1, 0, 1}, new int[] {2, 3}, desc0.indices());
            assertLongs(new long[] {1, 2, 0, 0, 2, 1}, new int[] {2, 3}, x.argsort(1, false));
            assertTrue(asc.indices().isContiguous() && asc.values().isContiguous());
        }

        @Test
        void sortIsStableInBothDirections() {
            Tensor x = f32(new float[] {2, 1, 2, 1, 2, 0}, 6);
            assertLongs(new long[] {5, 1, 3, 0, 2, 4}, new int[] {6}, x.sort(0, false).indices());
            assertLongs(new long[] {0, 2, 4, 1, 3, 5}, new int[] {6}, x.sort(0, true).indices());
            // long rows with many ties, for every key width (packed and merge-sorted) in both directions
            long[] data = new long[300];
            for (int i = 0; i < data.length; i++) {
                data[i] = (i * 37) % 11 - 5;
            }
            for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64, DType.INT32, DType.INT64}) {
                for (boolean descending : new boolean[] {false, true}) {
                    long[] idx = i64(data).to(dtype).sort(0, descending).indices().toLongArray();
                    for (int i = 1; i < data.length; i++) {
                        long a = data[(int) idx[i - 1]];
                        long b = data[(int) idx[i]];
                        boolean ordered = descending ? a > b : a < b;
                        assertTrue(ordered || (a == b && idx[i - 1] < idx[i]),
                                dtype + (descending ? " descending" : " ascending") + ": not a stable order at " + i);
                    }
                }
            }
        }

        @Test
        void sortNanAndInfinities() {
            Tensor x = f32(new float[] {1, Float.NaN, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, -2, -0.0f, 0}, 7);
            ValuesIndices asc = x.sort(0, false);
            assertValues(new double[] {Double.NEGATIVE_INFINITY, -2, -0.0, 0, 1, Double.POSITIVE_INFINITY, Double.NaN}, new int[] {7}, asc.values());
            assertLongs(new long[] {2, 4, 5, 6, 0, 3, 1}, new int[] {7}, asc.indices());
            assertLongs(new long[] {1, 3, 0, 5, 6, 4, 2}, new int[] {7}, x.sort(0, true).indices());
        }

        @Test
        void sortOtherDtypesAndStrided() {
            ValuesIndices s = Tensor.of(new int[] {5, -3, 9, 0}, 2, 2).sort(0, true);
            assertEquals(DType.INT32, s.values().dtype());
            assertLongs(new long[] {9, 0, 5, -3}, new int[] {2, 2}, s.values());
            assertLongs(new long[] {1, 1, 0, 0}, new int[] {2, 2}, s.indices());
            assertLongs(new long[] {Long.MIN_VALUE, Long.MAX_VALUE - 1, Long.MAX_VALUE}, new int[] {3},
                    i64(Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE - 1).sort().values());
            assertArrayEquals(new boolean[] {false, true, true}, bools(new boolean[] {true, false, true}, 3).sort().values().toBooleanArray());
            Tensor t = f64(new double[] {4, 1, 3, 2, 6, 5}, 3, 2).t(); // [[4,3,6],[1,2,5]]
            assertValues(new double[] {3, 4, 6, 1, 2, 5}, new int[] {2, 3}, t.sort(1, false).values());
            Tensor stepped = f32(new float[] {9, 0, 1, 0, 5, 0, 3}, 7).slice(0, 0, 7, 2); // [9, 1, 5, 3]
            assertLongs(new long[] {0, 2, 3, 1}, new int[] {4}, stepped.sort(0, true).indices());
            ValuesIndices z = Tensor.scalar(4.0).sort(0, false);
            assertValues(new double[] {4}, new int[0], z.values());
            assertLongs(new long[] {0}, new int[0], z.indices());
        }

        @Test
        void topkValues() {
            Tensor x = f32(new float[] {1, 5, 3, 5, 2, 4, 0, 9}, 2, 4);
            ValuesIndices top = x.topk(2, 1, true, true);
            assertValues(new double[] {5, 5, 9, 4}, new int[] {2, 2}, top.values());
            assertLongs(new long[] {1, 3, 3, 1}, new int[] {2, 2}, top.indices()); // ties in index order
            ValuesIndices low = x.topk(3, -1, false, true);
            assertValues(new double[] {1, 3, 5, 0, 2, 4}, new int[] {2, 3}, low.values());
            assertLongs(new long[] {0, 2, 1, 2, 0, 1}, new int[] {2, 3}, low.indices());
            ValuesIndices col = x.topk(1, 0, true, false);
            assertValues(new double[] {2, 5, 3, 9}, new int[] {1, 4}, col.values());
            assertLongs(new long[] {1, 0, 0, 1}, new int[] {1, 4}, col.indices());
            // NaN counts as the largest value, as in PyTorch
            assertLongs(new long[] {1, 3}, new int[] {2}, f32(new float[] {1, Float.NaN, 0, 7}, 4).topk(2, 0, true, true).indices());
            assertLongs(new long[] {2, 0}, new int[] {2}, f32(new float[] {1, Float.NaN, 0, 7}, 4).topk(2, 0, false, true).indices());
        }

        @Test
        void topkOtherDtypesAndStrided() {
            ValuesIndices t = i64(new long[] {4, 8, 1, 8}, 4).topk(3);
            assertLongs(new long[] {8, 8, 4}, new int[] {3}, t.values());
            assertLongs(new long[] {1, 3, 0}, new int[] {3}, t.indices());
            Tensor xt = f32(new float[] {1, 2, 3, 4, 5, 6}, 3, 2).t(); // [[1, 3, 5], [2, 4, 6]]
            assertValues(new double[] {5, 3, 6, 4}, new int[] {2, 2}, xt.topk(2, 1, true, true).values());
            assertArrayEquals(new int[] {2, 0}, xt.topk(0, 1, true, true).values().shape());
        }

        @Test
        void gradients() {
            gradcheck("sort dim1 ascending", in -> in.get(0).sort(1, false).values(), leaf(50, 3, 4));
            gradcheck("sort dim0 descending of a transpose", in -> in.get(0).t().sort(0, true).values(), leaf(51, 3, 4));
            gradcheck("topk largest", in -> in.get(0).topk(2, -1, true, true).values(), leaf(52, 3, 5));
            gradcheck("topk smallest dim0", in -> in.get(0).topk(2, 0, false, true).values(), leaf(53, 4, 3));
            gradgradcheck("topk", x -> x.topk(2, 1, true, true).values(), leaf(54, 2, 4));
            Tensor x = leaf(55, 4);
            ValuesIndices s = x.sort(0, true);
            assertEquals("SortBackward0", s.values().gradFn().name());
            assertFalse(s.indices().requiresGrad());
            s.values().mul(Tensor.arange(1.0, 5.0, 1.0).to(DType.FLOAT64)).sum().backward();
            // grad[indices[k]] = k + 1
            double[] expected = new double[4];
            long[] idx = s.indices().toLongArray();
            for (int k = 0; k < 4; k++) {
                expected[(int) idx[k]] = k + 1;
            }
            assertValues(expected, new int[] {4}, x.grad());
            assertEquals("TopkBackward0", leaf(56, 4).topk(1).values().gradFn().name());
        }

        @Test
        void errors() {
            assertMessage(IllegalArgumentException.class, "topk: k (4) is out of range for dimension 0 with size 3",
                    () -> Tensor.zeros(3).topk(4, 0, true, true));
            assertMessage(IllegalArgumentException.class, "topk: k (-1) is out of range for dimension 1 with size 3",
                    () -> Tensor.zeros(2, 3).topk(-1, 1, true, true));
            assertMessageContains("sort: dimension out of range", () -> Tensor.zeros(2, 3).sort(2, false));
        }
    }

    // ------------------------------------------------------------------ oneHot

    @Nested
    class OneHot {
        @Test
        void values() {
            Tensor oh = i64(0, 3, 1).oneHot(4);
            assertEquals(DType.INT64, oh.dtype());
            assertLongs(new long[] {1, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0}, new int[] {3, 4}, oh);
            assertLongs(new long[] {0, 0, 1, 1, 0, 0}, new int[] {2, 1, 3}, i64(new long[] {2, 0}, 2, 1).oneHot(-1));
            assertLongs(new long[] {0, 1, 1, 0}, new int[] {2, 2}, i64(new long[] {0, 1, 1, 0}, 2, 2).t().select(0, 1).oneHot(2));
            assertArrayEquals(new int[] {0, 5}, i64().oneHot(5).shape());
        }

        @Test
        void errors() {
            assertMessage(IllegalArgumentException.class,
                    "oneHot: class value 4 is out of range for numClasses 3 (values must be in [0, 3))", () -> i64(0, 4).oneHot(3));
            assertMessage(IllegalArgumentException.class, "oneHot: class values must be non-negative, got -2",
                    () -> i64(1, -2).oneHot(-1));
            assertMessage(IllegalArgumentException.class, "oneHot: expected an int64 tensor of class indices, got float32",
                    () -> f32(new float[] {0, 1}, 2).oneHot(3));
            assertMessage(IllegalArgumentException.class,
                    "oneHot: cannot infer the number of classes from an empty tensor; pass numClasses", () -> i64().oneHot(-1));
        }
    }
}
