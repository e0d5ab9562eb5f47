package dev.trainyard.engine.nn.layers;

import dev.trainyard.engine.DType;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.nn.BatchNorm1d;
import dev.trainyard.engine.nn.BatchNorm2d;
import dev.trainyard.engine.nn.F;
import dev.trainyard.engine.nn.GroupNorm;
import dev.trainyard.engine.nn.LayerNorm;
import dev.trainyard.engine.nn.Module;
import dev.trainyard.engine.nn.layers.LayerFixtures.Case;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * BatchNorm1d/2d (train and eval, running statistics, cumulative momentum, untracked), LayerNorm and GroupNorm against
 * PyTorch (fixtures/layers/norm.json).
 */
class NormalizationLayersTest {

    @TestFactory
    List<DynamicTest> matchPyTorch() {
        return LayerFixtures.tests("norm", NormalizationLayersTest::build, (m, c) -> List.of(m.call(c.input("input"))));
    }

    static Module build(Case c) {
        return switch (c.module()) {
            case "BatchNorm1d" -> new BatchNorm1d(c.integer("numFeatures"), c.number("eps"), c.optionalNumber("momentum"),
                    c.flag("affine"), c.flag("trackRunningStats"));
            case "BatchNorm2d" -> new BatchNorm2d(c.integer("numFeatures"), c.number("eps"), c.optionalNumber("momentum"),
                    c.flag("affine"), c.flag("trackRunningStats"));
            case "LayerNorm" -> new LayerNorm(c.ints("normalizedShape"), c.number("eps"), c.flag("elementwiseAffine"));
            case "GroupNorm" -> new GroupNorm(c.integer("numGroups"), c.integer("numChannels"), c.number("eps"), c.flag("affine"));
            default -> throw new IllegalArgumentException(c.module());
        };
    }

    @Test
    void batchNormHasPyTorchsBuffersAndDefaults() {
        var bn = new BatchNorm2d(3);
        assertEquals(List.of("weight", "bias", "running_mean", "running_var", "num_batches_tracked"),
                List.copyOf(bn.stateDict().keySet()));
        assertEquals(DType.INT64, bn.numBatchesTracked().dtype());
        assertArrayEquals(new int[0], bn.numBatchesTracked().shape());
        assertArrayEquals(new float[] {1, 1, 1}, bn.weight().toFloatArray());
        assertArrayEquals(new float[] {0, 0, 0}, bn.bias().toFloatArray());
        assertArrayEquals(new float[] {0, 0, 0}, bn.runningMean().toFloatArray());
        assertArrayEquals(new float[] {1, 1, 1}, bn.runningVar().toFloatArray());
        assertEquals(List.of("running_mean", "running_var", "num_batches_tracked"), List.copyOf(bn.namedBuffers().keySet()));
        assertEquals("BatchNorm2d(3, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)", bn.toString());
    }

    @Test
    void untrackedBatchNormHasNoBuffersAndNoAffineHasNoParameters() {
        var bn = new BatchNorm1d(4, 1e-5, null, false, false);
        assertTrue(bn.stateDict().isEmpty());
        assertNull(bn.runningMean());
        assertEquals("BatchNorm1d(4, eps=1e-05, momentum=None, affine=False, track_running_stats=False)", bn.toString());
    }

    @Test
    void batchNormCountsBatchesOnlyInTraining() {
        var bn = new BatchNorm1d(2);
        Tensor x = Tensor.randn(5, 2);
        bn.call(x);
        bn.call(x);
        assertEquals(2, bn.numBatchesTracked().itemLong());
        bn.eval();
        Tensor before = bn.runningMean().clone();
        bn.call(x);
        assertEquals(2, bn.numBatchesTracked().itemLong());
        assertArrayEquals(before.toFloatArray(), bn.runningMean().toFloatArray());
    }

