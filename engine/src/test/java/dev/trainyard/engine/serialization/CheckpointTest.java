package dev.trainyard.engine.serialization;

import dev.trainyard.engine.DType;
import dev.trainyard.engine.Generator;
import dev.trainyard.engine.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CheckpointTest {
    @TempDir
    Path dir;

    @Test
    void safetensorsRoundTripKeepsDtypesShapesOrderAndBits() throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("b.weight", Tensor.of(new float[] {1.5f, -0f, Float.NaN, Float.MIN_VALUE, 3e38f, -7}, 2, 3));
        tensors.put("a.bias", Tensor.of(new double[] {Math.PI, Double.NEGATIVE_INFINITY}, 2));
        tensors.put("count", Tensor.scalar(42L));
        tensors.put("ids", Tensor.of(new int[] {1, -2, 3}, 3));
        tensors.put("mask", Tensor.of(new boolean[] {true, false}, 2));
        tensors.put("pixels", Tensor.ofUint8(new byte[] {(byte) 255, 0, 7}, 3));
        tensors.put("strided", Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3).t());
        tensors.put("empty", Tensor.zeros(0, 4));
        Path file = dir.resolve("w.safetensors");
        SafeTensors.save(tensors, Map.of("format", "pt"), file);

        SafeTensors.Contents back = SafeTensors.load(file);
        assertEquals(List.copyOf(tensors.keySet()), List.copyOf(back.tensors().keySet()));
        assertEquals(Map.of("format", "pt"), back.metadata());
        for (var e : tensors.entrySet()) {
            Tensor got = back.tensors().get(e.getKey());
            assertEquals(e.getValue().dtype(), got.dtype(), e.getKey());
            assertArrayEquals(e.getValue().shape(), got.shape(), e.getKey());
            assertArrayEquals(bits(e.getValue()), bits(got), e.getKey());
        }
    }

    @Test
    void safetensorsLayoutIsTheDocumentedOne() throws IOException {
        byte[] bytes = SafeTensors.toBytes(Map.of("x", Tensor.of(new float[] {1f}, 1)), Map.of());
        long headerLength = java.nio.ByteBuffer.wrap(bytes, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        String header = new String(bytes, 8, (int) headerLength).strip();
        assertEquals("{\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", header);
        assertEquals(0, headerLength % 8, "header padded to 8 bytes");
        assertEquals(8 + headerLength + 4, bytes.length);
        assertEquals(Float.floatToIntBits(1f), java.nio.ByteBuffer.wrap(bytes, bytes.length - 4, 4)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt());
    }

    @Test
    void truncatedOrCorruptSafetensorsFailWithTheFileName() throws IOException {
        Path file = dir.resolve("w.safetensors");
        SafeTensors.save(Map.of("w", Tensor.ones(10, 10)), file);
        byte[] full = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(full, full.length - 3));
        var e = assertThrows(CorruptCheckpointException.class, () -> SafeTensors.load(file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("truncated data"), e.getMessage());

        byte[] bad = full.clone();
        bad[8] = (byte) 0x23; // the opening brace of the JSON header
        Files.write(file, bad);
        e = assertThrows(CorruptCheckpointException.class, () -> SafeTensors.load(file));
        assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());

        Files.write(file, new byte[] {1, 2, 3});
        e = assertThrows(CorruptCheckpointException.class, () -> SafeTensors.load(file));
        assertTrue(e.getMessage().contains("shorter than the 8-byte header"), e.getMessage());
    }

    @Test
    void checkpointRoundTripsNestedState() throws IOException {
        Map<String, Tensor> model = new LinkedHashMap<>();
        model.put("0.weight", Tensor.of(new float[] {1, 2, 3, 4}, 2, 2));
        model.put("0.bias", Tensor.of(new float[] {0.5f, -0.5f}, 2));
        Map<Integer, Object> perParam = new LinkedHashMap<>();
        perParam.put(0, Map.of("step", 3L, "exp_avg", Tensor.of(new float[] {0.1f, 0.2f}, 2)));
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("model", model);
        state.put("optimizer", Map.of("state", perParam, "param_groups", List.of(Map.of("lr", 1e-3, "betas", List.of(0.9, 0.999)))));
        state.put("epoch", 7L);
        state.put("best", Double.NaN);
        state.put("rng", new byte[] {1, 2, 3});
        state.put("metadata", Map.of("run", "r-1"));
        Path file = dir.resolve("ckpt.zip");
        Checkpoint.save(file, state);

        Map<String, Object> back = Checkpoint.load(file);
        Map<String, Tensor> weights = Checkpoint.tensors(back, "model");
        assertEquals(List.of("0.weight", "0.bias"), List.copyOf(weights.keySet()));
        assertArrayEquals(new float[] {1, 2, 3, 4}, weights.get("0.weight").toFloatArray());
        assertEquals(7L, back.get("epoch"));
        assertTrue(Double.isNaN((Double) back.get("best")));
        assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) back.get("rng"));
        Map<?, ?> opt = (Map<?, ?>) back.get("optimizer");
        Map<?, ?> p0 = (Map<?, ?>) ((Map<?, ?>) opt.get("state")).get(0);
        assertEquals(3L, p0.get("step"));
        assertArrayEquals(new float[] {0.1f, 0.2f}, ((Tensor) p0.get("exp_avg")).toFloatArray());
        assertEquals(List.of(0.9, 0.999), ((Map<?, ?>) ((List<?>) opt.get("param_groups")).get(0)).get("betas"));
        assertEquals(Map.of("run", "r-1"), back.get("metadata"));
    }

    @Test
    void corruptCheckpointNeverLoadsHalfway() throws IOException {
        Path file = dir.resolve("ckpt.zip");
        Checkpoint.save(file, Map.of("model", Map.of("w", Tensor.randn(new int[] {64, 64}, new Generator().manualSeed(1))),
                "epoch", 1L));
        byte[] full = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(full, full.length / 2));
        var e = assertThrows(CorruptCheckpointException.class, () -> Checkpoint.load(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());

        // flip one bit in each of many places inside the entries' data: every one must be caught
        int dataStart = 600;
        int dataEnd = full.length - 400;
        for (int pos = dataStart; pos < dataEnd; pos += 997) {
            byte[] flipped = full.clone();
            flipped[pos] ^= 0x10;
            Files.write(file, flipped);
            int at = pos;
            assertThrows(CorruptCheckpointException.class, () -> Checkpoint.load(file), () -> "bit flip at byte " + at);
        }
    }

    @Test
    void failedSaveLeavesThePreviousCheckpointIntact() throws IOException {
        Path file = dir.resolve("ckpt.zip");
        Checkpoint.save(file, Map.of("epoch", 1L));
        assertThrows(IllegalArgumentException.class, () -> Checkpoint.save(file, Map.of("epoch", 2L, "bad", new Object())));
        assertEquals(1L, Checkpoint.load(file).get("epoch"));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "no temporary files left behind");
        }
    }

    private static long[] bits(Tensor t) {
        if (t.dtype() == DType.FLOAT32) {
            float[] f = t.toFloatArray();
            long[] out = new long[f.length];
            for (int i = 0; i < f.length; i++) {
                out[i] = Float.floatToRawIntBits(f[i]);
            }
            return out;
        }
        if (t.dtype() == DType.FLOAT64) {
            return Arrays.stream(t.toDoubleArray()).mapToLong(Double::doubleToRawLongBits).toArray();
        }
        return t.toLongArray();
    }
}
