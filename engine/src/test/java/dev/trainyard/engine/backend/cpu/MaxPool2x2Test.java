package dev.trainyard.engine.backend.cpu;

import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.backend.ConvGeometry;
import dev.trainyard.engine.backend.Storage;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The 2 x 2, stride 2 max-pool forward against a plain loop over each window in order, bit for bit, replacing the best
 * where greater or NaN as PyTorch's CPU kernel does: the first maximum wins (so -0 before +0 stays -0, and the
 * reverse), a NaN beats any number and the last NaN the earlier ones (its payload is the output's), and the position
 * is the winner's offset in its plane. The shapes take both lane layouts
 * of the vector kernel (one output row per vector, as the cnn's 26 x 26 planes; two rows, as its 11 x 11), rows of
 * more than one vector, odd output heights (a lone last row), dropped odd last rows and columns, and planes split
 * into parallel tasks (the last vectors of a task take the scalar loop).
 */
class MaxPool2x2Test {
    private static final float[] SPECIAL = {-0f, 0f, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY,
            Float.intBitsToFloat(0x7fc00001), Float.intBitsToFloat(0xffc00002), Float.intBitsToFloat(0x7f800003), 1f, 1f};

    @ParameterizedTest(name = "{0}x{1}x{2}x{3}")
    @CsvSource({
            "3, 5, 11, 11",
            "64, 64, 11, 11",
            "2, 3, 26, 26",
            "64, 32, 26, 26",
            "2, 2, 10, 10",
            "1, 3, 8, 8",
            "2, 2, 36, 36",
            "1, 1, 6, 17",
            "2, 1, 9, 7",
            "1, 1, 2, 2",
            "5, 3, 3, 5"})
    void maximumOfEachWindowAndItsPosition(int n, int c, int h, int w) {
        SplittableRandom random = new SplittableRandom(n * 1000L + c * 100L + h * 10L + w);
        float[] x = new float[n * c * h * w];
        for (int i = 0; i < x.length; i++) {
            // few distinct values: many ties, with signed zeros, infinities and NaNs of different payloads
            int r = random.nextInt(6);
            x[i] = r == 0 ? SPECIAL[random.nextInt(SPECIAL.length)] : r < 4 ? random.nextInt(3) - 1f : (float) random.nextGaussian();
        }
        ConvGeometry g = new ConvGeometry(h, w, 2, 2, 2, 2, 0, 0, 1, 1);
        Tensor[] pooled = CpuConvKernels.maxPool2d(Tensor.wrap(Storage.wrap(x), n, c, h, w), g);
        float[] values = pooled[0].storage().floats();
        int[] positions = pooled[1].storage().ints();
        int oh = h / 2;
        int ow = w / 2;
        for (int p = 0, o = 0; p < n * c; p++) {
            for (int y = 0; y < oh; y++) {
                for (int xx = 0; xx < ow; xx++, o++) {
                    int at = maximumInWindowOrder(x, p * h * w, w, 2 * y * w + 2 * xx);
                    assertEquals(at, positions[o], "position of output " + o);
                    assertEquals(Float.floatToRawIntBits(x[p * h * w + at]), Float.floatToRawIntBits(values[o]),
                            "bits of output " + o);
                }
            }
        }
    }

    /**
     * The backward: each output's gradient added to +0 at its winner's place (a -0 becomes +0, NaN payloads stay) and
     * +0 everywhere else, the uncovered odd row and column included, as a scatter into zeros, bit for bit.
     */
    @ParameterizedTest(name = "{0}x{1}x{2}x{3}")
    @CsvSource({
            "3, 5, 11, 11",
            "64, 64, 11, 11",
            "2, 3, 26, 26",
            "2, 2, 10, 10",
            "2, 2, 36, 36",
            "1, 1, 6, 17",
            "2, 1, 9, 7",
            "1, 1, 2, 2",
            "1, 1, 3, 3",
            "5, 3, 3, 5"})
    void backwardAddsEachGradientToItsWinner(int n, int c, int h, int w) {
        SplittableRandom random = new SplittableRandom(n * 1000L + c * 100L + h * 10L + w + 7);
        float[] x = new float[n * c * h * w];
        for (int i = 0; i < x.length; i++) {
            x[i] = random.nextInt(3) == 0 ? SPECIAL[random.nextInt(SPECIAL.length)] : (float) random.nextGaussian();
        }
        ConvGeometry g = new ConvGeometry(h, w, 2, 2, 2, 2, 0, 0, 1, 1);
        int[] shape = {n, c, h, w};
        Tensor[] pooled = CpuConvKernels.maxPool2d(Tensor.wrap(Storage.wrap(x), shape), g);
        int[] positions = pooled[1].storage().ints();
        float[] grad = new float[positions.length];
        for (int i = 0; i < grad.length; i++) {
            grad[i] = random.nextInt(3) == 0 ? SPECIAL[random.nextInt(SPECIAL.length)] : (float) random.nextGaussian();
        }
        float[] dx = CpuConvKernels.maxPool2dBackward(Tensor.wrap(Storage.wrap(grad), pooled[0].shape()), pooled[1], g,
                shape).storage().floats();
        int plane = h * w;
        int outPlane = (h / 2) * (w / 2);
        float[] expected = new float[n * c * plane];
        for (int o = 0; o < grad.length; o++) {
            expected[o / outPlane * plane + positions[o]] += grad[o];
        }
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(dx[i]), "bits of input " + i);
        }
    }

    /** Window order: top left, top right, bottom left, bottom right; a later element wins if greater or NaN. */
    private static int maximumInWindowOrder(float[] x, int base, int w, int corner) {
        int[] window = {corner, corner + 1, corner + w, corner + w + 1};
        int best = window[0];
        for (int k = 1; k < 4; k++) {
            float v = x[base + window[k]];
            float b = x[base + best];
            if (v > b || Float.isNaN(v)) {
                best = window[k];
            }
        }
        return best;
    }
}
