package dev.trainyard.engine.data;

import dev.trainyard.engine.DType;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.data.transforms.Compose;
import dev.trainyard.engine.data.transforms.Normalize;
import dev.trainyard.engine.data.transforms.ToTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** MNIST-style IDX datasets: small generated files (gzipped and not), malformed files, and the real Fashion-MNIST. */
class MnistTest {
    static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist");

    /** The bytes of an IDX file: magic, sizes, data. */
    static byte[] idx(int magic, int[] sizes, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * sizes.length + data.length);
        b.putInt(magic);
        for (int s : sizes) {
            b.putInt(s);
        }
        b.put(data);
        return b.array();
    }

    static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }

    /** Image i has pixel (r, c) = (i * 31 + r * 7 + c) mod 256; label i is (3 * i) mod 10. */
    static byte[] pixels(int n) {
        byte[] data = new byte[n * 28 * 28];
        for (int i = 0; i < n; i++) {
            for (int r = 0; r < 28; r++) {
                for (int c = 0; c < 28; c++) {
                    data[i * 784 + r * 28 + c] = (byte) (i * 31 + r * 7 + c);
                }
            }
        }
        return data;
    }

    static byte[] labels(int n) {
        byte[] data = new byte[n];
        for (int i = 0; i < n; i++) {
            data[i] = (byte) (3 * i % 10);
        }
        return data;
    }

    static void writeSplit(Path dir, String split, int n, boolean gz) throws IOException {
        Files.createDirectories(dir);
        byte[] images = idx(0x803, new int[] {n, 28, 28}, pixels(n));
        byte[] labels = idx(0x801, new int[] {n}, labels(n));
        Files.write(dir.resolve(split + "-images-idx3-ubyte" + (gz ? ".gz" : "")), gz ? gzip(images) : images);
        Files.write(dir.resolve(split + "-labels-idx1-ubyte" + (gz ? ".gz" : "")), gz ? gzip(labels) : labels);
    }

    private static void checkContents(MNIST ds, int n) {
        assertEquals(n, ds.size());
        assertArrayEquals(new int[] {n, 28, 28}, ds.data().shape());
        assertEquals(DType.UINT8, ds.data().dtype());
        assertEquals(DType.INT64, ds.targets().dtype());
        byte[] expected = pixels(n);
        long[] actual = ds.data().toLongArray();
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i] & 0xFF, actual[i], "pixel " + i);
        }
        long[] targets = ds.targets().toLongArray();
        for (int i = 0; i < n; i++) {
            assertEquals(3 * i % 10, targets[i]);
        }
    }

    @Test
    void readsPlainAndGzippedFiles(@TempDir Path dir) throws IOException {
        writeSplit(dir.resolve("plain"), "train", 5, false);
        writeSplit(dir.resolve("gz"), "train", 5, true);
        writeSplit(dir.resolve("gz"), "t10k", 3, true);
        checkContents(new MNIST(dir.resolve("plain"), true), 5);
        checkContents(new MNIST(dir.resolve("gz"), true), 5);
        checkContents(new FashionMNIST(dir.resolve("gz"), false), 3);
    }

    @Test
    void findsTorchvisionLayout(@TempDir Path dir) throws IOException {
        writeSplit(dir.resolve("FashionMNIST").resolve("raw"), "train", 4, true);
        var ds = new FashionMNIST(dir, true);
        checkContents(ds, 4);
        assertEquals("Ankle boot", ds.classes().get(9));
    }

    @Test
    void getAppliesTheTransform(@TempDir Path dir) throws IOException {
        writeSplit(dir, "train", 3, false);
        var raw = new MNIST(dir, true);
        Sample s = raw.get(2);
        assertArrayEquals(new int[] {28, 28}, s.x().shape());
        assertEquals(DType.UINT8, s.x().dtype());
        assertEquals(0, s.y().dim());
        assertEquals(6, s.y().itemLong());

        var ds = new MNIST(dir, true, new Compose(new ToTensor(), new Normalize(new double[] {0.5}, new double[] {0.25})));
        Tensor x = ds.get(2).x();
        assertArrayEquals(new int[] {1, 28, 28}, x.shape());
        assertEquals(DType.FLOAT32, x.dtype());
        float[] v = x.toFloatArray();
        int pixel = (2 * 31 + 5 * 7 + 9) & 0xFF; // row 5, column 9
        assertEquals(((pixel / 255f) - 0.5f) / 0.25f, v[5 * 28 + 9]);
        assertThrows(IndexOutOfBoundsException.class, () -> ds.get(3));
    }

    private static String error(Path root, boolean train) {
        return assertThrows(IllegalArgumentException.class, () -> new MNIST(root, train)).getMessage();
    }

    @Test
    void missingFileNamesWhatWasExpected(@TempDir Path dir) {
        String msg = error(dir, true);
        assertTrue(msg.contains("train-images-idx3-ubyte or train-images-idx3-ubyte.gz") && msg.contains(dir.toString())
                && msg.contains("never downloaded"), msg);
    }

    @Test
    void wrongMagicNumber(@TempDir Path dir) throws IOException {
        writeSplit(dir, "train", 2, true);
        // a labels file where the images should be
        Files.copy(dir.resolve("train-labels-idx1-ubyte.gz"), dir.resolve("train-images-idx3-ubyte.gz"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        String msg = error(dir, true);
        assertTrue(msg.contains("train-images-idx3-ubyte.gz") && msg.contains("expected IDX magic number 2051 (0x00000803")
                && msg.contains("found 2049 (0x00000801)"), msg);
    }

    @Test
    void notAnIdxFile(@TempDir Path dir) throws IOException {
        writeSplit(dir, "train", 2, false);
        Files.writeString(dir.resolve("train-images-idx3-ubyte"), "<html>404 not found</html>");
        String msg = error(dir, true);
        assertTrue(msg.contains("train-images-idx3-ubyte") && msg.contains("not an IDX file"), msg);
    }

    @Test
    void truncatedData(@TempDir Path dir) throws IOException {
        writeSplit(dir, "train", 3, false);
        Path images = dir.resolve("train-images-idx3-ubyte");
        byte[] bytes = Files.readAllBytes(images);
        Files.write(images, Arrays.copyOf(bytes, bytes.length - 100));
        String msg = error(dir, true);
        assertTrue(msg.contains("train-images-idx3-ubyte") && msg.contains("expected 2352 bytes of data for shape [3, 28, 28]")
                && msg.contains("found only 2252") && msg.contains("truncated"), msg);
    }

    @Test
    void aGzippedFileHoldingFewerImagesThanItsHeaderSaysFailsAsTruncated(@TempDir Path dir) throws IOException {
        writeSplit(dir, "train", 3, true);
        // the header claims 2,700,000 images (2.1 GB): read as far as the data goes, not allocated up front
        byte[] images = idx(0x803, new int[] {2_700_000, 28, 28}, pixels(3));
        Files.write(dir.resolve("train-images-idx3-ubyte.gz"), gzip(images));
        String msg = error(dir, true);
        assertTrue(msg.contains("train-images-idx3-ubyte.gz") && msg.contains("expected 2116800000 bytes of data")
                && msg.contains("found only 2352") && msg.contains("truncated"), msg);
    }

    @Test
    void truncatedHeader(@TempDir Path dir) throws IOException {
        writeSplit(dir, "train", 3, true);
        Files.write(dir.resolve("train-labels-idx1-ubyte.gz"), gzip(new byte[] {0, 0, 8, 1, 0, 0}));
        String msg = error(dir, true);
        assertTrue(msg.contains("train-labels-idx1-ubyte.gz") && msg.contains("header is truncated"), msg);
    }

    @Test
    void corruptGzip(@TempDir Path dir) throws IOException {
        writeSplit(dir, "train", 3, true);
        Path images = dir.resolve("train-images-idx3-ubyte.gz");
        byte[] bytes = Files.readAllBytes(images);
        Files.write(images, Arrays.copyOf(bytes, bytes.length / 2));
        String msg = error(dir, true);
        assertTrue(msg.contains("train-images-idx3-ubyte.gz") && (msg.contains("gzip") || msg.contains("truncated")), msg);
    }

    @Test
    void aGzipHeaderCutShortSaysSo(@TempDir Path dir) throws IOException {
        writeSplit(dir, "train", 3, true);
        Path images = dir.resolve("train-images-idx3-ubyte.gz");
        Files.write(images, Arrays.copyOf(Files.readAllBytes(images), 5));
        String msg = error(dir, true);
        assertTrue(msg.endsWith("train-images-idx3-ubyte.gz: corrupt or truncated gzip data (it ends inside the gzip "
                + "header)"), msg);
        assertTrue(!msg.contains("null"), msg);
    }

    @Test
    void wrongImageSize(@TempDir Path dir) throws IOException {
        writeSplit(dir, "train", 2, false);
        Files.write(dir.resolve("train-images-idx3-ubyte"), idx(0x803, new int[] {2, 32, 32}, new byte[2 * 32 * 32]));
        String msg = error(dir, true);
        assertTrue(msg.contains("expected items of shape [28, 28], found shape [2, 32, 32]"), msg);
    }

    @Test
    void trailingBytes(@TempDir Path dir) throws IOException {
        writeSplit(dir, "train", 2, false);
        byte[] labels = idx(0x801, new int[] {2}, new byte[] {1, 2, 3});
        Files.write(dir.resolve("train-labels-idx1-ubyte"), labels);
        String msg = error(dir, true);
        assertTrue(msg.contains("train-labels-idx1-ubyte") && msg.contains("unexpected data after the 2 bytes"), msg);
    }

    @Test
    void labelCountAndRange(@TempDir Path dir) throws IOException {
        writeSplit(dir, "train", 3, false);
        Files.write(dir.resolve("train-labels-idx1-ubyte"), idx(0x801, new int[] {2}, new byte[] {1, 2}));
        String msg = error(dir, true);
        assertTrue(msg.contains("has 2 labels but") && msg.contains("has 3 images"), msg);
        Files.write(dir.resolve("train-labels-idx1-ubyte"), idx(0x801, new int[] {3}, new byte[] {1, 12, 2}));
        msg = error(dir, true);
        assertTrue(msg.contains("label 12 at index 1 is out of range for 10 classes"), msg);
    }

    @Test
    void realFashionMnist() {
        assumeTrue(Files.isDirectory(FASHION), "Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist)");
        var train = new FashionMNIST(FASHION, true);
        assertArrayEquals(new int[] {60000, 28, 28}, train.data().shape());
        assertEquals(DType.UINT8, train.data().dtype());
        long[] counts = new long[10];
        for (long y : train.targets().toLongArray()) {
            counts[(int) y]++;
        }
        long[] expected = new long[10];
        Arrays.fill(expected, 6000);
        assertArrayEquals(expected, counts);

        var test = new FashionMNIST(FASHION, false, new ToTensor());
        assertEquals(10000, test.size());
        Tensor x = test.get(0).x();
        assertArrayEquals(new int[] {1, 28, 28}, x.shape());
        assertEquals(9, test.get(0).y().itemLong()); // the first test image is an ankle boot
        // mean pixel of the training set, a well-known constant (0.2860)
        double sum = 0;
        for (byte v : train.data().contiguous().storage().bytes()) {
            sum += v & 0xFF;
        }
        assertEquals(0.2860, sum / 255.0 / (60000.0 * 784), 5e-5);
    }
}
