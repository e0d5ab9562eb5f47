package dev.trainyard.engine.optim;

import dev.trainyard.engine.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * Adam and AdamW on float32 parameters run a float loop; it must give the same bits as the update written with
 * {@link Arith} (double arithmetic rounded to float after every operation), over several steps.
 */
class AdamFloat32LoopTest {

    @ParameterizedTest(name = "adamw={0} weight_decay={1} maximize={2}")
    @CsvSource({"false, 0, false", "false, 0.01, false", "true, 0.05, false", "false, 0.02, true", "true, 0, true"})
    void matchesTheRoundedDoubleUpdate(boolean adamw, double weightDecay, boolean maximize) {
        int n = 37;
        SplittableRandom rnd = new SplittableRandom(n + (adamw ? 1 : 0) + (maximize ? 2 : 0));
        float[] w = new float[n];
        for (int i = 0; i < n; i++) {
            w[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        Tensor p = Tensor.of(w, n).requiresGrad_(true);
        double lr = 1e-2;
        double beta1 = 0.85;
        double beta2 = 0.99;
        double eps = 1e-6;
        AdamFamily<?> opt = adamw ? new AdamW(List.of(p), lr) : new Adam(List.of(p), lr);
        opt.betas(beta1, beta2).eps(eps).weightDecay(weightDecay).maximize(maximize);
        Arith a = Arith.F32;
        double[] param = new double[n];
        double[] m = new double[n];
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            param[i] = w[i];
        }
        for (int step = 1; step <= 5; step++) {
            float[] grad = new float[n];
            for (int i = 0; i < n; i++) {
                grad[i] = (float) (rnd.nextDouble() * 2 - 1) * (i % 5 == 0 ? 1e-4f : 1f);
            }
            p.setGrad(Tensor.of(grad, n));
            opt.step();
            double stepSize = lr / (1 - Math.pow(beta1, step));
            double bc2Sqrt = a.s(Math.sqrt(1 - Math.pow(beta2, step)));
            for (int i = 0; i < n; i++) {
                double g = maximize ? -grad[i] : grad[i];
                double x = param[i];
                if (adamw) {
                    x = a.mul(x, a.s(1 - lr * weightDecay));
                } else if (weightDecay != 0) {
                    g = a.fma(x, a.s(weightDecay), g);
                }
                m[i] = a.fma(g, a.s(1 - beta1), a.mul(m[i], a.s(beta1)));
                v[i] = a.fma(a.mul(a.s(1 - beta2), g), g, a.mul(v[i], a.s(beta2)));
                double denom = a.add(a.div(a.sqrt(v[i]), bc2Sqrt), a.s(eps));
                param[i] = a.add(x, a.div(a.mul(a.s(-stepSize), m[i]), denom));
            }
            float[] expected = new float[n];
            for (int i = 0; i < n; i++) {
                expected[i] = (float) param[i];
            }
            assertArrayEquals(expected, p.detach().toFloatArray(), "step " + step);
        }
    }
}
