package dev.trainyard.engine.nn;

import dev.trainyard.engine.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Errors name the module or function, the shapes and the values a person needs to fix the call. */
class NnErrorsTest {

    private static void fails(Class<? extends Throwable> type, String message, Executable call) {
        assertEquals(message, assertThrows(type, call).getMessage());
    }

    @Test
    void linearNamesTheExpectedInputDimension() {
        fails(IllegalArgumentException.class,
                "Linear(in_features=784, out_features=256): expected input with last dimension 784, got shape [64, 28, 28]",
                () -> new Linear(784, 256).call(Tensor.zeros(64, 28, 28)));
        fails(IllegalArgumentException.class,
                "linear: expected input with last dimension 3 (weight shape [2, 3]), got shape [4, 5]",
                () -> F.linear(Tensor.zeros(4, 5), Tensor.zeros(2, 3)));
    }

    @Test
    void crossEntropyNamesBadTargets() {
        Tensor logits = Tensor.zeros(3, 10);
        fails(IndexOutOfBoundsException.class, "crossEntropy: target class 12 is out of bounds for 10 classes",
                () -> F.crossEntropy(logits, Tensor.of(new long[] {1, 12, 3})));
        fails(IndexOutOfBoundsException.class,
                "crossEntropy: target class -1 is out of bounds for 10 classes (and is not the ignoreIndex -100)",
                () -> F.crossEntropy(logits, Tensor.of(new long[] {1, -1, 3})));
        fails(IllegalArgumentException.class, "crossEntropy: expected target of shape [3] for input of shape [3, 10], got [4]",
                () -> F.crossEntropy(logits, Tensor.of(new long[] {1, 2, 3, 4})));
        fails(IllegalArgumentException.class,
                "crossEntropy: a class-probability target must have the input's shape [3, 10], got [3, 5] "
                        + "(for class indices pass an int64 target)",
                () -> F.crossEntropy(logits, Tensor.zeros(3, 5)));
        fails(IllegalArgumentException.class, "crossEntropy: weight must have one entry per class, shape [10], got [5]",
                () -> F.crossEntropy(logits, Tensor.of(new long[] {1, 2, 3}), Tensor.ones(5), -100, Reduction.MEAN, 0));
        fails(IllegalArgumentException.class, "crossEntropy: labelSmoothing must be between 0.0 and 1.0, got 1.5",
                () -> F.crossEntropy(logits, Tensor.of(new long[] {1, 2, 3}), null, -100, Reduction.MEAN, 1.5));
        fails(IllegalArgumentException.class, "crossEntropy: reduction batchmean is only valid for klDiv; use none, mean or sum",
                () -> F.crossEntropy(logits, Tensor.of(new long[] {1, 2, 3}), Reduction.BATCHMEAN));
        fails(IndexOutOfBoundsException.class, "nllLoss: target class 10 is out of bounds for 10 classes",
                () -> F.nllLoss(logits, Tensor.of(new long[] {10, 2, 3})));
    }

    @Test
    void regressionLossesRejectSilentBroadcasting() {
        fails(IllegalArgumentException.class, "mseLoss: target shape [64] does not match input shape [64, 1] (it would broadcast "
                        + "to [64, 64]); reshape one of them, e.g. target.view(input.shape())",
                () -> F.mseLoss(Tensor.zeros(64, 1), Tensor.zeros(64)));
        fails(IllegalArgumentException.class, "binaryCrossEntropyWithLogits: target size [4] must be the same as input size [4, 1]",
                () -> F.binaryCrossEntropyWithLogits(Tensor.zeros(4, 1), Tensor.zeros(4)));
    }

    @Test
    void bceNeedsProbabilities() {
        fails(IllegalArgumentException.class, "binaryCrossEntropy: all elements of input should be between 0 and 1, got values in "
                        + "[-1.0, 2.0] (apply sigmoid first, or use binaryCrossEntropyWithLogits)",
                () -> F.binaryCrossEntropy(Tensor.of(new float[] {-1, 0.5f, 2}), Tensor.zeros(3)));
    }

    @Test
    void embeddingNamesTheBadIndex() {
        fails(IndexOutOfBoundsException.class, "embedding: index 10 is out of range for 10 embeddings (weight shape [10, 3])",
                () -> new Embedding(10, 3).call(Tensor.of(new long[] {0, 10})));
        fails(IllegalArgumentException.class, "embedding: expected indices of an integer dtype (int64 or int32), got float32",
                () -> new Embedding(10, 3).call(Tensor.zeros(2)));
        fails(IllegalArgumentException.class, "embedding: paddingIdx 10 must be within the 10 embeddings (in [-10, 9])",
                () -> new Embedding(10, 3, 10));
    }

    @Test
    void badHyperparameters() {
        fails(IllegalArgumentException.class, "Dropout: probability has to be between 0 and 1, but got 1.5", () -> new Dropout(1.5));
        fails(IllegalArgumentException.class, "GELU: approximate must be \"none\" or \"tanh\", got \"fast\"", () -> new GELU("fast"));
        fails(IllegalArgumentException.class, "huberLoss: delta must be positive, got 0.0",
                () -> F.huberLoss(Tensor.zeros(2), Tensor.zeros(2), Reduction.MEAN, 0));
        fails(IllegalArgumentException.class, "smoothL1Loss: beta must be non-negative, got -1.0",
                () -> F.smoothL1Loss(Tensor.zeros(2), Tensor.zeros(2), Reduction.MEAN, -1));
        fails(IllegalArgumentException.class, "'avg' is not a valid value for reduction; expected none, mean, sum (or batchmean for "
                + "klDiv)", () -> Reduction.fromName("avg"));
    }
}
