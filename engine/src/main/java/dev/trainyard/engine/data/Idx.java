package dev.trainyard.engine.data;

import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.backend.Storage;
import dev.trainyard.engine.DType;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files (the MNIST format: big-endian magic {@code 0x0000TTDD} with type {@code TT} and {@code DD}
 * dimensions, then one big-endian int32 per dimension, then the data), gzipped or not. Only unsigned bytes
 * ({@code TT = 0x08}) are supported, which is what MNIST-style datasets use.
 */
public final class Idx {
    private static final int UBYTE = 0x08;

    private Idx() {
    }

    /**
     * Reads an unsigned-byte IDX file with {@code dims} dimensions into a uint8 tensor, without copying the data
     * twice. Fails with a message naming the file and what was expected if the magic number, the sizes or the
     * amount of data are wrong.
     *
     * @param expectedTail expected sizes of dimensions 1.. (e.g. {28, 28} for images), or null to accept any
     */
    public static Tensor readUbyte(Path file, int dims, int[] expectedTail) {
        String name = file.toString();
        try (InputStream in = open(file)) {
            int magic = readInt(in, name, "the magic number");
            int expectedMagic = (UBYTE << 8) | dims;
            if (magic != expectedMagic) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%s: expected IDX magic number %d (0x%08X: unsigned bytes, %d dimension%s), found %d (0x%08X)%s", name,
                        expectedMagic, expectedMagic, dims, dims == 1 ? "" : "s", magic, magic, describe(magic)));
            }
            int[] shape = new int[dims];
            long count = 1;
            for (int d = 0; d < dims; d++) {
                shape[d] = readInt(in, name, "the size of dimension " + d);
                if (shape[d] < 0) {
                    throw new IllegalArgumentException(name + ": dimension " + d + " has negative size " + shape[d]);
                }
                count *= shape[d];
            }
            if (expectedTail != null) {
                int[] tail = Arrays.copyOfRange(shape, 1, dims);
                if (!Arrays.equals(tail, expectedTail)) {
                    throw new IllegalArgumentException(name + ": expected items of shape " + Arrays.toString(expectedTail)
                            + ", found shape " + Arrays.toString(shape));
                }
            }
            if (count > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException(name + ": shape " + Arrays.toString(shape) + " is too large (" + count + " bytes)");
            }
            // into an array of the header's size where the file holds that much: readNBytes(int) gathers its chunks in
            // buffers and copies them into the result (Fashion-MNIST's 47 MB of training images: 0.45 s against 0.30);
            // a header claiming more than the file holds reads as before, so that it fails as truncated, not out of memory
            int header = 4 * (dims + 1);
            byte[] data;
            int read;
            if (count <= decompressedSize(file) - header) {
                data = new byte[(int) count];
                read = in.readNBytes(data, 0, data.length);
            } else {
                data = in.readNBytes((int) count);
                read = data.length;
            }
            if (read < count) {
                throw new IllegalArgumentException(name + ": expected " + count + " bytes of data for shape " + Arrays.toString(shape)
                        + ", found only " + read + " (the file is truncated)");
            }
            if (in.read() != -1) {
                throw new IllegalArgumentException(name + ": unexpected data after the " + count + " bytes of shape "
                        + Arrays.toString(shape) + " (is the header wrong?)");
            }
            return Tensor.wrap(Storage.wrap(data, DType.UINT8), shape);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(name + ": file not found");
        } catch (ZipException | EOFException e) {
            // a gzip header cut short is an EOFException without a message
            throw new IllegalArgumentException(name + ": corrupt or truncated gzip data ("
                    + (e.getMessage() != null ? e.getMessage() : "it ends inside the gzip header") + ")");
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": " + e.getMessage(), e);
        }
    }

    private static String describe(int magic) {
        if ((magic >>> 16) == 0x1F8B || (magic >>> 24) == 0x1F) {
            return " (looks like gzip data that did not decompress)";
        }
        if ((magic & 0xFFFF0000) != 0) {
            return " (not an IDX file)";
        }
        int type = (magic >>> 8) & 0xFF;
        return String.format(Locale.ROOT, " (type 0x%02X with %d dimensions)", type, magic & 0xFF);
    }

    /**
     * How many bytes the file holds once decompressed: a plain file's size, or as a gzip file's trailer gives it (its
     * last member's, modulo 2^32), at most 1,032 times the compressed size (deflate's greatest ratio), so that a trailer
     * that lies cannot ask for more than the data could hold.
     */
    private static long decompressedSize(Path file) throws IOException {
        try (SeekableByteChannel channel = Files.newByteChannel(file)) {
            long size = channel.size();
            ByteBuffer head = ByteBuffer.allocate(2);
            channel.read(head);
            if (size < 18 || head.get(0) != (byte) 0x1F || head.get(1) != (byte) 0x8B) {
                return size;
            }
            ByteBuffer trailer = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            channel.position(size - 4).read(trailer);
            return Math.min(Integer.toUnsignedLong(trailer.getInt(0)), 1032 * size);
        }
    }

    /** The file's bytes, decompressed if it starts with the gzip magic bytes. */
    private static InputStream open(Path file) throws IOException {
        BufferedInputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        if (b0 == 0x1F && b1 == 0x8B) {
            return new GZIPInputStream(in, 1 << 16);
        }
        return in;
    }

    private static int readInt(InputStream in, String name, String what) throws IOException {
        byte[] b = in.readNBytes(4);
        if (b.length < 4) {
            throw new IllegalArgumentException(name + ": file ends before " + what + " (the IDX header is truncated)");
        }
        return ((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
    }
}
