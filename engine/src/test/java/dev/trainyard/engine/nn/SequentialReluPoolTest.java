package dev.trainyard.engine.nn;

import dev.trainyard.engine.Generator;
import dev.trainyard.engine.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Sequential runs ReLU, MaxPool2d as the pool, then the ReLU: the same values and the same input gradient to the bit as
 * the modules called one by one. relu's backward selects as PyTorch's does (+0.0 where its output is 0, whatever the
 * gradient), so the gradients of a window of non-positive inputs are +0.0 in either order; relu keeps -0.0 (as
 * PyTorch's does), so pooled values holding a -0.0 send the modules back to their order.
 */
class SequentialReluPoolTest {

    /** Values, then the input's gradient, through {@code model} and through its modules called one at a time. */
    private static void assertSameBitsAsOneByOne(Sequential model, Tensor input, Tensor upstream) {
        Tensor x1 = input.detach().clone().requiresGrad_();
        Tensor y1 = model.call(x1);
        y1.backward(upstream);
        Tensor x2 = input.detach().clone().requiresGrad_();
        Tensor y2 = x2;
        for (Module m : model) {
            y2 = m.call(y2);
        }
        y2.backward(upstream);
        assertArrayEquals(y2.shape(), y1.shape());
        assertBits(y2.toFloatArray(), y1.toFloatArray(), "values");
        assertBits(x2.grad().toFloatArray(), x1.grad().toFloatArray(), "input gradient");
    }

    private static void assertBits(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]),
                    what + " at " + i + ": " + expected[i] + " against " + actual[i]);
        }
    }

    /** Random values with ties, zeros of both signs, whole windows of negatives and NaN. */
    private static Tensor awkward(int... shape) {
        Tensor t = Tensor.randn(shape, new Generator().manualSeed(7));
        float[] v = t.toFloatArray();
        for (int i = 0; i < v.length; i++) {
            switch (i % 11) {
                case 0 -> v[i] = 0.0f;
                case 3 -> v[i] = -0.0f;
                case 5 -> v[i] = v[i - 1];
                case 7 -> v[i] = -Math.abs(v[i]);
                default -> { }
            }
        }
        v[v.length / 3] = Float.NaN;
        for (int i = 0; i < 8 && i < v.length; i++) {
            v[i] = -1 - i;
        }
        return Tensor.of(v, shape);
    }

    @Test
    void theCnnsBlockHasTheSameValuesAndGradients() {
        Sequential model = new Sequential(new ReLU(), new MaxPool2d(2), new Flatten());
        Tensor x = awkward(4, 3, 10, 9);
        assertSameBitsAsOneByOne(model, x, Tensor.randn(new int[] {4, 3 * 5 * 4}, new Generator().manualSeed(3)));
    }

    @Test
    void windowsOfSeveralNaNsGiveTheSameLastNaNEitherWay() {
        // the pool keeps a window's last NaN (PyTorch's scan); relu keeps NaNs, payload and all, where they are
        float[] v = awkward(3, 2, 12, 10).toFloatArray();
        for (int i = 0; i < v.length; i++) {
            if (i % 7 < 3 || i % 5 == 0) {
                v[i] = Float.intBitsToFloat((i % 2 == 0 ? 0x7fc00000 : 0xffc00000) | i);
            }
        }
        Tensor x = Tensor.of(v, 3, 2, 12, 10);
        assertSameBitsAsOneByOne(new Sequential(new ReLU(), new MaxPool2d(2)), x,
                Tensor.randn(new int[] {3, 2, 6, 5}, new Generator().manualSeed(11)));
        MaxPool2d overlapping = new MaxPool2d(new int[] {3, 3}, new int[] {2, 2}, new int[] {1, 1}, new int[] {1, 1},
                false, true);
        assertSameBitsAsOneByOne(new Sequential(new ReLU(), overlapping), x,
                Tensor.randn(overlapping.call(x).shape(), new Generator().manualSeed(13)));
    }

    @Test
    void thePoolRunsFirstOnTheConvsOutput() {
        Sequential model = new Sequential(new Conv2d(1, 2, 3), new ReLU(), new MaxPool2d(2));
        Tensor y = model.call(Tensor.randn(1, 1, 8, 8));
        assertEquals("ReluBackward0", y.gradFn().name(), "the ReLU ran last, on the pooled values");
        assertEquals("MaxPool2DWithIndicesBackward0", y.gradFn().nextFunctions().getFirst().node().name());
    }

    @Test
    void paddingStrideDilationCeilModeAndAThreeDimensionalInputToo() {
        MaxPool2d pool = new MaxPool2d(new int[] {3, 2}, new int[] {2, 1}, new int[] {1, 1}, new int[] {1, 2}, false, true);
        Sequential model = new Sequential(new ReLU(), pool);
        Tensor x = awkward(2, 11, 8);
        Tensor y = pool.call(new ReLU().call(x));
        assertSameBitsAsOneByOne(model, x, Tensor.randn(y.shape(), new Generator().manualSeed(5)));
    }

    @Test
    void aNegativeZeroAfterANegativeInAWindowRunsTheReluFirst() {
        // relu first: the window [-1, -0; -2, -3] pools to relu(-1) = +0; pool first it would be relu(-0) = -0
        Tensor x = Tensor.of(new float[] {-1f, -0f, -2f, -3f}, 1, 1, 2, 2);
        Tensor y = new Sequential(new ReLU(), new MaxPool2d(2)).call(x);
        assertEquals(0, Float.floatToRawIntBits(y.toFloatArray()[0]));
        Tensor z = new Sequential(new ReLU(), new MaxPool2d(2)).call(Tensor.of(new float[] {-1f, -0.5f, -2f, -3f}, 1, 1, 2, 2)
                .requiresGrad_(true));
        assertEquals("ReluBackward0", z.gradFn().name(), "without a -0.0 the pool runs first");
        Tensor w = new Sequential(new ReLU(), new MaxPool2d(2)).call(x.detach().clone().requiresGrad_(true));
        assertEquals("MaxPool2DWithIndicesBackward0", w.gradFn().name(), "with one the relu runs first");
    }

    @Test
    void aHookOnTheReluSeesItsOwnOutputOverTheWholeInput() {
        ReLU relu = new ReLU();
        List<int[]> seen = new ArrayList<>();
        relu.registerForwardHook((module, in, out) -> {
            seen.add(((Tensor) out).shape());
            return null;
        });
        Sequential model = new Sequential(relu, new MaxPool2d(2));
        model.call(Tensor.randn(1, 2, 6, 6));
        assertEquals(1, seen.size());
        assertArrayEquals(new int[] {1, 2, 6, 6}, seen.getFirst(), "the hook saw relu's output at the input's shape");
    }

    @Test
    void aReluSubclassRunsWhereItStands() {
        List<int[]> inputs = new ArrayList<>();
        ReLU logging = new ReLU() {
            @Override
            public Tensor forward(Tensor input) {
                inputs.add(input.shape());
                return super.forward(input);
            }
        };
        new Sequential(logging, new MaxPool2d(2)).call(Tensor.randn(1, 1, 4, 4));
        assertArrayEquals(new int[] {1, 1, 4, 4}, inputs.getFirst());
    }
}
