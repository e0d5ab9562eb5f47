package dev.trainyard.engine;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code Tensor.toString()} against PyTorch. Every expected string was printed by {@code repr(t)} in PyTorch
 * 1.13.0a0 (default print options) for the tensor built the same way in Python, shown in each comment.
 */
class TensorFormatterTest {

    private static void assertPrints(String expected, Tensor t) {
        assertEquals(expected, t.toString());
    }

    private static Tensor f32(float[] data, int... shape) {
        return Tensor.of(data, shape);
    }

    private static Tensor f64(double[] data, int... shape) {
        return Tensor.of(data, shape);
    }

    @Test
    void integerValuedFloatsPrintWithATrailingPoint() {
        // torch.tensor([[1., 2.], [3., 4.]])
        assertPrints("tensor([[1., 2.],\n"
                + "        [3., 4.]])", f32(new float[] {1, 2, 3, 4}, 2, 2));
        // torch.tensor(-2.0, dtype=torch.float64)
        assertPrints("tensor(-2., dtype=torch.float64)", f64(new double[] {-2}));
    }

    @Test
    void fixedNotationWithFourDecimals() {
        // torch.tensor([[1.5, -2.25], [3.125, 0.1]])
        assertPrints("tensor([[ 1.5000, -2.2500],\n"
                + "        [ 3.1250,  0.1000]])", f32(new float[] {1.5f, -2.25f, 3.125f, 0.1f}, 2, 2));
        // torch.tensor([0.1, 0.2], dtype=torch.float64)
        assertPrints("tensor([0.1000, 0.2000], dtype=torch.float64)", f64(new double[] {0.1, 0.2}, 2));
        // torch.tensor(3.5)
        assertPrints("tensor(3.5000)", Tensor.scalar(3.5));
        // torch.tensor([-0.0, 0.0, 1.5])
        assertPrints("tensor([-0.0000, 0.0000, 1.5000])", f32(new float[] {-0f, 0f, 1.5f}, 3));
    }

    @Test
    void roundingIsHalfEvenOnTheExactBinaryValue() {
        // torch.tensor([0.03125, 0.96875, 0.10035, 0.10045], dtype=torch.float64): 0.03125 is an exact tie (Java's
        // %.4f would print 0.0313); 0.10035 and 0.10045 lie just below their decimal spelling
        assertPrints("tensor([0.0312, 0.9688, 0.1003, 0.1004], dtype=torch.float64)",
                f64(new double[] {0.03125, 0.96875, 0.10035, 0.10045}, 4));
        // torch.tensor([0.125, 2.675, 1.00005, -0.00015], dtype=torch.float64)
        assertPrints("tensor([ 1.2500e-01,  2.6750e+00,  1.0001e+00, -1.5000e-04],\n"
                + "       dtype=torch.float64)", f64(new double[] {0.125, 2.675, 1.00005, -0.00015}, 4));
    }

    @Test
    void scientificNotationWhenTheRangeCallsForIt() {
        // torch.tensor([1e-5, 1.0, -0.5]): smallest below 1e-4
        assertPrints("tensor([ 1.0000e-05,  1.0000e+00, -5.0000e-01])", f32(new float[] {1e-5f, 1f, -0.5f}, 3));
        // torch.tensor([1e9, 2.0], dtype=torch.float64): largest above 1e8
        assertPrints("tensor([1.0000e+09, 2.0000e+00], dtype=torch.float64)", f64(new double[] {1e9, 2}, 2));
        // torch.tensor([1., 5000.]): integers whose ratio is above 1000
        assertPrints("tensor([1.0000e+00, 5.0000e+03])", f32(new float[] {1, 5000}, 2));
        // torch.tensor([[1e-5, 2.5], [3.0, 4.0]]).t()
        assertPrints("tensor([[1.0000e-05, 3.0000e+00],\n"
                + "        [2.5000e+00, 4.0000e+00]])", f32(new float[] {1e-5f, 2.5f, 3, 4}, 2, 2).t());
    }

