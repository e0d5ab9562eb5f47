package dev.trainyard.engine.nn.layers;

import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.ValuesIndices;
import dev.trainyard.engine.nn.AdaptiveAvgPool2d;
import dev.trainyard.engine.nn.AvgPool2d;
import dev.trainyard.engine.nn.Conv1d;
import dev.trainyard.engine.nn.Conv2d;
import dev.trainyard.engine.nn.ConvTranspose2d;
import dev.trainyard.engine.nn.F;
import dev.trainyard.engine.nn.MaxPool2d;
import dev.trainyard.engine.nn.Module;
import dev.trainyard.engine.nn.layers.LayerFixtures.Case;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Conv1d, Conv2d, ConvTranspose2d, the pooling layers and F.pad against PyTorch (fixtures/layers/conv.json). */
class ConvLayersTest {

    @TestFactory
    List<DynamicTest> matchPyTorch() {
        return LayerFixtures.tests("conv", ConvLayersTest::build, ConvLayersTest::forward);
    }

    static Module build(Case c) {
        return switch (c.module()) {
            case "Conv2d" -> c.isText("padding")
                    ? new Conv2d(c.integer("inChannels"), c.integer("outChannels"), c.pair("kernelSize"), c.pair("stride"),
                    c.text("padding"), c.pair("dilation"), c.integer("groups"), c.flag("bias"))
                    : new Conv2d(c.integer("inChannels"), c.integer("outChannels"), c.pair("kernelSize"), c.pair("stride"),
                    c.pair("padding"), c.pair("dilation"), c.integer("groups"), c.flag("bias"));
            case "Conv1d" -> c.isText("padding")
                    ? new Conv1d(c.integer("inChannels"), c.integer("outChannels"), c.integer("kernelSize"), c.integer("stride"),
                    c.text("padding"), c.integer("dilation"), c.integer("groups"), c.flag("bias"))
                    : new Conv1d(c.integer("inChannels"), c.integer("outChannels"), c.integer("kernelSize"), c.integer("stride"),
                    c.integer("padding"), c.integer("dilation"), c.integer("groups"), c.flag("bias"));
            case "ConvTranspose2d" -> new ConvTranspose2d(c.integer("inChannels"), c.integer("outChannels"), c.pair("kernelSize"),
                    c.pair("stride"), c.pair("padding"), c.pair("outputPadding"), c.integer("groups"), c.flag("bias"),
                    c.pair("dilation"));
            case "MaxPool2d" -> new MaxPool2d(c.pair("kernelSize"), c.config().get("stride").isNull() ? null : c.pair("stride"),
                    c.pair("padding"), c.pair("dilation"), c.flag("returnIndices"), c.flag("ceilMode"));
            case "AvgPool2d" -> new AvgPool2d(c.pair("kernelSize"), c.config().get("stride").isNull() ? null : c.pair("stride"),
                    c.pair("padding"), c.flag("ceilMode"), c.flag("countIncludePad"), c.optionalInt("divisorOverride"));
            case "AdaptiveAvgPool2d" -> new AdaptiveAvgPool2d(c.pair("outputSize")[0], c.pair("outputSize")[1]);
            case "pad" -> new PadModule(c.ints("pad"), c.number("value"));
            default -> throw new IllegalArgumentException(c.module());
        };
    }

    static List<Tensor> forward(Module m, Case c) {
        if (m instanceof MaxPool2d pool && pool.returnIndices()) {
            ValuesIndices vi = pool.callWithIndices(c.input("input"));
            return List.of(vi.values(), vi.indices());
        }
        return List.of(m.call(c.input("input")));
    }

    /** F.pad as a module, so the pad fixtures share the layer harness. */
    private static final class PadModule extends Module {
        private final int[] pad;
        private final double value;

        PadModule(int[] pad, double value) {
            this.pad = pad;
            this.value = value;
        }

        @Override
        public Tensor forward(Tensor input) {
            return F.pad(input, pad, value);
        }
    }

    // ------------------------------------------------------------------ errors

    @Test
    void conv2dWrongChannelCountNamesTheLayerAndBothShapes() {
        var conv = new Conv2d(3, 8, 3);
        var e = assertThrows(IllegalArgumentException.class, () -> conv.call(Tensor.zeros(2, 4, 8, 8)));
        String m = e.getMessage();
        assertTrue(m.startsWith("Conv2d(3, 8, kernel_size=(3, 3), stride=(1, 1))"), m);
        assertTrue(m.contains("[N, 3, H, W]") && m.contains("[2, 4, 8, 8]"), m);
    }

    @Test
    void conv1dAndConvTransposeWrongChannelCount() {
        var e1 = assertThrows(IllegalArgumentException.class, () -> new Conv1d(2, 4, 3).call(Tensor.zeros(1, 3, 10)));
        assertTrue(e1.getMessage().startsWith("Conv1d(2, 4, kernel_size=(3,), stride=(1,))")
                && e1.getMessage().contains("[N, 2, L]") && e1.getMessage().contains("[1, 3, 10]"), e1.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class, () -> new ConvTranspose2d(4, 2, 3).call(Tensor.zeros(1, 2, 5, 5)));
        assertTrue(e2.getMessage().startsWith("ConvTranspose2d(4, 2,") && e2.getMessage().contains("[1, 2, 5, 5]"),
                e2.getMessage());
    }