    @Test
    void batchNormWrongChannelCountNamesTheLayerAndBothShapes() {
        var bn = new BatchNorm2d(3);
        var e = assertThrows(IllegalArgumentException.class, () -> bn.call(Tensor.zeros(2, 4, 5, 5)));
        assertTrue(e.getMessage().startsWith("BatchNorm2d(3, eps=1e-05") && e.getMessage().contains("3 channels")
                && e.getMessage().contains("[2, 4, 5, 5]"), e.getMessage());
        var rank = assertThrows(IllegalArgumentException.class, () -> bn.call(Tensor.zeros(2, 3, 5)));
        assertTrue(rank.getMessage().contains("expected 4D input (got 3D input)"), rank.getMessage());
        var rank1d = assertThrows(IllegalArgumentException.class, () -> new BatchNorm1d(3).call(Tensor.zeros(2, 3, 4, 4)));
        assertTrue(rank1d.getMessage().contains("expected 2D or 3D input (got 4D input)"), rank1d.getMessage());
    }

    @Test
    void batchNormNeedsMoreThanOneValuePerChannelInTraining() {
        var e = assertThrows(IllegalArgumentException.class, () -> new BatchNorm1d(3).call(Tensor.zeros(1, 3)));
        assertTrue(e.getMessage().contains("more than 1 value per channel"), e.getMessage());
        // in evaluation the running statistics are used, so a single sample is fine
        Module bn = new BatchNorm1d(3).eval();
        assertArrayEquals(new int[] {1, 3}, bn.call(Tensor.zeros(1, 3)).shape());
    }

    @Test
    void layerNormWrongShapeNamesTheLayerAndBothShapes() {
        var ln = new LayerNorm(new int[] {3, 4});
        var e = assertThrows(IllegalArgumentException.class, () -> ln.call(Tensor.zeros(2, 4, 3)));
        assertTrue(e.getMessage().startsWith("LayerNorm((3, 4), eps=1e-05, elementwise_affine=True)")
                && e.getMessage().contains("[*, 3, 4]") && e.getMessage().contains("[2, 4, 3]"), e.getMessage());
    }

    @Test
    void groupNormChecksChannels() {
        var ctor = assertThrows(IllegalArgumentException.class, () -> new GroupNorm(4, 6));
        assertTrue(ctor.getMessage().contains("divisible"), ctor.getMessage());
        var gn = new GroupNorm(2, 6);
        var e = assertThrows(IllegalArgumentException.class, () -> gn.call(Tensor.zeros(2, 4, 3)));
        assertTrue(e.getMessage().startsWith("GroupNorm(2, 6, eps=1e-05, affine=True)") && e.getMessage().contains("[2, 4, 3]"),
                e.getMessage());
    }

    @Test
    void functionalBatchNormInEvaluationUsesTheGivenStatistics() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
        Tensor y = F.batchNorm(x, Tensor.of(new float[] {1, 2}), Tensor.of(new float[] {4, 1}));
        assertTrue(y.allclose(Tensor.of(new float[] {0, 0, 1, 2}, 2, 2), 1e-5, 1e-5), y.toString());
    }

    @Test
    void batchNormInFloat64KeepsTheBatchCountInt64() {
        var bn = new BatchNorm2d(2);
        bn.to(DType.FLOAT64);
        assertEquals(DType.FLOAT64, bn.runningMean().dtype());
        assertEquals(DType.INT64, bn.numBatchesTracked().dtype());
        Tensor y = bn.call(Tensor.randn(3, 2, 2, 2).to(DType.FLOAT64));
        assertEquals(DType.FLOAT64, y.dtype());
        assertEquals(1, bn.numBatchesTracked().itemLong());
        // per channel, the normalized output has mean 0 and biased variance 1 (up to eps)
        assertTrue(y.mean(new int[] {0, 2, 3}, false).abs().max().item() < 1e-12);
        assertTrue(y.var(new int[] {0, 2, 3}, 0, false).sub(1).abs().max().item() < 1e-3);
    }
}