    @Test
    void nonFiniteValues() {
        // torch.tensor([float('nan'), float('inf'), -float('inf'), 0.0])
        assertPrints("tensor([nan, inf, -inf, 0.])",
                f32(new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f}, 4));
    }

    @Test
    void integersAndBools() {
        // torch.tensor([[1, -20], [300, 4]])
        assertPrints("tensor([[  1, -20],\n"
                + "        [300,   4]])", Tensor.of(new long[] {1, -20, 300, 4}, 2, 2));
        // torch.tensor([1, 2, 3], dtype=torch.int32)
        assertPrints("tensor([1, 2, 3], dtype=torch.int32)", Tensor.of(new int[] {1, 2, 3}, 3));
        // torch.tensor([0, 255, 7], dtype=torch.uint8)
        assertPrints("tensor([  0, 255,   7], dtype=torch.uint8)", Tensor.ofUint8(new byte[] {0, (byte) 255, 7}, 3));
        // torch.tensor([[True, False], [False, True]])
        assertPrints("tensor([[ True, False],\n"
                + "        [False,  True]])", Tensor.of(new boolean[] {true, false, false, true}, 2, 2));
        // torch.tensor(3), torch.tensor(True)
        assertPrints("tensor(3)", Tensor.scalar(3L));
        assertPrints("tensor(True)", Tensor.scalar(true));
        // torch.arange(16).reshape(2, 2, 2, 2)
        assertPrints("tensor([[[[ 0,  1],\n"
                + "          [ 2,  3]],\n"
                + "\n"
                + "         [[ 4,  5],\n"
                + "          [ 6,  7]]],\n"
                + "\n"
                + "\n"
                + "        [[[ 8,  9],\n"
                + "          [10, 11]],\n"
                + "\n"
                + "         [[12, 13],\n"
                + "          [14, 15]]]])", Tensor.arange(16).reshape(2, 2, 2, 2));
    }

    @Test
    void emptyTensors() {
        // torch.tensor([]), torch.zeros(0, 3)
        assertPrints("tensor([])", Tensor.zeros(0));
        assertPrints("tensor([], size=(0, 3))", Tensor.zeros(0, 3));
        // torch.zeros(0, dtype=torch.int64), torch.zeros(0, dtype=torch.bool): no element shows the dtype
        assertPrints("tensor([], dtype=torch.int64)", Tensor.zeros(new int[] {0}, DType.INT64));
        assertPrints("tensor([], dtype=torch.bool)", Tensor.zeros(new int[] {0}, DType.BOOL));
        // torch.zeros(2, 0, 4, dtype=torch.float64)
        assertPrints("tensor([], size=(2, 0, 4), dtype=torch.float64)", Tensor.zeros(new int[] {2, 0, 4}, DType.FLOAT64));
    }

    @Test
    void longRowsWrapAtEightyColumns() {
        // torch.arange(30.) / 7
        assertPrints("tensor([0.0000, 0.1429, 0.2857, 0.4286, 0.5714, 0.7143, 0.8571, 1.0000, 1.1429,\n"
                + "        1.2857, 1.4286, 1.5714, 1.7143, 1.8571, 2.0000, 2.1429, 2.2857, 2.4286,\n"
                + "        2.5714, 2.7143, 2.8571, 3.0000, 3.1429, 3.2857, 3.4286, 3.5714, 3.7143,\n"
                + "        3.8571, 4.0000, 4.1429])", Tensor.arange(0, 30, 1).to(DType.FLOAT32).div(7.0));
        // torch.arange(10, dtype=torch.float64) / 3 + 100: the suffix still fits on the last line
        assertPrints("tensor([100.0000, 100.3333, 100.6667, 101.0000, 101.3333, 101.6667, 102.0000,\n"
                + "        102.3333, 102.6667, 103.0000], dtype=torch.float64)",
                Tensor.arange(10).to(DType.FLOAT64).div(3.0).add(100.0));
    }

    @Test
    void moreThanAThousandElementsAreSummarized() {
        // torch.arange(2000.) / 4
        assertPrints("tensor([0.0000e+00, 2.5000e-01, 5.0000e-01,  ..., 4.9925e+02, 4.9950e+02,\n"
                + "        4.9975e+02])", Tensor.arange(2000).to(DType.FLOAT32).div(4.0));
        // torch.arange(1600).reshape(40, 40)
        assertPrints("tensor([[   0,    1,    2,  ...,   37,   38,   39],\n"
                + "        [  40,   41,   42,  ...,   77,   78,   79],\n"
                + "        [  80,   81,   82,  ...,  117,  118,  119],\n"
                + "        ...,\n"
                + "        [1480, 1481, 1482,  ..., 1517, 1518, 1519],\n"
                + "        [1520, 1521, 1522,  ..., 1557, 1558, 1559],\n"
                + "        [1560, 1561, 1562,  ..., 1597, 1598, 1599]])", Tensor.arange(1600).reshape(40, 40));
        // (torch.arange(2 * 30 * 20, dtype=torch.float64).reshape(2, 30, 20) - 600) / 8
        assertPrints("tensor([[[-75.0000, -74.8750, -74.7500,  ..., -72.8750, -72.7500, -72.6250],\n"
                + "         [-72.5000, -72.3750, -72.2500,  ..., -70.3750, -70.2500, -70.1250],\n"
                + "         [-70.0000, -69.8750, -69.7500,  ..., -67.8750, -67.7500, -67.6250],\n"
                + "         ...,\n"
                + "         [ -7.5000,  -7.3750,  -7.2500,  ...,  -5.3750,  -5.2500,  -5.1250],\n"
                + "         [ -5.0000,  -4.8750,  -4.7500,  ...,  -2.8750,  -2.7500,  -2.6250],\n"
                + "         [ -2.5000,  -2.3750,  -2.2500,  ...,  -0.3750,  -0.2500,  -0.1250]],\n"
                + "\n"
                + "        [[  0.0000,   0.1250,   0.2500,  ...,   2.1250,   2.2500,   2.3750],\n"
                + "         [  2.5000,   2.6250,   2.7500,  ...,   4.6250,   4.7500,   4.8750],\n"
                + "         [  5.0000,   5.1250,   5.2500,  ...,   7.1250,   7.2500,   7.3750],\n"
                + "         ...,\n"
                + "         [ 67.5000,  67.6250,  67.7500,  ...,  69.6250,  69.7500,  69.8750],\n"
                + "         [ 70.0000,  70.1250,  70.2500,  ...,  72.1250,  72.2500,  72.3750],\n"
                + "         [ 72.5000,  72.6250,  72.7500,  ...,  74.6250,  74.7500,  74.8750]]],\n"
                + "       dtype=torch.float64)",
                Tensor.arange(2 * 30 * 20).to(DType.FLOAT64).reshape(2, 30, 20).sub(600.0).div(8.0));
    }

    @Test
    void nonContiguousTensorsPrintInLogicalOrder() {
        // torch.arange(6.).reshape(2, 3).t() * 1.5, printed from a transposed view
        Tensor t = Tensor.arange(6).to(DType.FLOAT32).reshape(2, 3).mul(1.5).t();
        assertPrints("tensor([[0.0000, 4.5000],\n"
                + "        [1.5000, 6.0000],\n"
                + "        [3.0000, 7.5000]])", t);
    }

    @Test
    void autogradSuffixes() {
        // x = torch.tensor([1., 2.], requires_grad=True); x; x * 2
        Tensor x = f32(new float[] {1, 2}, 2).requiresGrad_();
        assertPrints("tensor([1., 2.], requires_grad=True)", x);
        assertPrints("tensor([2., 4.], grad_fn=<MulBackward0>)", x.mul(2.0));
        // xd = torch.tensor([1.5, 2.], dtype=torch.float64, requires_grad=True); xd; xd.exp()
        Tensor xd = f64(new double[] {1.5, 2}, 2).requiresGrad_();
        assertPrints("tensor([1.5000, 2.0000], dtype=torch.float64, requires_grad=True)", xd);
        assertPrints("tensor([4.4817, 7.3891], dtype=torch.float64, grad_fn=<ExpBackward0>)", xd.exp());
    }
}
