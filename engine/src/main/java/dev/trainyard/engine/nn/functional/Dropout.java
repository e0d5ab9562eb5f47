package dev.trainyard.engine.nn.functional;

import dev.trainyard.engine.Generator;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.autograd.Autograd;

/** Inverted dropout, as {@code F.dropout}: zeroes elements with probability p and scales the rest by 1/(1-p). */
public final class Dropout {
    private Dropout() {
    }

    public static Tensor dropout(Tensor input, double p, boolean training, Generator generator) {
        checkP(p);
        if (!training || p == 0) {
            return input;
        }
        if (p == 1) {
            return input.mul(0.0);
        }
        Tensor mask;
        try (var g = Autograd.noGrad()) {
            Tensor keep = Tensor.fullLike(input.detach(), 1 - p).to(input.dtype().toFloating());
            mask = keep.bernoulli(generator).div(1 - p);
        }
        return input.mul(mask);
    }

    static void checkP(double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("dropout probability has to be between 0 and 1, but got " + p);
        }
    }
}
