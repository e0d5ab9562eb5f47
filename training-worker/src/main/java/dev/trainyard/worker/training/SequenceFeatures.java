package dev.trainyard.worker.training;

import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.nn.Module;
import dev.trainyard.engine.nn.RNNBase;

/**
 * A batch-first recurrent layer (RNN, LSTM, GRU) used as a feature extractor: runs it over {@code [N, T, F]} from zero
 * states and passes on the last step {@code [N, H]} (PyTorch's {@code output[:, -1]}), the mean over steps, or the
 * whole sequence {@code [N, T, H]} (H doubled when bidirectional). The recurrent module is the child {@code rnn}.
 */
public final class SequenceFeatures extends Module {
    /** What the layer passes on. */
    public enum Output { LAST, MEAN, SEQUENCE }

    private final RNNBase rnn;
    private final Output output;

    public SequenceFeatures(RNNBase rnn, Output output) {
        if (!rnn.batchFirst()) {
            throw new IllegalArgumentException("SequenceFeatures: expected a batch-first recurrent layer");
        }
        this.rnn = registerModule("rnn", rnn);
        this.output = output;
    }

    public RNNBase rnn() {
        return rnn;
    }

    @Override
    public Tensor forward(Tensor input) {
        if (input.dim() != 3) {
            throw new IllegalArgumentException(rnn.getClass().getSimpleName() + ": expected batch-first input [N, T, "
                    + rnn.inputSize() + "], got shape " + java.util.Arrays.toString(input.shape()));
        }
        Tensor seq = rnn.call(input);
        return switch (output) {
            case LAST -> seq.select(1, seq.size(1) - 1);
            case MEAN -> seq.mean(1);
            case SEQUENCE -> seq;
        };
    }

    @Override
    public String extraRepr() {
        return "output=" + output.name().toLowerCase(java.util.Locale.ROOT);
    }
}
