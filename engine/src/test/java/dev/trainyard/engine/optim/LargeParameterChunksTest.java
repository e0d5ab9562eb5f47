package dev.trainyard.engine.optim;

import dev.trainyard.engine.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * A float32 parameter of 98,341 elements is updated in chunks on all cores (the device's optimizer kernels split
 * parameters of 65,536 elements or more): after three steps it must hold the bits of the same optimizer run on its
 * pieces of 1,000 elements as parameters of their own, which are updated in one pass on the calling thread.
 */
class LargeParameterChunksTest {
    private static final int N = 3 * 32_768 + 37;
    private static final int PIECE = 1_000;

    @ParameterizedTest
    @ValueSource(strings = {"adam", "adamw", "sgd", "rmsprop", "adagrad"})
    void aLargeParameterGetsTheBitsOfItsPiecesUpdatedAlone(String name) {
        SplittableRandom rnd = new SplittableRandom(name.hashCode());
        float[] w = random(rnd, N);
        Tensor whole = Tensor.of(w.clone(), N).requiresGrad_(true);
        List<Tensor> pieces = new ArrayList<>();
        for (int from = 0; from < N; from += PIECE) {
            int len = Math.min(PIECE, N - from);
            float[] part = new float[len];
            System.arraycopy(w, from, part, 0, len);
            pieces.add(Tensor.of(part, len).requiresGrad_(true));
        }
        Function<List<Tensor>, Optimizer> make = switch (name) {
            case "adam" -> ps -> new Adam(ps, 1e-2).weightDecay(0.01);
            case "adamw" -> ps -> new AdamW(ps, 1e-2);
            case "sgd" -> ps -> new SGD(ps, 0.1).momentum(0.9).nesterov(true).weightDecay(0.01);
            case "rmsprop" -> ps -> new RMSprop(ps, 1e-2).momentum(0.9).centered(true);
            default -> ps -> new Adagrad(ps, 0.1).lrDecay(0.01);
        };
        Optimizer wholeOpt = make.apply(List.of(whole));
        Optimizer piecesOpt = make.apply(pieces);
        for (int step = 0; step < 3; step++) {
            float[] g = random(rnd, N);
            whole.setGrad(Tensor.of(g, N));
            for (int p = 0, from = 0; p < pieces.size(); p++, from += PIECE) {
                int len = pieces.get(p).numel();
                float[] part = new float[len];
                System.arraycopy(g, from, part, 0, len);
                pieces.get(p).setGrad(Tensor.of(part, len));
            }
            wholeOpt.step();
            piecesOpt.step();
        }
        double[] expected = new double[N];
        for (int p = 0, from = 0; p < pieces.size(); p++, from += PIECE) {
            double[] part = pieces.get(p).detach().toDoubleArray();
            System.arraycopy(part, 0, expected, from, part.length);
        }
        assertArrayEquals(expected, whole.detach().toDoubleArray(), name);
    }

    private static float[] random(SplittableRandom rnd, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        return x;
    }
}
