package dev.trainyard.engine.backend;

import dev.trainyard.engine.DType;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.backend.cpu.CpuKernels;
import dev.trainyard.engine.nn.F;
import dev.trainyard.engine.nn.Reduction;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static dev.trainyard.engine.TensorBits.assertSameBits;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The fused kernels (bias add, cross entropy forward and backward, vector norm, the optimizers' steps): the composed defaults in {@link Kernels},
 * run through a device that overrides none of them, give the bits of the CPU backend's one-pass loops, and the
 * defaults give the bits of the tensor-op composition the nodes replace.
 */
class FusedKernelDefaultsTest {

    private static final long IGNORE = -100;
    private static final Kernels CPU = CpuKernels.INSTANCE;

    private static final Kernels DEFAULTS = ComposedKernels.OVER_CPU;

    @Test
    void theDefaultsRunWithoutTheCpuOverrides() {
        Tensor m = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
        assertSameBits(Tensor.of(new float[] {11, 22, 13, 24}, 2, 2),
                DEFAULTS.addBias(m, Tensor.of(new float[] {10, 20}, 2)), "default addBias");
        assertSameBits(Tensor.of(new float[] {1, 2, 3, 4}, 2, 2), m, "the default leaves its matrix alone");
    }

    @Test
    void addBiasDefaultAndCpuAgreeBitForBit() {
        Tensor.manualSeed(11);
        float[] odd = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0.0f, 0.0f, Float.MIN_VALUE,
                Float.MAX_VALUE, -Float.MAX_VALUE, 1e-30f, 3.4e38f};
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (int[] s : new int[][] {{64, 256}, {64, 10}, {1, 1}, {7, 33}, {0, 5}, {10, 10}}) {
                Tensor m = Tensor.randn(s).mul(100).to(dtype);
                Tensor bias = Tensor.randn(s[1]).to(dtype);
                if (s[0] == 10) {
                    m = Tensor.of(repeat(odd, 10), 10, 10).to(dtype);
                    bias = Tensor.of(odd, 10).to(dtype);
                }
                String name = dtype + " " + Arrays.toString(s);
                Tensor expected = DEFAULTS.addBias(m, bias);
                assertSameBits(m.add(bias), expected, name + ": default vs the broadcast add");
                assertSameBits(expected, CPU.addBias(m.clone(), bias), name + ": cpu");
                // a strided bias (every other element of a longer vector)
                Tensor wide = Tensor.randn(2 * s[1]).to(dtype);
                Tensor strided = wide.asStrided(new int[] {s[1]}, new int[] {2}, 1);
                assertSameBits(DEFAULTS.addBias(m, strided), CPU.addBias(m.clone(), strided), name + ": strided bias");
            }
        }
    }

    @Test
    void crossEntropyDefaultAndCpuAgreeBitForBit() {
        Tensor.manualSeed(12);
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (int[] s : new int[][] {{64, 10}, {6, 5}, {1, 3}, {5, 1}, {17, 100}}) {
                for (double scale : new double[] {1, 10, 1000}) {
                    Tensor x = Tensor.randn(s).mul(scale).to(dtype);
                    long[] t = Tensor.randint(0, s[1], s[0]).toLongArray();
                    t[s[0] / 2] = IGNORE;
                    check(x, Tensor.of(t, s[0]), IGNORE, dtype + " " + Arrays.toString(s) + " x" + scale);
                }
            }
        }
    }

    @Test
    void crossEntropyOnNonFiniteLogitsAndAnIgnoredClassInRange() {
        Tensor.manualSeed(13);
        float[] v = Tensor.randn(6, 5).toFloatArray();
        v[2] = Float.NEGATIVE_INFINITY;
        v[3 * 5 + 2] = 80f;
        v[5 * 5] = Float.NaN;
        v[4 * 5 + 1] = Float.POSITIVE_INFINITY;
        v[1 * 5 + 3] = -0.0f;
        Tensor x = Tensor.of(v, 6, 5);
        Tensor t = Tensor.of(new long[] {0, 3, 4, 2, 1, 1}, 6);
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            check(x.to(dtype), t, IGNORE, dtype + " non-finite");
            // ignoreIndex 1 is a class: rows 4 and 5 are not counted
            check(x.to(dtype), t, 1, dtype + " ignoring class 1");
        }
        // a transposed (strided) logits tensor and target
        Tensor xt = Tensor.randn(5, 6).t();
        Tensor tt = Tensor.of(new long[] {0, 9, 1, 9, 2, 9, 3, 9, 4, 9, 0, 9}, 12).asStrided(new int[] {6}, new int[] {2}, 0);
        check(xt, tt, IGNORE, "strided");
    }

    /** Forward outputs and the gradient for each reduction's upstream gradient: default, CPU and composition agree. */
    private static void check(Tensor x, Tensor target, long ignore, String name) {
        Tensor[] expected = DEFAULTS.crossEntropy(x, target, ignore);
        Tensor[] actual = CPU.crossEntropy(x, target, ignore);
        assertEquals(4, actual.length);
        for (int i = 0; i < 4; i++) {
            assertSameBits(expected[i], actual[i], name + ": forward output " + i);
        }
        Tensor composed = F.nllLoss(x.logSoftmax(1), target, null, (int) ignore, Reduction.NONE);
        assertSameBits(composed, expected[0], name + ": default loss vs log_softmax + nll_loss");

        int rows = x.size(0);
        Tensor perRow = Tensor.randn(rows).to(x.dtype());
        Tensor oneForAll = Tensor.randn(1).to(x.dtype()).asStrided(new int[] {rows}, new int[] {0}, 0);
        for (Tensor g : new Tensor[] {perRow, oneForAll}) {
            Tensor want = DEFAULTS.crossEntropyBackward(g, target, ignore, expected[2], expected[3]);
            assertSameBits(want, CPU.crossEntropyBackward(g, target, ignore, actual[2], actual[3]), name + ": backward");
            Tensor leaf = x.clone().requiresGrad_(true);
            F.nllLoss(leaf.logSoftmax(1), target, null, (int) ignore, Reduction.NONE).backward(g.contiguous());
            assertSameBits(leaf.grad(), want, name + ": default backward vs the composition's");
        }
    }

    @Test
    void vectorNormDefaultCpuAndTheFormerHostLoopAgreeBitForBit() {
        Tensor.manualSeed(14);
        Tensor big = Tensor.randn(256, 784).mul(1e-3);
        Tensor special = Tensor.of(new float[] {0f, -0.0f, 3f, -4f, Float.MIN_VALUE, 1e30f, -1e-30f, Float.MAX_VALUE}, 8);
        Tensor withNaN = Tensor.of(new float[] {1f, Float.NaN, -2f}, 3);
        Tensor[] xs = {big, big.to(DType.FLOAT64), big.t(), special, withNaN, Tensor.randn(10), Tensor.scalar(-2.5),
                Tensor.zeros(0), Tensor.randn(3, 4).to(DType.FLOAT64).t()};
        for (double p : new double[] {2, 1, 0, Double.POSITIVE_INFINITY, 3, 0.5, -1}) {
            for (Tensor x : xs) {
                String name = "p=" + p + " " + x.dtype() + " " + Arrays.toString(x.shape());
                Tensor expected = Tensor.of(new double[] {formerHostNorm(x.toDoubleArray(), p)});
                Tensor byDefault = DEFAULTS.vectorNorm(x, p);
                assertSameBits(expected, byDefault, name + ": default vs the former host loop");
                assertSameBits(byDefault, CPU.vectorNorm(x, p), name + ": cpu");
            }
        }
    }

    @Test
    void adamStepDefaultAndCpuAgreeBitForBit() {
        Tensor.manualSeed(15);
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (int variant = 0; variant < 8; variant++) {
                boolean amsgrad = (variant & 1) != 0;
                boolean decoupled = (variant & 2) != 0;
                boolean maximize = (variant & 4) != 0;
                double lr = 1e-2;
                double wd = variant % 3 == 0 ? 0 : 0.05;
                int n = 37; // not a multiple of any vector length: the vector loop's tail runs too
                Tensor[] byDefault = adamState(n, dtype, amsgrad);
                Tensor[] byCpu = new Tensor[byDefault.length];
                for (int i = 0; i < byDefault.length; i++) {
                    byCpu[i] = byDefault[i] == null ? null : byDefault[i].clone();
                }
                for (int step = 1; step <= 3; step++) {
                    Tensor grad = Tensor.randn(n).mul(step == 2 ? 1e3 : 1).to(dtype);
                    double bc2 = Math.sqrt(1 - Math.pow(0.99, step));
                    AdamStep options = new AdamStep(maximize, decoupled, decoupled ? 0 : r(dtype, wd), r(dtype, 1 - lr * wd),
                            r(dtype, 0.85), r(dtype, 1 - 0.85), r(dtype, 0.99), r(dtype, 1 - 0.99), r(dtype, bc2),
                            r(dtype, 1e-6), r(dtype, -lr / (1 - Math.pow(0.85, step))));
                    DEFAULTS.adamStep(byDefault[0], grad, byDefault[1], byDefault[2], byDefault[3], options);
                    CPU.adamStep(byCpu[0], grad, byCpu[1], byCpu[2], byCpu[3], options);
                    String name = dtype + " amsgrad=" + amsgrad + " adamw=" + decoupled + " maximize=" + maximize
                            + " wd=" + wd + " step " + step;
                    for (int i = 0; i < byDefault.length; i++) {
                        if (byDefault[i] != null) {
                            assertSameBits(byDefault[i], byCpu[i], name + ": tensor " + i);
                        }
                    }
                }
            }
        }
    }

    @Test
    void sgdStepDefaultAndCpuAgreeBitForBit() {
        Tensor.manualSeed(16);
        float[] odd = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0.0f, 0.0f, Float.MIN_VALUE, 1e30f};
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (int variant = 0; variant < 16; variant++) {
                boolean momentum = (variant & 1) != 0;
                boolean nesterov = momentum && (variant & 2) != 0;
                boolean maximize = (variant & 4) != 0;
                double wd = (variant & 8) != 0 ? 0.05 : 0;
                double dampening = momentum && !nesterov && variant % 3 == 0 ? 0.1 : 0;
                int n = 37; // not a multiple of any vector length: the vector loop's tail runs too
                Tensor param = Tensor.randn(n).to(dtype);
                Tensor buf = momentum ? Tensor.zeros(new int[] {n}, dtype) : null;
                Tensor cpuParam = param.clone();
                Tensor cpuBuf = momentum ? buf.clone() : null;
                SgdStep options = new SgdStep(maximize, r(dtype, wd), r(dtype, momentum ? 0.9 : 0), r(dtype, 1 - dampening),
                        nesterov, r(dtype, -0.1));
                for (int step = 1; step <= 3; step++) {
                    float[] g = Tensor.randn(n).mul(step == 2 ? 1e3 : 1).toFloatArray();
                    System.arraycopy(odd, 0, g, step * 7, odd.length);
                    Tensor grad = Tensor.of(g, n).to(dtype);
                    DEFAULTS.sgdStep(param, grad, buf, step == 1, options);
                    CPU.sgdStep(cpuParam, grad, cpuBuf, step == 1, options);
                    String name = dtype + " momentum=" + momentum + " nesterov=" + nesterov + " maximize=" + maximize
                            + " wd=" + wd + " dampening=" + dampening + " step " + step;
                    assertSameBits(param, cpuParam, name + ": param");
                    if (momentum) {
                        assertSameBits(buf, cpuBuf, name + ": momentum buffer");
                    }
                }
            }
        }
    }

    @Test
    void rmspropStepDefaultAndCpuAgreeBitForBit() {
        Tensor.manualSeed(17);
        float[] odd = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0.0f, 0.0f, Float.MIN_VALUE, 1e30f};
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (int variant = 0; variant < 16; variant++) {
                boolean momentum = (variant & 1) != 0;
                boolean centered = (variant & 2) != 0;
                boolean maximize = (variant & 4) != 0;
                double wd = (variant & 8) != 0 ? 0.05 : 0;
                int n = 37; // not a multiple of any vector length: the vector loop's tail runs too
                // {param, square_avg, grad_avg or null, momentum_buffer or null}
                Tensor[] byDefault = {Tensor.randn(n).to(dtype), Tensor.rand(n).mul(0.01).to(dtype),
                        centered ? Tensor.randn(n).mul(0.01).to(dtype) : null, momentum ? Tensor.randn(n).mul(0.1).to(dtype) : null};
                Tensor[] byCpu = new Tensor[byDefault.length];
                for (int i = 0; i < byDefault.length; i++) {
                    byCpu[i] = byDefault[i] == null ? null : byDefault[i].clone();
                }
                RmspropStep options = new RmspropStep(maximize, r(dtype, wd), r(dtype, 0.9), r(dtype, 1 - 0.9), r(dtype, 1e-6),
                        r(dtype, momentum ? 0.8 : 0), r(dtype, -0.01));
                for (int step = 1; step <= 3; step++) {
                    float[] g = Tensor.randn(n).mul(step == 2 ? 1e3 : 1).toFloatArray();
                    if (step == 3) {
                        System.arraycopy(odd, 0, g, 20, odd.length);
                    }
                    Tensor grad = Tensor.of(g, n).to(dtype);
                    DEFAULTS.rmspropStep(byDefault[0], grad, byDefault[1], byDefault[2], byDefault[3], options);
                    CPU.rmspropStep(byCpu[0], grad, byCpu[1], byCpu[2], byCpu[3], options);
                    String name = dtype + " momentum=" + momentum + " centered=" + centered + " maximize=" + maximize
                            + " wd=" + wd + " step " + step;
                    for (int i = 0; i < byDefault.length; i++) {
                        if (byDefault[i] != null) {
                            assertSameBits(byDefault[i], byCpu[i], name + ": tensor " + i);
                        }
                    }
                }
            }
        }
    }

    @Test
    void adagradStepDefaultAndCpuAgreeBitForBit() {
        Tensor.manualSeed(18);
        float[] odd = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0.0f, 0.0f, Float.MIN_VALUE, 1e30f};
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (int variant = 0; variant < 4; variant++) {
                boolean maximize = (variant & 1) != 0;
                double wd = (variant & 2) != 0 ? 0.05 : 0;
                int n = 37; // not a multiple of any vector length: the vector loop's tail runs too
                Tensor param = Tensor.randn(n).to(dtype);
                Tensor sum = Tensor.rand(n).mul(0.1).to(dtype);
                Tensor cpuParam = param.clone();
                Tensor cpuSum = sum.clone();
                for (int step = 1; step <= 3; step++) {
                    AdagradStep options = new AdagradStep(maximize, r(dtype, wd), r(dtype, 1e-10),
                            r(dtype, -0.1 / (1 + (step - 1) * 0.01)));
                    float[] g = Tensor.randn(n).mul(step == 2 ? 1e3 : 1).toFloatArray();
                    if (step == 3) {
                        System.arraycopy(odd, 0, g, 20, odd.length);
                    }
                    Tensor grad = Tensor.of(g, n).to(dtype);
                    DEFAULTS.adagradStep(param, grad, sum, options);
                    CPU.adagradStep(cpuParam, grad, cpuSum, options);
                    String name = dtype + " maximize=" + maximize + " wd=" + wd + " step " + step;
                    assertSameBits(param, cpuParam, name + ": param");
                    assertSameBits(sum, cpuSum, name + ": sum");
                }
            }
        }
    }

    /** {param, exp_avg, exp_avg_sq, max_exp_avg_sq or null}. */
    private static Tensor[] adamState(int n, DType dtype, boolean amsgrad) {
        return new Tensor[] {Tensor.randn(n).to(dtype), Tensor.randn(n).mul(0.1).to(dtype),
                Tensor.rand(n).mul(0.01).to(dtype), amsgrad ? Tensor.rand(n).mul(0.02).to(dtype) : null};
    }

    private static double r(DType dtype, double v) {
        return dtype == DType.FLOAT32 ? (float) v : v;
    }

    /** GradClip's per-gradient norm before it moved behind Kernels (over {@code toDoubleArray()}). */
    private static double formerHostNorm(double[] values, double p) {
        if (p == Double.POSITIVE_INFINITY) {
            double m = 0;
            for (double v : values) {
                double a = Math.abs(v);
                if (a > m || Double.isNaN(a)) {
                    m = a;
                }
            }
            return m;
        }
        if (p == 0) {
            double count = 0;
            for (double v : values) {
                if (v != 0) {
                    count++;
                }
            }
            return count;
        }
        double sum = 0;
        for (double v : values) {
            sum += p == 2 ? v * v : p == 1 ? Math.abs(v) : Math.pow(Math.abs(v), p);
        }
        return p == 1 ? sum : p == 2 ? Math.sqrt(sum) : Math.pow(sum, 1 / p);
    }

    private static float[] repeat(float[] row, int times) {
        float[] out = new float[row.length * times];
        for (int i = 0; i < times; i++) {
            for (int j = 0; j < row.length; j++) {
                out[i * row.length + j] = row[(i + j) % row.length];
            }
        }
        return out;
    }
}
