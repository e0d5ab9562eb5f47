package dev.trainyard.engine.metrics;

import dev.trainyard.engine.DType;
import dev.trainyard.engine.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The examples from torchmetrics' documentation (values as printed there, to 4 decimals), which pin down the
 * definitions independently of our reference script, plus input validation.
 */
class MetricsTest {
    private static final Tensor TARGET = Tensor.of(new long[] {2, 1, 0, 0});
    private static final Tensor PRED_LABELS = Tensor.of(new long[] {2, 1, 0, 1});
    private static final Tensor PRED_PROBS = Tensor.of(new float[] {
        0.16f, 0.26f, 0.58f,
        0.22f, 0.61f, 0.17f,
        0.71f, 0.09f, 0.20f,
        0.05f, 0.82f, 0.13f}, 4, 3);

    private static void close(double expected, Tensor actual) {
        assertEquals(0, actual.dim());
        assertEquals(expected, actual.item(), 5e-5);
    }

    private static void close(double[] expected, Tensor actual) {
        double[] a = actual.toDoubleArray();
        assertEquals(expected.length, a.length);
        for (int i = 0; i < a.length; i++) {
            assertEquals(expected[i], a[i], 5e-5, "element " + i);
        }
    }

    private static Tensor run(Metric m, Tensor preds, Tensor target) {
        m.update(preds, target);
        return m.compute();
    }

    @Test
    void multiclassStatScoreExamples() {
        for (Tensor preds : new Tensor[] {PRED_LABELS, PRED_PROBS}) {
            // MulticlassAccuracy(num_classes=3): 0.8333; average=None: [0.5, 1, 1]
            close(0.8333, run(new Accuracy(3, Average.MACRO), preds, TARGET));
            close(new double[] {0.5, 1, 1}, run(new Accuracy(3, Average.NONE), preds, TARGET));
            close(0.75, run(new Accuracy(3), preds, TARGET));
            // MulticlassPrecision: 0.8333, [1, 0.5, 1]
            close(0.8333, run(new Precision(3, Average.MACRO), preds, TARGET));
            close(new double[] {1, 0.5, 1}, run(new Precision(3, Average.NONE), preds, TARGET));
            // MulticlassRecall: 0.8333, [0.5, 1, 1]
            close(0.8333, run(new Recall(3, Average.MACRO), preds, TARGET));
            close(new double[] {0.5, 1, 1}, run(new Recall(3, Average.NONE), preds, TARGET));
            // MulticlassF1Score: 0.7778, [0.6667, 0.6667, 1]
            close(0.7778, run(new F1Score(3, Average.MACRO), preds, TARGET));
            close(new double[] {0.6667, 0.6667, 1}, run(new F1Score(3, Average.NONE), preds, TARGET));
            // MulticlassConfusionMatrix: [[1, 1, 0], [0, 1, 0], [0, 0, 1]]
            Tensor cm = run(new ConfusionMatrix(3), preds, TARGET);
            assertEquals(DType.INT64, cm.dtype());
            assertArrayEquals(new long[] {1, 1, 0, 0, 1, 0, 0, 0, 1}, cm.toLongArray());
        }
        // top-2: the last sample's target (0) has its lowest score, the others are in their top 2
        close(0.75, run(new Accuracy(3, Average.MICRO, 2), PRED_PROBS, TARGET));
        close(1.0, run(new Accuracy(3, Average.MICRO, 3), PRED_PROBS, TARGET));
    }

    @Test
    void rankingExamples() {
        // binary_auroc(tensor([0, 0.5, 0.7, 0.8]), tensor([0, 1, 1, 0])) = 0.5
        Tensor bp = Tensor.of(new float[] {0, 0.5f, 0.7f, 0.8f});
        Tensor bt = Tensor.of(new long[] {0, 1, 1, 0});
        close(0.5, run(AUROC.binary(), bp, bt));
        // binary_average_precision of the same = 0.5833
        close(0.5833, run(new AveragePrecision(1), bp, bt));
        // multiclass_auroc example: macro 0.5333, per class [1, 1, 0.3333, 0.3333, 0]
        Tensor mp = Tensor.of(new float[] {
            0.75f, 0.05f, 0.05f, 0.05f, 0.05f,
            0.05f, 0.75f, 0.05f, 0.05f, 0.05f,
            0.05f, 0.05f, 0.75f, 0.05f, 0.05f,
            0.05f, 0.05f, 0.05f, 0.75f, 0.05f}, 4, 5);
        Tensor mt = Tensor.of(new long[] {0, 1, 3, 2});
        close(0.5333, run(AUROC.multiclass(5), mp, mt));
        close(new double[] {1, 1, 0.3333, 0.3333, 0}, run(AUROC.multiclass(5, Average.NONE), mp, mt));
    }

    @Test
    void streamingEqualsOneBigUpdate() {
        var a = new F1Score(3, Average.WEIGHTED);
        a.update(PRED_PROBS.narrow(0, 0, 1), TARGET.narrow(0, 0, 1));
        a.update(PRED_PROBS.narrow(0, 1, 3), TARGET.narrow(0, 1, 3));
        var b = new F1Score(3, Average.WEIGHTED);
        b.update(PRED_PROBS, TARGET);
        assertEquals(b.compute().item(), a.compute().item());
        a.reset();
        assertEquals(0.0, a.compute().item(), "nothing seen: 0, as torchmetrics' safe division");
    }

    @Test
    void inputsAreValidated() {
        var acc = new Accuracy(3);
        var e1 = assertThrows(IllegalArgumentException.class, () -> acc.update(PRED_PROBS, Tensor.of(new long[] {0, 1, 3, 0})));
        assertTrue(e1.getMessage().contains("target value 3 at index 2 is out of range for 3 classes"), e1.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class, () -> acc.update(Tensor.zeros(4, 2), TARGET));
        assertTrue(e2.getMessage().contains("[N, C] = [4, 3]"), e2.getMessage());
        var e3 = assertThrows(IllegalArgumentException.class, () -> new Accuracy(3, Average.MICRO, 2).update(PRED_LABELS, TARGET));
        assertTrue(e3.getMessage().contains("top-2 needs scores"), e3.getMessage());
        var e4 = assertThrows(IllegalArgumentException.class, () -> new Accuracy(3, Average.MICRO, 4));
        assertTrue(e4.getMessage().contains("topK must be in [1, numClasses=3]"), e4.getMessage());
        var e5 = assertThrows(IllegalArgumentException.class,
                () -> new AveragePrecision(2).update(Tensor.zeros(2, 2), Tensor.of(new long[] {0, 2, 1, 0}, 2, 2)));
        assertTrue(e5.getMessage().contains("must be 0 or 1, found 2"), e5.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AUROC.multiclass(3, Average.MICRO));
    }
}
