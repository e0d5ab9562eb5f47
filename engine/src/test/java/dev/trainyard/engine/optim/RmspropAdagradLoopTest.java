package dev.trainyard.engine.optim;

import dev.trainyard.engine.DType;
import dev.trainyard.engine.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static dev.trainyard.engine.TensorBits.assertSameBits;

/**
 * RMSprop's and Adagrad's steps (the device's {@code rmspropStep} and {@code adagradStep} kernels) must give the bits
 * of the host loops they replaced, written with {@link Arith} (each operation rounded to the dtype, the multiply-adds
 * fused, PyTorch's single-tensor order), over several steps, on 37 elements (whole float vectors and a tail), the state
 * buffers included; the surefire parity executions run it on the plain Java kernels too.
 */
class RmspropAdagradLoopTest {
    private static final int N = 37;
    private static final int STEPS = 5;

    @ParameterizedTest(name = "{0} alpha={1} eps={2} weight_decay={3} momentum={4} centered={5} maximize={6}")
    @CsvSource({"FLOAT32, 0.99, 1e-8, 0, 0, false, false", "FLOAT32, 0.9, 1e-6, 0.01, 0.9, false, false",
            "FLOAT32, 0.99, 1e-8, 0, 0, true, true", "FLOAT32, 0.8, 1e-3, 0.05, 0.5, true, false",
            "FLOAT32, 0.99, 1e-8, 0.01, 0, false, true", "FLOAT64, 0.99, 1e-8, 0, 0.9, true, true",
            "FLOAT64, 0.9, 1e-6, 0.02, 0, false, false"})
    void rmspropMatchesTheFormerHostLoop(DType dtype, double alpha, double eps, double weightDecay, double momentum,
                                         boolean centered, boolean maximize) {
        SplittableRandom rnd = new SplittableRandom(7);
        Tensor p = randomParam(rnd, dtype);
        double lr = 0.01;
        RMSprop opt = new RMSprop(List.of(p), lr).alpha(alpha).eps(eps).weightDecay(weightDecay).momentum(momentum)
                .centered(centered).maximize(maximize);
        Arith a = Arith.of(dtype);
        double[] param = p.detach().toDoubleArray();
        double[] sq = new double[N];
        double[] buf = new double[N];
        double[] ga = new double[N];
        for (int step = 1; step <= STEPS; step++) {
            double[] grad = randomGrad(rnd, a);
            p.setGrad(Tensor.of(grad, N).to(dtype));
            opt.step();
            double al = a.s(alpha);
            double oneMinusAlpha = a.s(1 - alpha);
            double epsS = a.s(eps);
            double mom = a.s(momentum);
            double negLr = a.s(-lr);
            for (int i = 0; i < N; i++) {
                double g = maximize ? -grad[i] : grad[i];
                if (weightDecay != 0) {
                    g = a.fma(param[i], a.s(weightDecay), g);
                }
                sq[i] = a.fma(a.mul(oneMinusAlpha, g), g, a.mul(sq[i], al));
                double avg;
                if (centered) {
                    ga[i] = a.fma(g, oneMinusAlpha, a.mul(ga[i], al));
                    avg = a.sqrt(a.fma(-ga[i], ga[i], sq[i]));
                } else {
                    avg = a.sqrt(sq[i]);
                }
                avg = a.add(avg, epsS);
                if (momentum > 0) {
                    buf[i] = a.add(a.mul(buf[i], mom), a.div(g, avg));
                    param[i] = a.fma(buf[i], negLr, param[i]);
                } else {
                    param[i] = a.add(param[i], a.div(a.mul(negLr, g), avg));
                }
            }
            String name = "step " + step;
            assertSameBits(Tensor.of(param, N).to(dtype), p.detach(), name + ": param");
            assertSameBits(Tensor.of(sq, N).to(dtype), (Tensor) opt.state(p).get("square_avg"), name + ": square_avg");
            if (momentum > 0) {
                assertSameBits(Tensor.of(buf, N).to(dtype), (Tensor) opt.state(p).get("momentum_buffer"), name + ": momentum_buffer");
            }
            if (centered) {
                assertSameBits(Tensor.of(ga, N).to(dtype), (Tensor) opt.state(p).get("grad_avg"), name + ": grad_avg");
            }
        }
    }

    @ParameterizedTest(name = "{0} lr_decay={1} weight_decay={2} initial_accumulator_value={3} eps={4} maximize={5}")
    @CsvSource({"FLOAT32, 0, 0, 0, 1e-10, false", "FLOAT32, 0.05, 0.01, 0, 1e-10, false", "FLOAT32, 0, 0, 0.1, 1e-8, true",
            "FLOAT32, 0.01, 0.05, 0.2, 1e-3, true", "FLOAT64, 0.05, 0.01, 0.1, 1e-10, true", "FLOAT64, 0, 0, 0, 1e-10, false"})
    void adagradMatchesTheFormerHostLoop(DType dtype, double lrDecay, double weightDecay, double initial, double eps,
                                         boolean maximize) {
        SplittableRandom rnd = new SplittableRandom(8);
        Tensor p = randomParam(rnd, dtype);
        double lr = 0.1;
        Adagrad opt = new Adagrad(List.of(p), lr).lrDecay(lrDecay).weightDecay(weightDecay).initialAccumulatorValue(initial)
                .eps(eps).maximize(maximize);
        Arith a = Arith.of(dtype);
        double[] param = p.detach().toDoubleArray();
        double[] sum = new double[N];
        Arrays.fill(sum, a.s(initial));
        for (int step = 1; step <= STEPS; step++) {
            double[] grad = randomGrad(rnd, a);
            p.setGrad(Tensor.of(grad, N).to(dtype));
            opt.step();
            double epsS = a.s(eps);
            double negClr = a.s(-(lr / (1 + (step - 1) * lrDecay)));
            for (int i = 0; i < N; i++) {
                double g = maximize ? -grad[i] : grad[i];
                if (weightDecay != 0) {
                    g = a.fma(param[i], a.s(weightDecay), g);
                }
                sum[i] = a.fma(g, g, sum[i]);
                double std = a.add(a.sqrt(sum[i]), epsS);
                param[i] = a.add(param[i], a.div(a.mul(negClr, g), std));
            }
            String name = "step " + step;
            assertSameBits(Tensor.of(param, N).to(dtype), p.detach(), name + ": param");
            assertSameBits(Tensor.of(sum, N).to(dtype), (Tensor) opt.state(p).get("sum"), name + ": sum");
        }
    }

    private static Tensor randomParam(SplittableRandom rnd, DType dtype) {
        double[] w = new double[N];
        for (int i = 0; i < N; i++) {
            w[i] = rnd.nextDouble() * 2 - 1;
        }
        return Tensor.of(w, N).to(dtype).requiresGrad_(true);
    }

    /** Gradients of the dtype's precision, some tiny (so eps matters) and some large. */
    private static double[] randomGrad(SplittableRandom rnd, Arith a) {
        double[] grad = new double[N];
        for (int i = 0; i < N; i++) {
            grad[i] = a.s((rnd.nextDouble() * 2 - 1) * (i % 5 == 0 ? 1e-4 : i % 7 == 0 ? 1e3 : 1));
        }
        return grad;
    }
}
