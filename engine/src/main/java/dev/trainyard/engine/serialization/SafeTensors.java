package dev.trainyard.engine.serialization;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainyard.engine.DType;
import dev.trainyard.engine.Shapes;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.backend.Storage;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The safetensors format (Hugging Face): an 8-byte little-endian header length, a JSON header naming each tensor's
 * dtype, shape and byte range, then the raw little-endian data. Files written here load in PyTorch with the
 * {@code safetensors} package, and files from it load here.
 */
public final class SafeTensors {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_HEADER = 100L << 20;

    /** Tensors in file order plus the {@code __metadata__} string map. */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {
    }

    private SafeTensors() {
    }

    /** Writes atomically: a crash mid-write leaves the previous file (or none), never a partial one. */
    public static void save(Map<String, Tensor> tensors, Map<String, String> metadata, Path file) throws IOException {
        AtomicFiles.write(file, out -> write(tensors, metadata, out));
    }

    public static void save(Map<String, Tensor> tensors, Path file) throws IOException {
        save(tensors, Map.of(), file);
    }

    public static Contents load(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        }
    }

    public static byte[] toBytes(Map<String, Tensor> tensors, Map<String, String> metadata) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            write(tensors, metadata, bytes);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    public static void write(Map<String, Tensor> tensors, Map<String, String> metadata, OutputStream out) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        if (metadata != null && !metadata.isEmpty()) {
            ObjectNode meta = header.putObject("__metadata__");
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            if (e.getKey().equals("__metadata__")) {
                throw new IllegalArgumentException("safetensors: a tensor cannot be named __metadata__");
            }
            Tensor t = e.getValue();
            long size = (long) t.numel() * t.dtype().itemSize();
            ObjectNode info = header.putObject(e.getKey());
            info.put("dtype", code(t.dtype()));
            var shape = info.putArray("shape");
            for (int s : t.shape()) {
                shape.add(s);
            }
            info.putArray("data_offsets").add(offset).add(offset + size);
            offset += size;
        }
        byte[] json = JSON.writeValueAsBytes(header);
        int padded = (json.length + 7) / 8 * 8;
        byte[] headerBytes = Arrays.copyOf(json, padded);
        Arrays.fill(headerBytes, json.length, padded, (byte) ' ');
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
        out.write(headerBytes);
        for (Tensor t : tensors.values()) {
            out.write(littleEndianBytes(t));
        }
        out.flush();
    }

    public static Contents read(InputStream in, String source) throws IOException {
        byte[] lengthBytes = in.readNBytes(8);
        if (lengthBytes.length < 8) {
            throw corrupt(source, "file is " + lengthBytes.length + " bytes long, shorter than the 8-byte header length");
        }
        long headerLength = ByteBuffer.wrap(lengthBytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (headerLength <= 0 || headerLength > MAX_HEADER) {
            throw corrupt(source, "header length " + headerLength + " is out of range (1 to " + MAX_HEADER + " bytes)");
        }
        byte[] headerBytes = in.readNBytes((int) headerLength);
        if (headerBytes.length < headerLength) {
            throw corrupt(source, "truncated header: expected " + headerLength + " bytes, found " + headerBytes.length);
        }
        JsonNode header;
        try {
            header = JSON.readTree(new String(headerBytes, StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            throw corrupt(source, "header is not valid JSON (" + e.getMessage() + ")");
        }
        if (header == null || !header.isObject()) {
            throw corrupt(source, "header is not a JSON object");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        record Entry(String name, DType dtype, int[] shape, long begin, long end) {
        }
        java.util.List<Entry> entries = new java.util.ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (f.getKey().equals("__metadata__")) {
                metadata.putAll(JSON.convertValue(f.getValue(), new TypeReference<Map<String, String>>() { }));
                continue;
            }
            JsonNode info = f.getValue();
            DType dtype = dtypeOf(info.path("dtype").asText(), f.getKey(), source);
            JsonNode shapeNode = info.path("shape");
            JsonNode offsets = info.path("data_offsets");
            if (!shapeNode.isArray() || !offsets.isArray() || offsets.size() != 2) {
                throw corrupt(source, "tensor '" + f.getKey() + "' lacks a shape array or a [begin, end] data_offsets pair");
            }
            int[] shape = new int[shapeNode.size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = shapeNode.get(i).asInt(-1);
                if (shape[i] < 0) {
                    throw corrupt(source, "tensor '" + f.getKey() + "' has an invalid shape " + shapeNode);
                }
            }
            long begin = offsets.get(0).asLong();
            long end = offsets.get(1).asLong();
            long expected = (long) Shapes.numel(shape) * dtype.itemSize();
            if (end - begin != expected) {
                throw corrupt(source, "tensor '" + f.getKey() + "' of shape " + Arrays.toString(shape) + " and dtype " + dtype
                        + " needs " + expected + " bytes, but its data_offsets span " + (end - begin));
            }
            entries.add(new Entry(f.getKey(), dtype, shape, begin, end));
        }
        entries.sort(java.util.Comparator.comparingLong(Entry::begin));
        long position = 0;
        for (Entry e : entries) {
            if (e.begin() != position) {
                throw corrupt(source, "tensor '" + e.name() + "' starts at byte " + e.begin() + " but the previous data ends at "
                        + position + " (overlapping or gapped data_offsets)");
            }
            position = e.end();
        }
        byte[] data = in.readNBytes((int) Math.min(position, Integer.MAX_VALUE - 8));
        if (data.length < position) {
            throw corrupt(source, "truncated data: the header describes " + position + " bytes of tensor data, the file has "
                    + data.length);
        }
        Map<String, Tensor> byOffset = new LinkedHashMap<>();
        for (Entry e : entries) {
            byOffset.put(e.name(), fromLittleEndian(data, (int) e.begin(), e.dtype(), e.shape()));
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Iterator<String> it = header.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (byOffset.containsKey(name)) {
                tensors.put(name, byOffset.get(name));
            }
        }
        return new Contents(tensors, metadata);
    }

    private static IOException corrupt(String source, String what) {
        return new CorruptCheckpointException(source + ": not a valid safetensors file: " + what);
    }

    static String code(DType dtype) {
        return switch (dtype) {
            case FLOAT32 -> "F32";
            case FLOAT64 -> "F64";
            case INT64 -> "I64";
            case INT32 -> "I32";
            case UINT8 -> "U8";
            case BOOL -> "BOOL";
        };
    }

    private static DType dtypeOf(String code, String name, String source) throws IOException {
        return switch (code) {
            case "F32" -> DType.FLOAT32;
            case "F64" -> DType.FLOAT64;
            case "I64" -> DType.INT64;
            case "I32" -> DType.INT32;
            case "U8" -> DType.UINT8;
            case "BOOL" -> DType.BOOL;
            default -> throw corrupt(source, "tensor '" + name + "' has dtype '" + code
                    + "', which Trainyard does not support (F32, F64, I64, I32, U8, BOOL)");
        };
    }

    private static byte[] littleEndianBytes(Tensor t) {
        Tensor c = t.detach().contiguous();
        int n = c.numel();
        ByteBuffer buf = ByteBuffer.allocate(n * c.dtype().itemSize()).order(ByteOrder.LITTLE_ENDIAN);
        Storage s = c.storage();
        int off = c.storageOffset();
        switch (c.dtype()) {
            case FLOAT32 -> buf.asFloatBuffer().put(s.floats(), off, n);
            case FLOAT64 -> buf.asDoubleBuffer().put(s.doubles(), off, n);
            case INT64 -> buf.asLongBuffer().put(s.longs(), off, n);
            case INT32 -> buf.asIntBuffer().put(s.ints(), off, n);
            case UINT8, BOOL -> buf.put(s.bytes(), off, n);
        }
        return buf.array();
    }

    private static Tensor fromLittleEndian(byte[] data, int begin, DType dtype, int[] shape) {
        int n = Shapes.numel(shape);
        ByteBuffer buf = ByteBuffer.wrap(data, begin, n * dtype.itemSize()).slice().order(ByteOrder.LITTLE_ENDIAN);
        Storage s = Storage.allocate(dtype, n);
        switch (dtype) {
            case FLOAT32 -> buf.asFloatBuffer().get(s.floats());
            case FLOAT64 -> buf.asDoubleBuffer().get(s.doubles());
            case INT64 -> buf.asLongBuffer().get(s.longs());
            case INT32 -> buf.asIntBuffer().get(s.ints());
            case UINT8, BOOL -> buf.get(s.bytes());
        }
        return Tensor.wrap(s, shape);
    }
}
