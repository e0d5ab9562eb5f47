package dev.trainyard.engine.data.transforms;

import dev.trainyard.engine.DType;
import dev.trainyard.engine.Generator;
import dev.trainyard.engine.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.trainyard.engine.TensorBits.assertSameBits;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * Normalize builds its mean and std tensors once per dtype, not per image, and gives the bits of building them for
 * each image (torchvision's {@code torch.as_tensor(mean, dtype=tensor.dtype)}), for images of either dtype in any
 * order and from several loader threads at once.
 */
class NormalizeTest {
    private static final double[] MEAN = {0.4914, 0.4822, 0.4465};
    private static final double[] STD = {0.2470, 0.2435, 0.2616};

    /** What apply computed before the tensors were kept: built again from the doubles, in the image's dtype. */
    private static Tensor builtPerImage(Tensor x) {
        Tensor m = Tensor.of(MEAN).to(x.dtype()).view(MEAN.length, 1, 1);
        Tensor s = Tensor.of(STD).to(x.dtype()).view(STD.length, 1, 1);
        return x.sub(m).div(s);
    }

    private static Tensor image(int seed, DType dtype) {
        return Tensor.rand(new int[] {3, 8, 7}, new Generator().manualSeed(seed)).to(dtype);
    }

    @Test
    void theTensorsAreBuiltOncePerDtype() {
        Normalize normalize = new Normalize(MEAN, STD);
        Tensor[] float32 = normalize.meanAndStd(DType.FLOAT32);
        normalize.apply(image(1, DType.FLOAT32));
        normalize.apply(image(2, DType.FLOAT64));
        assertSame(float32, normalize.meanAndStd(DType.FLOAT32));
        Tensor[] float64 = normalize.meanAndStd(DType.FLOAT64);
        assertSame(float64, normalize.meanAndStd(DType.FLOAT64));
        assertNotSame(float32, float64);
    }

    @Test
    void theBitsOfBuildingThemPerImageInEitherDtypeAndOrder() {
        Normalize normalize = new Normalize(MEAN, STD);
        DType[] order = {DType.FLOAT64, DType.FLOAT32, DType.FLOAT32, DType.FLOAT64, DType.FLOAT32};
        for (int i = 0; i < order.length; i++) {
            Tensor x = image(i, order[i]);
            assertSameBits(builtPerImage(x), normalize.apply(x), "image " + i + " (" + order[i] + ")");
        }
        // a batch of images [N, C, H, W] broadcasts over the same tensors
        Tensor batch = Tensor.rand(new int[] {4, 3, 5, 5}, new Generator().manualSeed(9));
        assertSameBits(builtPerImage(batch), normalize.apply(batch), "batch");
    }

    @Test
    void loaderThreadsShareOneInstance() throws Exception {
        Normalize normalize = new Normalize(MEAN, STD);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Tensor>> results = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                Tensor x = image(i, i % 3 == 0 ? DType.FLOAT64 : DType.FLOAT32);
                results.add(pool.submit(() -> normalize.apply(x)));
            }
            for (int i = 0; i < results.size(); i++) {
                Tensor x = image(i, i % 3 == 0 ? DType.FLOAT64 : DType.FLOAT32);
                assertSameBits(builtPerImage(x), results.get(i).get(), "image " + i);
            }
        } finally {
            pool.shutdown();
        }
    }
}
