package dev.trainyard.engine.ops;

import dev.trainyard.engine.DType;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.backend.Storage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.Random;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code indexSelect}'s slice copies against elements read through the source's own shape, strides and offset, to the
 * bit, for each layout the kernel tells apart: blocks (the dims after {@code dim}) copied whole when gapless and long,
 * element by element when short, strided or broadcast; outer dims with any strides. Float data are random bit
 * patterns (NaN payloads, infinities, signed zeros, subnormals), so a copy that converts anything shows.
 */
class IndexSelectTest {
    private static final long[] ROWS = {69, 0, 5, 5, 33, 69};

    /** A source of {@code numel} random elements of {@code dtype} in a fresh storage, shaped {@code shape}. */
    private static Tensor random(DType dtype, long seed, int... shape) {
        Random r = new Random(seed);
        int n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        Storage s = switch (dtype) {
            case FLOAT32 -> {
                float[] a = new float[n];
                for (int i = 0; i < n; i++) {
                    a[i] = Float.intBitsToFloat(r.nextInt());
                }
                yield Storage.wrap(a);
            }
            case FLOAT64 -> {
                double[] a = new double[n];
                for (int i = 0; i < n; i++) {
                    a[i] = Double.longBitsToDouble(r.nextLong());
                }
                yield Storage.wrap(a);
            }
            case INT64 -> Storage.wrap(r.longs(n).toArray());
            case INT32 -> Storage.wrap(r.ints(n).toArray());
            case UINT8 -> {
                byte[] a = new byte[n];
                r.nextBytes(a);
                yield Storage.wrap(a, DType.UINT8);
            }
            case BOOL -> {
                byte[] a = new byte[n];
                for (int i = 0; i < n; i++) {
                    a[i] = (byte) r.nextInt(2);
                }
                yield Storage.wrap(a, DType.BOOL);
            }
        };
        return Tensor.wrap(s, shape);
    }

    /** The raw bits of the element at storage position {@code p}. */
    private static long bits(Storage s, int p) {
        return switch (s.dtype()) {
            case FLOAT32 -> Float.floatToRawIntBits(s.floats()[p]);
            case FLOAT64 -> Double.doubleToRawLongBits(s.doubles()[p]);
            default -> s.getLong(p);
        };
    }

    /** The raw bits of every element of {@code t} in row-major order, read through its strides. */
    private static long[] rowMajorBits(Tensor t) {
        int[] shape = t.shape();
        int[] stride = t.stride();
        int n = t.numel();
        long[] out = new long[n];
        int[] coord = new int[shape.length];
        for (int k = 0; k < n; k++) {
            int p = t.storageOffset();
            for (int d = 0; d < shape.length; d++) {
                p += coord[d] * stride[d];
            }
            out[k] = bits(t.storage(), p);
            for (int d = shape.length - 1; d >= 0 && ++coord[d] == shape[d]; d--) {
                coord[d] = 0;
            }
        }
        return out;
    }

    /** What indexSelect must return: for each output coordinate, the source's element with index[c[dim]] at dim. */
    private static long[] expectedBits(Tensor x, int dim, long[] index) {
        int[] shape = x.shape();
        int[] outShape = shape.clone();
        outShape[dim] = index.length;
        int n = Arrays.stream(outShape).reduce(1, (a, b) -> a * b);
        long[] out = new long[n];
        int[] coord = new int[shape.length];
        for (int k = 0; k < n; k++) {
            int p = x.storageOffset();
            for (int d = 0; d < shape.length; d++) {
                p += (d == dim ? (int) index[coord[d]] : coord[d]) * x.stride()[d];
            }
            out[k] = bits(x.storage(), p);
            for (int d = shape.length - 1; d >= 0 && ++coord[d] == outShape[d]; d--) {
                coord[d] = 0;
            }
        }
        return out;
    }

