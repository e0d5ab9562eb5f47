package dev.trainyard.engine.metrics;

/**
 * Mean average precision over labels for multi-label classification: the MACRO average of
 * {@link AveragePrecision}'s per-label values (labels without positives are left out). Not the object-detection mAP.
 *
 * <pre>{@code
 * var map = new MeanAveragePrecision(20);
 * map.update(sigmoidScores, multiHotTargets);   // [N, 20] and [N, 20]
 * double value = map.compute().item();
 * }</pre>
 */
public final class MeanAveragePrecision extends AveragePrecision {
    public MeanAveragePrecision(int numLabels) {
        super(numLabels, Average.MACRO);
    }
}
