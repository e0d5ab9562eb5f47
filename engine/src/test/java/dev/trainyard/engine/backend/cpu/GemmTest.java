package dev.trainyard.engine.backend.cpu;

import dev.trainyard.engine.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.SplittableRandom;
import java.util.function.BiFunction;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The float32 matrix products against a float64 reference, across block edges and with transposed operands: the
 * blocked Vector API GEMM (through {@code matmul}) and the plain Java one used without the Vector API.
 */
class GemmTest {

    @ParameterizedTest(name = "[{0}x{2}] @ [{2}x{1}] transA={3} transB={4}")
    @CsvSource({
            "1, 1, 1, false, false",
            "5, 7, 3, false, false",
            "6, 32, 256, false, false",
            "97, 65, 300, false, false",
            "64, 256, 784, false, false",
            "130, 33, 513, true, false",
            "37, 129, 70, false, true",
            "200, 70, 90, true, true",
            "1, 1000, 20, false, false",
            "1000, 1, 20, false, true"})
    void matchesFloat64Reference(int m, int n, int k, boolean transA, boolean transB) {
        check(m, n, k, transA, transB, (ta, tb) -> ta.matmul(tb).toFloatArray());
    }

    @ParameterizedTest(name = "plain Java [{0}x{2}] @ [{2}x{1}] transA={3} transB={4}")
    @CsvSource({
            "1, 1, 1, false, false",
            "5, 7, 3, false, false",
            "97, 65, 300, false, false",
            "130, 33, 513, true, false",
            "37, 129, 70, false, true",
            "200, 70, 90, true, true",
            "1000, 1, 20, false, true"})
    void thePlainJavaProductMatchesFloat64Reference(int m, int n, int k, boolean transA, boolean transB) {
        check(m, n, k, transA, transB, (ta, tb) -> {
            float[] out = new float[m * n];
            ScalarGemm.sgemm(m, n, k, matrix(ta), matrix(tb), out, 0);
            return out;
        });
    }

    private static Gemm.Matrix matrix(Tensor t) {
        return new Gemm.Matrix(t.storage().floats(), t.storageOffset(), t.stride()[0], t.stride()[1]);
    }

    private static void check(int m, int n, int k, boolean transA, boolean transB,
                              BiFunction<Tensor, Tensor, float[]> product) {
        SplittableRandom rnd = new SplittableRandom(m * 31L + n * 17L + k);
        float[] a = new float[m * k];
        float[] b = new float[k * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        Tensor ta = transA ? Tensor.of(a, k, m).t() : Tensor.of(a, m, k);
        Tensor tb = transB ? Tensor.of(b, n, k).t() : Tensor.of(b, k, n);
        float[] got = product.apply(ta, tb);
        double worst = 0;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                double mag = 0;
                for (int p = 0; p < k; p++) {
                    double x = transA ? a[p * m + i] : a[i * k + p];
                    double y = transB ? b[j * k + p] : b[p * n + j];
                    s += x * y;
                    mag += Math.abs(x * y);
                }
                worst = Math.max(worst, Math.abs(got[i * n + j] - s) / (mag + 1e-30));
            }
        }
        // float32 accumulation: error relative to the sum of magnitudes stays near k * 2^-24
        assertTrue(worst < 1e-6 * Math.max(1, Math.sqrt(k)), "worst relative error " + worst);
    }
}
