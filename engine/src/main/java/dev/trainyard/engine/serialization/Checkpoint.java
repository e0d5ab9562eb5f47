package dev.trainyard.engine.serialization;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.trainyard.engine.Tensor;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Saves and loads a nested state, as {@code torch.save}/{@code torch.load} of a dict: values may be maps, lists,
 * strings, numbers, booleans, byte arrays and tensors.
 *
 * <p>The file is a zip. Each top-level entry whose value maps names to tensors (a model's {@code stateDict()}) is
 * stored as its own safetensors file, {@code <key>.safetensors}, which PyTorch loads directly; everything else is
 * {@code state.json}, with its tensors in {@code tensors.safetensors}. Writes are atomic, and a truncated or corrupt
 * file fails to load with a {@link CorruptCheckpointException} (zip CRCs are checked) — never a half-loaded state.
 *
 * <pre>{@code
 * Checkpoint.save(path, Map.of("model", model.stateDict(), "optimizer", opt.stateDict(), "epoch", 3));
 * Map<String, Object> state = Checkpoint.load(path);
 * model.loadStateDict(Checkpoint.tensors(state, "model"));
 * }</pre>
 */
public final class Checkpoint {
    private static final ObjectMapper JSON = new ObjectMapper().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    private static final String STATE = "state.json";
    private static final String TENSORS = "tensors.safetensors";
    private static final String FORMAT = "trainyard-checkpoint/1";

    private Checkpoint() {
    }

    public static void save(Path file, Map<String, ?> state) throws IOException {
        Map<String, Map<String, Tensor>> weightFiles = new LinkedHashMap<>();
        Map<String, Tensor> looseTensors = new LinkedHashMap<>();
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("format", FORMAT);
        ObjectNode body = json.putObject("state");
        for (Map.Entry<String, ?> e : state.entrySet()) {
            Map<String, Tensor> weights = asTensorMap(e.getValue());
            if (weights != null) {
                weightFiles.put(e.getKey(), weights);
                body.putObject(e.getKey()).put("__safetensors__", e.getKey() + ".safetensors");
            } else {
                body.set(e.getKey(), encode(e.getValue(), e.getKey(), looseTensors));
            }
        }
        AtomicFiles.write(file, out -> {
            try (ZipOutputStream zip = new ZipOutputStream(new NonClosing(out))) {
                zip.putNextEntry(new ZipEntry(STATE));
                JSON.writerWithDefaultPrettyPrinter().writeValue(zip, json);
                zip.closeEntry();
                zip.putNextEntry(new ZipEntry(TENSORS));
                SafeTensors.write(looseTensors, Map.of(), zip);
                zip.closeEntry();
                for (Map.Entry<String, Map<String, Tensor>> w : weightFiles.entrySet()) {
                    zip.putNextEntry(new ZipEntry(w.getKey() + ".safetensors"));
                    SafeTensors.write(w.getValue(), Map.of("format", "pt"), zip);
                    zip.closeEntry();
                }
            }
        });
    }

    public static Map<String, Object> load(Path file) throws IOException {
        String source = file.toString();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Map<String, byte[]> entries = new LinkedHashMap<>();
            for (Iterator<? extends ZipEntry> it = zip.entries().asIterator(); it.hasNext(); ) {
                ZipEntry e = it.next();
                byte[] bytes;
                try (var in = zip.getInputStream(e)) {
                    bytes = in.readAllBytes();
                }
                // ZipFile, unlike ZipInputStream, does not verify CRCs: check them, or a flipped bit loads silently
                java.util.zip.CRC32 crc = new java.util.zip.CRC32();
                crc.update(bytes);
                if (e.getCrc() != -1 && crc.getValue() != e.getCrc()) {
                    throw new CorruptCheckpointException(source + ": corrupt checkpoint: entry " + e.getName()
                            + " fails its CRC check");
                }
                entries.put(e.getName(), bytes);
            }
            byte[] stateBytes = entries.get(STATE);
            if (stateBytes == null || !entries.containsKey(TENSORS)) {
                throw new CorruptCheckpointException(source + ": not a Trainyard checkpoint (expected zip entries " + STATE
                        + " and " + TENSORS + ", found " + entries.keySet() + ")");
            }
            JsonNode json = JSON.readTree(stateBytes);
            if (!FORMAT.equals(json.path("format").asText())) {
                throw new CorruptCheckpointException(source + ": unsupported checkpoint format '" + json.path("format").asText()
                        + "', expected " + FORMAT);
            }
            Map<String, Tensor> loose = SafeTensors.read(new ByteArrayInputStream(entries.get(TENSORS)), source + "!" + TENSORS).tensors();
            Map<String, Object> state = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = json.path("state").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                JsonNode weightsFile = f.getValue().get("__safetensors__");
                if (weightsFile != null) {
                    byte[] bytes = entries.get(weightsFile.asText());
                    if (bytes == null) {
                        throw new CorruptCheckpointException(source + ": entry " + weightsFile.asText() + " is missing");
                    }
                    state.put(f.getKey(), SafeTensors.read(new ByteArrayInputStream(bytes), source + "!" + weightsFile.asText()).tensors());
                } else {
                    state.put(f.getKey(), decode(f.getValue(), loose, source));
                }
            }
            return state;
        } catch (NoSuchFileException e) {
            throw e;
        } catch (ZipException e) {
            throw new CorruptCheckpointException(source + ": corrupt or truncated checkpoint (" + e.getMessage() + ")");
        } catch (CorruptCheckpointException e) {
            throw e;
        } catch (IOException e) {
            if (e.getClass() == IOException.class || e instanceof java.io.EOFException) {
                throw new CorruptCheckpointException(source + ": corrupt or truncated checkpoint (" + e.getMessage() + ")");
            }
            throw e;
        }
    }

    /** The tensor map stored under {@code key}, e.g. a model's state dict; fails clearly if it is something else. */
    @SuppressWarnings("unchecked")
    public static Map<String, Tensor> tensors(Map<String, Object> state, String key) {
        Object v = state.get(key);
        Map<String, Tensor> m = asTensorMap(v);
        if (m == null) {
            throw new IllegalArgumentException("checkpoint entry '" + key + "' is " + (v == null ? "missing" : "not a map of tensors")
                    + "; entries: " + state.keySet());
        }
        return m;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Tensor> asTensorMap(Object v) {
        if (!(v instanceof Map<?, ?> m) || m.isEmpty()) {
            return null;
        }
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getKey() instanceof String) || !(e.getValue() instanceof Tensor)) {
                return null;
            }
        }
        return (Map<String, Tensor>) m;
    }

    private static JsonNode encode(Object v, String path, Map<String, Tensor> tensors) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (v == null) {
            return f.nullNode();
        }
        if (v instanceof Tensor t) {
            tensors.put(path, t);
            return f.objectNode().put("__tensor__", path);
        }
        if (v instanceof byte[] bytes) {
            return f.objectNode().put("__bytes__", Base64.getEncoder().encodeToString(bytes));
        }
        if (v instanceof Map<?, ?> m) {
            ObjectNode o = f.objectNode();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                String key = String.valueOf(e.getKey());
                if (key.startsWith("__") && key.endsWith("__")) {
                    throw new IllegalArgumentException("checkpoint: key '" + key + "' at " + path + " is reserved");
                }
                o.set(key, encode(e.getValue(), path + "." + key, tensors));
            }
            if (!m.isEmpty() && m.keySet().iterator().next() instanceof Integer) {
                return f.objectNode().set("__intkeys__", o);
            }
            return o;
        }
        if (v instanceof List<?> l) {
            ArrayNode a = f.arrayNode();
            for (int i = 0; i < l.size(); i++) {
                a.add(encode(l.get(i), path + "." + i, tensors));
            }
            return a;
        }
        if (v instanceof Double d) {
            return nonFinite(d) ? f.objectNode().put("__double__", d.toString()) : f.numberNode(d);
        }
        if (v instanceof Float d) {
            return encode(d.doubleValue(), path, tensors);
        }
        if (v instanceof Long || v instanceof Integer || v instanceof Short) {
            return f.numberNode(((Number) v).longValue());
        }
        if (v instanceof Boolean b) {
            return f.booleanNode(b);
        }
        if (v instanceof String s) {
            return f.textNode(s);
        }
        throw new IllegalArgumentException("checkpoint: cannot save a " + v.getClass().getName() + " at " + path
                + "; use maps, lists, strings, numbers, booleans, byte arrays and tensors");
    }

    private static boolean nonFinite(double d) {
        return Double.isNaN(d) || Double.isInfinite(d);
    }

    private static Object decode(JsonNode n, Map<String, Tensor> tensors, String source) throws CorruptCheckpointException {
        if (n.isNull()) {
            return null;
        }
        if (n.isObject()) {
            if (n.has("__tensor__")) {
                Tensor t = tensors.get(n.get("__tensor__").asText());
                if (t == null) {
                    throw new CorruptCheckpointException(source + ": tensor " + n.get("__tensor__").asText() + " is missing");
                }
                return t;
            }
            if (n.has("__bytes__")) {
                return Base64.getDecoder().decode(n.get("__bytes__").asText());
            }
            if (n.has("__double__")) {
                return Double.valueOf(n.get("__double__").asText());
            }
            boolean intKeys = n.has("__intkeys__");
            JsonNode body = intKeys ? n.get("__intkeys__") : n;
            Map<Object, Object> m = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                m.put(intKeys ? Integer.valueOf(e.getKey()) : e.getKey(), decode(e.getValue(), tensors, source));
            }
            return m;
        }
        if (n.isArray()) {
            List<Object> l = new ArrayList<>();
            for (JsonNode e : n) {
                l.add(decode(e, tensors, source));
            }
            return l;
        }
        if (n.isIntegralNumber()) {
            return n.asLong();
        }
        if (n.isNumber()) {
            return n.asDouble();
        }
        if (n.isBoolean()) {
            return n.asBoolean();
        }
        return n.asText();
    }

    /** Keeps ZipOutputStream.close() from closing the atomic writer's stream, which it flushes and forces itself. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
