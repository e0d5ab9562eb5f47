package dev.trainyard.platform.checkpoints;

import dev.trainyard.platform.web.ApiException;
import dev.trainyard.platform.web.FieldProblem;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What an upload declares besides its bytes, read from the query string and headers before the body is read, so a
 * malformed upload is refused without storing anything:
 * <ul>
 *   <li>{@code step} (required), {@code epoch}, {@code metric.<name>=<number>} (repeat for each metric) and
 *       {@code filename} (what the uploader calls the file, kept for reference; default
 *       {@code run-<id>-step-<step>.ckpt}, the name downloads always have) in the query string, and
 *       {@code final=true} for a run's last checkpoint (training ended or the worker is stopping), which the
 *       checkpoint interval guard lets through;
 *   <li>the SHA-256 of the body, required, as {@code X-Checkpoint-Sha256: <hex>}, {@code Digest: sha-256=<base64>}
 *       (RFC 3230) or {@code Content-Digest}/{@code Repr-Digest: sha-256=:<base64>:} (RFC 9530); several must agree;
 * </ul>
 * Who uploads (a person, or a worker fenced by its run attempt) is not part of this: see {@link Uploader}.
 */
record UploadRequest(long step, Integer epoch, Map<String, Double> metrics, String filename, String sha256,
        boolean finalCheckpoint) {

    static final String SHA256_HEADER = "X-Checkpoint-Sha256";
    static final int MAX_METRICS = 100;

    private static final Pattern METRIC_NAME = Pattern.compile(CheckpointRecords.METRIC_NAME);
    private static final Pattern FILENAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");
    private static final Pattern HEX64 = Pattern.compile("[0-9a-fA-F]{64}");

    /** The declared digests, by header name; absent headers are null. */
    record Digests(String sha256Hex, String digest, String contentDigest, String reprDigest) {}

    static UploadRequest parse(long runId, Map<String, String[]> parameters, Digests digests) {
        List<FieldProblem> problems = new ArrayList<>();
        Long step = null;
        Integer epoch = null;
        String filename = null;
        boolean last = false;
        Map<String, Double> metrics = new TreeMap<>();
        for (Map.Entry<String, String[]> e : parameters.entrySet()) {
            String name = e.getKey();
            String[] values = e.getValue();
            if (values.length != 1) {
                problems.add(FieldProblem.atParameter(name, "give this parameter once", String.join(",", values)));
                continue;
            }
            String value = values[0];
            if (name.equals("step")) {
                step = nonNegative(name, value, problems);
            } else if (name.equals("epoch")) {
                Long n = nonNegative(name, value, problems);
                if (n != null && n > Integer.MAX_VALUE) {
                    problems.add(FieldProblem.atParameter(name, "too large", value));
                } else if (n != null) {
                    epoch = n.intValue();
                }
            } else if (name.equals("final")) {
                if (value.equals("true") || value.equals("false")) {
                    last = value.equals("true");
                } else {
                    problems.add(FieldProblem.atParameter(name, "true for a run's last checkpoint, or false", value));
                }
            } else if (name.equals("filename")) {
                if (FILENAME.matcher(value).matches()) {
                    filename = value;
                } else {
                    problems.add(FieldProblem.atParameter(name, "a file name is 1 to 200 letters, digits, '.', '_' "
                            + "or '-', starting with a letter or digit", value));
                }
            } else if (name.startsWith("metric.")) {
                String metric = name.substring("metric.".length());
                if (!METRIC_NAME.matcher(metric).matches()) {
                    problems.add(FieldProblem.atParameter(name,
                            "metric names are 1 to 200 letters, digits, '_', '.', ':', '/' or '-'", metric));
                    continue;
                }
                try {
                    double d = Double.parseDouble(value);
                    if (!Double.isFinite(d)) {
                        throw new NumberFormatException();
                    }
                    metrics.put(metric, d);
                } catch (NumberFormatException ex) {
                    problems.add(FieldProblem.atParameter(name, "a metric is a finite number", value));
                }
            } else {
                problems.add(FieldProblem.atParameter(name, "unknown parameter; an upload takes step, epoch, "
                        + "filename, final and metric.<name>", value));
            }
        }
        if (step == null && !parameters.containsKey("step")) {
            problems.add(FieldProblem.atParameter("step", "the query parameter step is required: the optimizer step "
                    + "the checkpoint was taken at", null));
        }
        if (metrics.size() > MAX_METRICS) {
            problems.add(FieldProblem.atParameter("metric.*", "at most " + MAX_METRICS + " metrics", metrics.size()));
        }
        String sha256 = sha256(digests, problems);
        if (!problems.isEmpty()) {
            FieldProblem first = problems.getFirst();
            String more = problems.size() > 1 ? " (and " + (problems.size() - 1) + " more)" : "";
            throw ApiException.badRequest(first.parameter() + ": " + first.detail() + more, problems);
        }
        return new UploadRequest(step, epoch, metrics, filename != null ? filename
                : CheckpointService.downloadName(runId, step), sha256, last);
    }

    private static Long nonNegative(String name, String value, List<FieldProblem> problems) {
        try {
            long n = Long.parseLong(value.strip());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        problems.add(FieldProblem.atParameter(name, "must be a whole number, 0 or more", value));
        return null;
    }

    /** The declared SHA-256 as lower-case hex, from whichever headers carry it (they must agree). */
    private static String sha256(Digests d, List<FieldProblem> problems) {
        Map<String, String> declared = new LinkedHashMap<>();
        if (d.sha256Hex() != null) {
            if (HEX64.matcher(d.sha256Hex().strip()).matches()) {
                declared.put(SHA256_HEADER, d.sha256Hex().strip().toLowerCase(Locale.ROOT));
            } else {
                problems.add(FieldProblem.atParameter(SHA256_HEADER, "64 hexadecimal digits", d.sha256Hex()));
            }
        }
        fromDictionary("Digest", d.digest(), false, declared, problems);
        fromDictionary("Content-Digest", d.contentDigest(), true, declared, problems);
        fromDictionary("Repr-Digest", d.reprDigest(), true, declared, problems);
        if (declared.isEmpty()) {
            if (problems.stream().noneMatch(p -> p.parameter() != null
                    && (p.parameter().equals(SHA256_HEADER) || p.parameter().endsWith("Digest")))) {
                problems.add(FieldProblem.atParameter(SHA256_HEADER, "declare the checkpoint's SHA-256: "
                        + SHA256_HEADER + ": <64 hex digits> (or Digest: sha-256=<base64>)", null));
            }
            return null;
        }
        if (declared.values().stream().distinct().count() > 1) {
            problems.add(FieldProblem.atParameter(String.join(", ", declared.keySet()),
                    "these headers declare different SHA-256 digests", declared.toString()));
            return null;
        }
        return declared.values().iterator().next();
    }

    /**
     * The sha-256 entry of a digest header: {@code sha-256=<base64>} (RFC 3230 Digest) or {@code sha-256=:<base64>:}
     * (RFC 9530, a structured-field byte sequence). Other algorithms in the list are ignored.
     */
    private static void fromDictionary(String header, String value, boolean structured, Map<String, String> declared,
            List<FieldProblem> problems) {
        if (value == null) {
            return;
        }
        for (String entry : value.split(",")) {
            int eq = entry.indexOf('=');
            if (eq < 0 || !entry.substring(0, eq).strip().equalsIgnoreCase("sha-256")) {
                continue;
            }
            String encoded = entry.substring(eq + 1).strip();
            if (structured) {
                if (encoded.length() < 2 || !encoded.startsWith(":") || !encoded.endsWith(":")) {
                    problems.add(FieldProblem.atParameter(header, "sha-256=:<base64>: (RFC 9530)", value));
                    return;
                }
                encoded = encoded.substring(1, encoded.length() - 1);
            }
            try {
                byte[] bytes = Base64.getDecoder().decode(encoded);
                if (bytes.length != 32) {
                    throw new IllegalArgumentException();
                }
                declared.put(header, HexFormat.of().formatHex(bytes));
            } catch (IllegalArgumentException e) {
                problems.add(FieldProblem.atParameter(header, "sha-256 must be the base64 of 32 bytes", value));
            }
            return;
        }
    }
}
