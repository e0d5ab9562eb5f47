package dev.trainyard.engine.metrics;

import dev.trainyard.engine.Tensor;

/**
 * A streaming metric, as a torchmetrics {@code Metric}: {@link #update} with every batch, {@link #compute} at the end
 * of the epoch, {@link #reset} before the next one. Metrics accumulate exact counts (or all scores, for the ranking
 * metrics), so the result over many batches equals the result over their concatenation.
 *
 * <pre>{@code
 * var acc = new Accuracy(10);
 * for (Batch b : testLoader) {
 *     acc.update(model.forward(b.x()), b.y());
 * }
 * double accuracy = acc.compute().item();
 * }</pre>
 */
public interface Metric {
    /** Adds a batch of predictions and targets. */
    void update(Tensor preds, Tensor target);

    /** The metric over everything seen since the last reset; a float32 tensor (0-dim unless per class). */
    Tensor compute();

    /** Forgets every update. */
    void reset();
}
