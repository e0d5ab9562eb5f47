package dev.trainyard.engine.optim;

import dev.trainyard.engine.DType;
import dev.trainyard.engine.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.SplittableRandom;

import static dev.trainyard.engine.TensorBits.assertSameBits;

/**
 * SGD's step (the device's {@code sgdStep} kernel) must give the bits of its update written with {@link Arith} (each
 * operation rounded to the dtype, the multiply-adds fused), over several steps, on 37 elements (whole float vectors
 * and a tail); the surefire parity executions run it on the plain Java kernels too.
 */
class SgdLoopTest {

    @ParameterizedTest(name = "{0} momentum={1} dampening={2} nesterov={3} weight_decay={4} maximize={5}")
    @CsvSource({"FLOAT32, 0, 0, false, 0, false", "FLOAT32, 0.9, 0, false, 0.01, false", "FLOAT32, 0.9, 0.1, false, 0, true",
            "FLOAT32, 0.9, 0, true, 0.05, false", "FLOAT64, 0.9, 0, true, 0.05, true", "FLOAT64, 0, 0, false, 0.02, false",
            "FLOAT64, 0.5, 0.2, false, 0, false"})
    void matchesTheRoundedUpdateLoop(DType dtype, double momentum, double dampening, boolean nesterov, double weightDecay,
                                     boolean maximize) {
        int n = 37;
        SplittableRandom rnd = new SplittableRandom(n);
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = rnd.nextDouble() * 2 - 1;
        }
        Tensor p = Tensor.of(w, n).to(dtype).requiresGrad_(true);
        double lr = 0.1;
        SGD opt = new SGD(List.of(p), lr).momentum(momentum).dampening(dampening).nesterov(nesterov)
                .weightDecay(weightDecay).maximize(maximize);
        Arith a = Arith.of(dtype);
        double[] param = p.detach().toDoubleArray();
        double[] buf = new double[n];
        for (int step = 1; step <= 4; step++) {
            double[] grad = new double[n];
            for (int i = 0; i < n; i++) {
                grad[i] = a.s((rnd.nextDouble() * 2 - 1) * (i % 5 == 0 ? 1e-4 : 1));
            }
            p.setGrad(Tensor.of(grad, n).to(dtype));
            opt.step();
            for (int i = 0; i < n; i++) {
                double d = maximize ? -grad[i] : grad[i];
                if (weightDecay != 0) {
                    d = a.fma(param[i], a.s(weightDecay), d);
                }
                if (momentum != 0) {
                    buf[i] = step == 1 ? d : a.fma(d, a.s(1 - dampening), a.mul(buf[i], a.s(momentum)));
                    d = nesterov ? a.fma(buf[i], a.s(momentum), d) : buf[i];
                }
                param[i] = a.fma(d, a.s(-lr), param[i]);
            }
            assertSameBits(Tensor.of(param, n).to(dtype), p.detach(), "step " + step);
        }
    }
}