    @Test
    void conv2dWrongRankSaysWhatItExpected() {
        var e = assertThrows(IllegalArgumentException.class, () -> new Conv2d(3, 8, 3).call(Tensor.zeros(3, 8)));
        assertTrue(e.getMessage().contains("[N, 3, H, W] or [3, H, W]") && e.getMessage().contains("[3, 8]"), e.getMessage());
    }

    @Test
    void paddingSameRejectsStridesAndUnknownStrings() {
        var strided = assertThrows(IllegalArgumentException.class, () -> new Conv2d(3, 8, 3, 2, "same"));
        assertTrue(strided.getMessage().contains("strided"), strided.getMessage());
        var unknown = assertThrows(IllegalArgumentException.class, () -> new Conv2d(3, 8, 3, 1, "full"));
        assertTrue(unknown.getMessage().contains("'full'") && unknown.getMessage().contains("'same'"), unknown.getMessage());
    }

    @Test
    void constructorsCheckGroupsAndOutputPadding() {
        var groups = assertThrows(IllegalArgumentException.class,
                () -> new Conv2d(3, 8, new int[] {3, 3}, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}, 2, true));
        assertTrue(groups.getMessage().contains("in_channels (3) must be divisible by groups (2)"), groups.getMessage());
        var outPad = assertThrows(IllegalArgumentException.class, () -> new ConvTranspose2d(2, 2, 3, 1, 0, 1));
        assertTrue(outPad.getMessage().contains("output padding"), outPad.getMessage());
    }

    @Test
    void maxPoolWithIndicesIsCalledThroughCallWithIndices() {
        var pool = new MaxPool2d(new int[] {2, 2}, null, new int[] {0, 0}, new int[] {1, 1}, true, false);
        var e = assertThrows(UnsupportedOperationException.class, () -> pool.call(Tensor.zeros(1, 1, 4, 4)));
        assertTrue(e.getMessage().contains("callWithIndices"), e.getMessage());
        ValuesIndices vi = pool.callWithIndices(Tensor.arange(0.0, 16.0, 1.0).reshape(1, 1, 4, 4));
        assertArrayEquals(new long[] {5, 7, 13, 15}, vi.indices().toLongArray());
    }

    @Test
    void padRejectsOddLengthsAndTooManyDims() {
        assertThrows(IllegalArgumentException.class, () -> F.pad(Tensor.zeros(2, 3), new int[] {1}));
        var e = assertThrows(IllegalArgumentException.class, () -> F.pad(Tensor.zeros(3), new int[] {1, 1, 1, 1}));
        assertTrue(e.getMessage().contains("[3]"), e.getMessage());
    }

    // ------------------------------------------------------------------ defaults, initialization, repr

    @Test
    void convolutionsInitializeWithinPyTorchsBounds() {
        var conv = new Conv2d(4, 6, new int[] {3, 2}, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}, 2, true);
        double bound = 1 / Math.sqrt(2 * 3 * 2); // fan_in = in/groups * kh * kw
        assertWithin(conv.weight(), bound);
        assertWithin(conv.bias(), bound);
        var convT = new ConvTranspose2d(4, 6, 3);
        double boundT = 1 / Math.sqrt(6 * 9); // fan_in is the weight's dim 1 (out channels) times the kernel
        assertWithin(convT.weight(), boundT);
        assertWithin(convT.bias(), boundT);
        assertArrayEquals(new int[] {4, 6, 3, 3}, convT.weight().shape());
        var conv1 = new Conv1d(3, 5, 4, 1, 0, 1, 1, false);
        assertNull(conv1.bias());
        assertEquals(List.of("weight"), List.copyOf(conv1.stateDict().keySet()));
        assertWithin(conv1.weight(), 1 / Math.sqrt(12));
    }

    @Test
    void reprsMatchPyTorch() {
        assertEquals("Conv2d(3, 16, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1))", new Conv2d(3, 16, 3, 2, 1).toString());
        assertEquals("Conv2d(3, 16, kernel_size=(3, 3), stride=(1, 1), padding=same)", new Conv2d(3, 16, 3, 1, "same").toString());
        assertEquals("Conv1d(4, 4, kernel_size=(2,), stride=(1,), groups=4, bias=False)",
                new Conv1d(4, 4, 2, 1, 0, 1, 4, false).toString());
        assertEquals("ConvTranspose2d(3, 4, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1), output_padding=(1, 1))",
                new ConvTranspose2d(3, 4, 3, 2, 1, 1).toString());
        assertEquals("MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)", new MaxPool2d(2).toString());
        assertEquals("AvgPool2d(kernel_size=3, stride=2, padding=1)", new AvgPool2d(3, 2, 1).toString());
        assertEquals("AdaptiveAvgPool2d(output_size=1)", new AdaptiveAvgPool2d(1).toString());
    }

    @Test
    void sameConvKeepsTheSpatialSize() {
        var conv = new Conv2d(2, 3, new int[] {4, 5}, new int[] {1, 1}, "same", new int[] {1, 2}, 1, true);
        assertArrayEquals(new int[] {1, 3, 7, 6}, conv.call(Tensor.randn(1, 2, 7, 6)).shape());
        var conv1 = new Conv1d(2, 3, 4, 1, "same", 1, 1, true);
        assertArrayEquals(new int[] {3, 9}, conv1.call(Tensor.randn(2, 9)).shape());
    }

    static void assertWithin(Tensor t, double bound) {
        double max = t.abs().max().item();
        assertTrue(max <= bound && max > bound * 0.5, "values of " + Arrays.toString(t.shape()) + " should fill U(±" + bound
                + "), max |x| = " + max);
    }
}
