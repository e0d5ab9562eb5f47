package dev.trainyard.engine.ops;

import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.backend.ConvGeometry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** im2row and row2im against plain loops, for windows inside the image (the fast paths) and with padding. */
class UnfoldFoldTest {

    @ParameterizedTest(name = "{0}x{1} image, {2}x{3} kernel, stride {4}x{5}, padding {6}x{7}")
    @CsvSource({
            "13, 13, 3, 3, 1, 1, 0, 0",
            "9, 11, 2, 3, 2, 3, 0, 0",
            "28, 28, 3, 3, 1, 1, 0, 0",
            "8, 7, 3, 2, 2, 1, 1, 1"})
    void matchPlainLoops(int h, int w, int kh, int kw, int sh, int sw, int ph, int pw) {
        int n = 3;
        int c = 4;
        ConvGeometry g = new ConvGeometry(h, w, kh, kw, sh, sw, ph, pw, 1, 1);
        int oh = g.outH();
        int ow = g.outW();
        int width = c * kh * kw;
        SplittableRandom rnd = new SplittableRandom(h * 31L + kw * 7L + sh);
        float[] image = new float[n * c * h * w];
        for (int i = 0; i < image.length; i++) {
            image[i] = (float) rnd.nextDouble();
        }
        float[] rows = new float[n * oh * ow * width];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = (float) rnd.nextDouble();
        }
        float[] expectedRows = new float[rows.length];
        float[] expectedImage = new float[image.length];
        for (int b = 0; b < n; b++) {
            for (int y = 0; y < oh; y++) {
                for (int x = 0; x < ow; x++) {
                    for (int ch = 0; ch < c; ch++) {
                        for (int i = 0; i < kh; i++) {
                            for (int j = 0; j < kw; j++) {
                                int iy = y * sh - ph + i;
                                int ix = x * sw - pw + j;
                                int r = ((b * oh + y) * ow + x) * width + (ch * kh + i) * kw + j;
                                if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                                    int at = ((b * c + ch) * h + iy) * w + ix;
                                    expectedRows[r] = image[at];
                                    expectedImage[at] += rows[r];
                                }
                            }
                        }
                    }
                }
            }
        }
        assertArrayEquals(expectedRows, Convolution.unfold(Tensor.of(image, n, c, h, w), g, 0.0).toFloatArray());
        assertArrayEquals(expectedImage, Convolution.fold(Tensor.of(rows, n, oh * ow, width), c, g).toFloatArray());
    }
}