    private static void assertSelects(String what, Tensor x, int dim, long[] index) {
        for (Tensor idx : new Tensor[] {Tensor.of(index, index.length), Tensor.of(index, index.length).to(DType.INT32)}) {
            Tensor out = x.indexSelect(dim, idx);
            int[] outShape = x.shape();
            outShape[dim] = index.length;
            String label = what + " (" + x.dtype() + ", " + idx.dtype() + " index)";
            assertArrayEquals(outShape, out.shape(), label);
            assertEquals(x.dtype(), out.dtype(), label);
            assertArrayEquals(expectedBits(x, dim, index), rowMajorBits(out), label);
        }
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void rowsOfABatch(DType dtype) {
        Tensor x = random(dtype, 1, 70, 40);
        assertSelects("rows of a contiguous matrix", x, 0, ROWS);
        assertSelects("rows of a view with an offset, rows narrowed", x.slice(0, 3, 70).narrow(1, 2, 30), 0,
                new long[] {66, 0, 7, 7});
        assertSelects("rows of images [N, 1, 4, 8]", random(dtype, 2, 70, 1, 4, 8), 0, ROWS);
        assertSelects("rows whose blocks have gaps (every other column)", x.slice(1, 0, 40, 2), 0, ROWS);
        assertSelects("rows of images narrowed in width", random(dtype, 3, 70, 4, 16).narrow(2, 0, 8), 0, ROWS);
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void otherDimsAndLayouts(DType dtype) {
        Tensor x = random(dtype, 4, 3, 7, 20);
        assertSelects("the middle dim", x, 1, new long[] {6, 0, 6, 2});
        assertSelects("the last dim (blocks of one)", x, 2, new long[] {19, 3, 3});
        assertSelects("the first dim of a transpose (strided blocks)", random(dtype, 5, 40, 20).t(), 0,
                new long[] {19, 0, 4, 4});
        // [5, 4, 32] with strides [32, 160, 1]: gapless blocks under an outer dim that steps back and forth in storage
        Tensor permuted = random(dtype, 6, 4, 5, 32).permute(1, 0, 2);
        assertSelects("the middle dim of a permutation", permuted, 1, new long[] {3, 1, 1, 0});
        assertSelects("the first dim of a permutation", permuted, 0, new long[] {4, 0, 2});
        assertSelects("rows of a broadcast row", random(dtype, 7, 1, 24).expand(9, 24), 0, new long[] {8, 0, 8});
        assertSelects("rows of a broadcast column (stride-0 blocks)", random(dtype, 8, 9, 1).expand(9, 24), 0,
                new long[] {8, 1, 1});
        assertSelects("rows of a 1-D tensor", random(dtype, 9, 50), 0, new long[] {49, 0, 17, 17});
    }

    @Test
    void emptyIndexAndZeroDimTensors() {
        Tensor x = random(DType.FLOAT32, 10, 70, 40);
        assertArrayEquals(new int[] {0, 40}, x.indexSelect(0, Tensor.of(new long[0], 0)).shape());
        assertArrayEquals(new int[] {70, 0}, x.indexSelect(1, Tensor.of(new int[0], 0)).shape());
        assertArrayEquals(new int[] {0, 40}, x.narrow(0, 0, 0).indexSelect(0, Tensor.of(new long[0], 0)).shape());
        Tensor one = x.indexSelect(0, Tensor.scalar(33L));
        assertArrayEquals(new int[] {1, 40}, one.shape());
        assertArrayEquals(expectedBits(x, 0, new long[] {33}), rowMajorBits(one));
        Tensor scalar = Tensor.scalar(2.5);
        Tensor twice = scalar.indexSelect(0, Tensor.of(new long[] {0, 0}, 2));
        assertArrayEquals(new int[] {2}, twice.shape());
        assertArrayEquals(new float[] {2.5f, 2.5f}, twice.toFloatArray());
        assertArrayEquals(new int[0], scalar.indexSelect(0, Tensor.scalar(0L)).shape());
    }

    @Test
    void errorsNameTheIndexAndTheSize() {
        Tensor x = random(DType.FLOAT32, 11, 70, 40);
        assertMessage("indexSelect: index 70 is out of bounds for dimension 0 with size 70",
                () -> x.indexSelect(0, Tensor.of(new long[] {0, 70, 3}, 3)));
        assertMessage("indexSelect: index -1 is out of bounds for dimension 0 with size 70",
                () -> x.indexSelect(0, Tensor.of(new int[] {5, -1}, 2)));
        assertMessage("indexSelect: index -3 is out of bounds for dimension 1 with size 40",
                () -> x.indexSelect(-1, Tensor.of(new long[] {99, -3, -2}, 3)));
        assertMessage("indexSelect: index 2147483648 is out of bounds for dimension 1 with size 40",
                () -> x.indexSelect(1, Tensor.of(new long[] {1L << 31}, 1)));
        assertMessage("indexSelect: index 0 is out of bounds for dimension 0 with size 0",
                () -> x.narrow(0, 0, 0).indexSelect(0, Tensor.of(new long[] {0}, 1)));
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
        assertEquals(expected, assertThrows(IndexOutOfBoundsException.class, call).getMessage());
    }

    /** index_add back into zeros: each row's gradient is the sum, in index order, of the rows that selected it. */
    @Test
    void gradientAddsRepeatedRowsBack() {
        long[] index = {4, 29, 4, 0, 4};
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Tensor x = Tensor.randn(30, 20).to(dtype).requiresGrad_();
            Tensor g = Tensor.randn(5, 20).to(dtype);
            Tensor y = x.indexSelect(0, Tensor.of(index, 5));
            assertEquals("IndexSelectBackward0", y.gradFn().name());
            y.backward(g);
            double[] gv = g.toDoubleArray();
            double[] expected = new double[30 * 20];
            for (int k = 0; k < index.length; k++) {
                for (int j = 0; j < 20; j++) {
                    int p = (int) index[k] * 20 + j;
                    expected[p] = dtype == DType.FLOAT32 ? (float) (expected[p] + gv[k * 20 + j]) : expected[p] + gv[k * 20 + j];
                }
            }
            assertArrayEquals(expected, x.grad().toDoubleArray(), dtype.toString());
        }
    }

    @Test
    void gradientOfTheMiddleDimOfAPermutation() {
        Tensor x = Tensor.randn(4, 5, 32).to(DType.FLOAT64).requiresGrad_();
        Function<Tensor, Tensor> f = t -> t.permute(1, 0, 2).indexSelect(1, Tensor.of(new long[] {3, 1, 1}, 3));
        Tensor g = Tensor.randn(5, 3, 32).to(DType.FLOAT64);
        f.apply(x).backward(g);
        // the same gradient through a gather of the same elements (a different op and backward)
        Tensor x2 = x.detach().requiresGrad_();
        Tensor idx = Tensor.of(new long[] {3, 1, 1}, 1, 3, 1).expand(5, 3, 32).contiguous();
        x2.permute(1, 0, 2).gather(1, idx).backward(g);
        assertArrayEquals(x2.grad().toDoubleArray(), x.grad().toDoubleArray());
    }

    /** A batch picked from data that does not require grad records no graph: fc1 then computes no input gradient. */
    @Test
    void aBatchOfDataRecordsNoGraph() {
        Tensor data = random(DType.FLOAT32, 12, 70, 1, 4, 8);
        Tensor batch = data.indexSelect(0, Tensor.of(ROWS, ROWS.length));
        assertFalse(batch.requiresGrad());
        assertNull(batch.gradFn());
        assertTrue(batch.isContiguous());
    }
}
