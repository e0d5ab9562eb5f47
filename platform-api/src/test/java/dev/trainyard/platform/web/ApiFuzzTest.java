package dev.trainyard.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.platform.auth.Scope;
import dev.trainyard.platform.auth.User;
import dev.trainyard.platform.testing.Api;
import dev.trainyard.platform.testing.IntegrationTest;
import dev.trainyard.platform.testing.Specs;
import dev.trainyard.platform.web.OpenApiStatusesTest.Op;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.sessions.JqwikSession;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Schema-driven fuzzing: every operation of the OpenAPI document (so endpoints added later are included without a
 * change here) gets hostile requests from every role: wrong types, out-of-range numbers, NUL and control characters,
 * huge strings, deep nesting, missing and unknown fields, broken JSON, bad path ids, bad query parameters and bad
 * headers. It fails on any 5xx, on a 2xx for input that is certainly invalid or a caller who may not do it, on an error
 * that is not problem+json, and on a status the document does not list for the operation.
 *
 * <p>The values come from jqwik's generators driven by one seeded {@link Random}: {@code -Dtrainyard.fuzz.seed=N}
 * replays a run (the seed is printed), {@code -Dtrainyard.fuzz.rounds=N} sends more.
 */
class ApiFuzzTest extends IntegrationTest {

    private static final long SEED = Long.getLong("trainyard.fuzz.seed", 20_261_205L);
    private static final int ROUNDS = Integer.getInteger("trainyard.fuzz.rounds", 6);
    private static final int GEN_SIZE = 1000;
    private static final String RAW = "@@raw-json@@";
    private static final Pattern VARIABLE = Pattern.compile("\\{([^}]+)}");

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Random random = new Random(SEED);
    private final Map<String, String> roleTokens = new LinkedHashMap<>();
    private final Map<String, String> ids = new LinkedHashMap<>();
    private JsonNode schemas;

    private final Map<String, Integer> byStatus = new TreeMap<>();
    private final Map<String, Integer> byRole = new TreeMap<>();
    private final List<String> failures = new ArrayList<>();
    private int requests;
    private int timeouts;
    private int unsendable;

    /** One request the fuzzer sends, and what it knows about it. */
    private record Case(String role, String method, String path, Map<String, String> headers, String contentType,
            byte[] body, String mutation, boolean invalid) {

        @Override
        public String toString() {
            String shown = body == null ? "" : new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8);
            return role + " " + method + " " + (path.length() > 200 ? path.substring(0, 200) + "..." : path) + " ["
                    + mutation + "] " + shown;
        }
    }

    // ------------------------------------------------------------------ hostile values (jqwik generators)

    private static final Arbitrary<String> CONTROL_TEXT = Arbitraries.strings().withCharRange('\u0000', '\u001f')
            .ofMinLength(1).ofMaxLength(4).map(s -> "a" + s + "b");
    private static final Arbitrary<String> ODD_TEXT = Arbitraries.of("\u0000", "a\u0000b", "\u202e\u202d", "\ud800",
            "\uffff", "' OR 1=1 --", "../../etc/passwd", "%00", "${jndi:ldap://x/a}", "<script>alert(1)</script>", "",
            " ", "null", "NaN", "-1", "1e400", "\\u0000", "🙂".repeat(50));
    private static final Arbitrary<String> HUGE_TEXT = Arbitraries.integers().between(20_000, 300_000)
            .map(n -> "x".repeat(n));
    private static final Arbitrary<String> BAD_ID = Arbitraries.oneOf(
            Arbitraries.of("abc", "-1", "0", "99999999999999999999", "1.5", "%00", "%2e%2e", "1e3", "%20", "null",
                    "9223372036854775808", "-9223372036854775809", "x".repeat(500), "%F0%9F%99%82", "..%2F..%2Fetc"),
            Arbitraries.longs().between(1_000_000_000_000L, Long.MAX_VALUE).map(String::valueOf));
    private static final Arbitrary<String> BIG_NUMBER = Arbitraries.of("18446744073709551616", "-9223372036854775809",
            "1e400", "-1e400", "2147483648", "-2147483649", "9007199254740993", "1" + "0".repeat(400), "4.9e-325",
            "-0", "0.0000001");
    private static final Arbitrary<String> BAD_QUERY = Arbitraries.oneOf(BAD_ID, ODD_TEXT.map(ApiFuzzTest::encode),
            Arbitraries.of("a<b", "metric.x>", "param.", "createdAt,sideways", "%", "%zz", "[]", "{}"));

    private <T> T draw(Arbitrary<T> arbitrary) {
        return arbitrary.generator(GEN_SIZE).next(random).value();
    }

    private boolean chance(double p) {
        return random.nextDouble() < p;
    }

    // ------------------------------------------------------------------ the test

    @Test
    void hostileInputsNeverGetA5xxA2xxForInvalidInputOrAnUndocumentedAnswer() throws Exception {
        JsonNode doc = api.get("/v3/api-docs", null).json();
        schemas = doc.get("components").get("schemas");
        List<Op> ops = OpenApiStatusesTest.operations(doc);
        setUpRolesAndResources();
        long started = System.nanoTime();

        JqwikSession.start(); // jqwik's generators outside a property
        try {
            for (int round = 0; round < ROUNDS; round++) {
                boolean last = round == ROUNDS - 1;
                for (Op op : ops) {
                    for (String role : roleTokens.keySet()) {
                        send(op, build(op, role, last));
                    }
                    send(op, build(op, rightRole(op), last));
                }
            }
        } finally {
            JqwikSession.finish();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        int fiveHundreds = byStatus.entrySet().stream().filter(e -> e.getKey().startsWith("5"))
                .mapToInt(Map.Entry::getValue).sum();
        System.out.printf("API fuzz (seed %d): %d requests to %d operations as %d roles in %.1f s; statuses %s; "
                        + "4xx %d; 5xx %d; timeouts %d; by role %s; %d more not sent (java.net refused their URI or "
                        + "headers)%n", SEED, requests, ops.size(), roleTokens.size(),
                seconds, byStatus, byStatus.entrySet().stream().filter(e -> e.getKey().startsWith("4"))
                        .mapToInt(Map.Entry::getValue).sum(), fiveHundreds, timeouts, byRole, unsendable);
        assertThat(requests).isGreaterThanOrEqualTo(2_000);
        assertThat(failures).as("seed " + SEED + ": " + failures.size() + " failures").isEmpty();
    }

    private void setUpRolesAndResources() {
        TestUser owner = newUser("fuzz-owner", Scope.ADMIN);
        TestUser editor = newUser("fuzz-editor", Scope.WRITE);
        TestUser viewer = newUser("fuzz-viewer", Scope.READ);
        TestUser outsider = newUser("fuzz-outsider", Scope.ADMIN);
        User site = users.save(new User("fuzz-admin-" + System.nanoTime(), null, true, Times.now()));
        String admin = token(site.getId(), Scope.ADMIN);
        long project = newProject(owner);
        addMember(project, owner, editor, "editor");
        addMember(project, owner, viewer, "viewer");
        long experiment = api.post("/api/v1/projects/" + project + "/experiments", owner.token(),
                Map.of("name", "fuzz")).json().get("id").longValue();
        long run = submitRun(project, owner, Map.of("name", "fuzz", "spec", Specs.spec("adam", 0.001, 1),
                "experimentId", experiment)).get("id").longValue();
        String workerToken = api.post("/api/v1/worker-tokens", admin, Map.of("name", "fuzz")).json().get("token")
                .stringValue();
        // a worker that matches no run (1 MB of memory), so the fuzzer's leases take nothing from other tests
        Api.Response worker = api.post("/api/v1/workers", workerToken, Map.of("name", "fuzz", "labels",
                Map.of("fuzz", "yes"), "devices", Map.of("cpus", 1, "memoryMb", 1, "gpus", List.of())));
        assertThat(worker.status()).as(worker.toString()).isEqualTo(201);
        long spareToken = tokens.issue(editor.id(), "spare", Scope.READ, Times.now().plus(Duration.ofDays(1))).info().id();

        roleTokens.put("admin", admin);
        roleTokens.put("project-admin", owner.token());
        roleTokens.put("editor", editor.token());
        roleTokens.put("viewer", viewer.token());
        roleTokens.put("outsider", outsider.token());
        roleTokens.put("no-token", null);
        roleTokens.put("worker", workerToken);
        ids.put("projectId", Long.toString(project));
        ids.put("experimentId", Long.toString(experiment));
        ids.put("runId", Long.toString(run));
        ids.put("workerId", worker.json().get("id").stringValue());
        ids.put("userId", Long.toString(viewer.id()));
        ids.put("tokenId", Long.toString(spareToken));
        ids.put("checkpoint", "latest");
        ids.put("checkpointId", "1");
        ids.put("sha256", "ab".repeat(32));
    }

    private static String rightRole(Op op) {
        if (op.template().startsWith("/api/v1/workers")) {
            return "worker";
        }
        if (op.template().startsWith("/api/v1/users") || op.template().startsWith("/api/v1/worker-tokens")) {
            return "admin";
        }
        return "project-admin";
    }

    // ------------------------------------------------------------------ building a case

    private Case build(Op op, String role, boolean lastRound) {
        List<String> mutations = new ArrayList<>();
        boolean invalid = false;

        // path: the fixtures' ids, or a bad one; the fixtures are deleted only in the last round
        StringBuilder path = new StringBuilder();
        Matcher m = VARIABLE.matcher(op.template());
        boolean deleting = op.method().equals("DELETE") && !lastRound;
        while (m.find()) {
            String value;
            if (deleting || chance(0.25)) {
                value = draw(BAD_ID);
                mutations.add("path " + m.group(1));
                invalid = true;
            } else {
                value = ids.getOrDefault(m.group(1), "1");
            }
            m.appendReplacement(path, Matcher.quoteReplacement(value));
        }
        m.appendTail(path);

        // query parameters
        List<String> query = new ArrayList<>();
        for (JsonNode p : op.node().path("parameters")) {
            if (p.get("in").stringValue().equals("query") && chance(0.3)) {
                String name = p.get("name").stringValue().replace("<name>", "x");
                String value = draw(BAD_QUERY);
                query.add(name + "=" + value);
                mutations.add("query " + name);
                boolean integer = "integer".equals(p.path("schema").path("type").stringValue(""));
                String decoded = decode(value);
                // a blank value counts as absent (Spring's conversion), so it is not an invalid integer
                invalid |= integer && decoded != null && !decoded.isBlank() && !decoded.strip().matches("-?\\d{1,18}");
            }
        }
        if (chance(0.05)) {
            query.add("unknownParameter=" + encode(draw(ODD_TEXT)));
            mutations.add("unknown query parameter");
        }
        String fullPath = path + (query.isEmpty() ? "" : "?" + String.join("&", query));

        // body
        String contentType = null;
        byte[] body = null;
        JsonNode content = op.node().path("requestBody").path("content");
        if (!content.isMissingNode() && content.size() > 0) {
            List<String> types = new ArrayList<>(content.propertyNames());
            contentType = types.get(random.nextInt(types.size()));
            if (contentType.equals("application/json")) {
                BodyCase b = jsonBody(content.get(contentType).get("schema"));
                body = b.text.getBytes(StandardCharsets.UTF_8);
                mutations.add(b.mutation);
                invalid |= b.invalid;
            } else if (contentType.contains("yaml")) {
                String yaml = chance(0.5) ? draw(ODD_TEXT) : "seed: 0\nepochs: " + draw(BIG_NUMBER) + "\n";
                body = yaml.getBytes(StandardCharsets.UTF_8);
                mutations.add("yaml");
                invalid = true; // never a complete spec
            } else {
                body = new byte[random.nextInt(64)];
                random.nextBytes(body);
                mutations.add("bytes");
            }
        }

        // headers; an operation documented with no security requirement (signing in and out) reads no bearer token
        boolean open = op.node().path("security").isArray() && op.node().path("security").isEmpty();
        Map<String, String> headers = new LinkedHashMap<>();
        String token = roleTokens.get(role);
        if (token != null) {
            headers.put("Authorization", "Bearer " + token);
        }
        if (chance(0.15)) {
            switch (random.nextInt(7)) {
                case 0 -> {
                    headers.put("Authorization", "Bearer " + (token == null ? "ty_" : token) + "x");
                    mutations.add("bad token");
                    invalid |= !open;
                }
                case 1 -> {
                    headers.put("Authorization", "Basic YWRtaW46YWRtaW4=");
                    mutations.add("basic auth");
                    invalid |= !open;
                }
                case 2 -> {
                    headers.put("X-Padding", "p".repeat(9_000 + random.nextInt(20_000)));
                    mutations.add("huge header");
                    invalid = true;
                }
                case 3 -> {
                    headers.put("Accept", random.nextBoolean() ? "text/html" : "application/xml;q=1, */*;q=0");
                    mutations.add("accept");
                }
                case 4 -> {
                    headers.put("X-Run-Attempt", draw(Arbitraries.of("abc", "-1", "99999999999", "1.5", "")));
                    mutations.add("attempt header");
                }
                case 5 -> {
                    headers.put("Idempotency-Key", "k".repeat(256 + random.nextInt(1000)));
                    mutations.add("idempotency key");
                    invalid |= body != null && op.template().endsWith("/runs");
                }
                default -> {
                    if (body != null) {
                        contentType = draw(Arbitraries.of("text/plain", "application/x-www-form-urlencoded",
                                "multipart/form-data", "application/json; charset=ebcdic", "garbage"));
                        mutations.add("content type");
                    }
                }
            }
        }
        if (contentType != null) {
            headers.put("Content-Type", contentType);
        }
        boolean mayNotAtAll = !open && (role.equals("no-token")
                || role.equals("worker") != op.template().startsWith("/api/v1/workers/")
                        && !op.template().equals("/api/v1/workers")
                || role.equals("outsider") && op.template().contains("{projectId}")
                || role.equals("viewer") && !op.method().equals("GET") && op.template().contains("{projectId}"));
        return new Case(role, op.method(), fullPath, headers, contentType, body, String.join(", ", mutations),
                invalid || mayNotAtAll);
    }

    private record BodyCase(String text, String mutation, boolean invalid) {}

    /** A body from the schema, with one thing made hostile. */
    private BodyCase jsonBody(JsonNode schema) {
        Object value = example(schema, 0);
        String raw = null;
        String mutation;
        boolean invalid;
        int kind = random.nextInt(10);
        if (!(value instanceof Map<?, ?>) || kind == 0) {
            String[] broken = {"{", "{\"a\":", "[1, 2", "\"unterminated", "{\"a\" 1}", "nul", "{\"a\":1}}", "\u0000",
                    "{'a': 1}", "[" .repeat(100_000)};
            return new BodyCase(broken[random.nextInt(broken.length)], "broken json", true);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> object = (Map<String, Object>) value;
        JsonNode properties = resolve(schema).path("properties");
        List<String> names = new ArrayList<>(properties.propertyNames());
        String target = names.isEmpty() ? "unknown" : names.get(random.nextInt(names.size()));
        String type = properties.path(target).path("type").stringValue("");
        switch (kind) {
            case 1 -> {
                object.put(target, wrongType(type, properties.path(target).has("$ref")));
                mutation = "wrong type at " + target;
                invalid = !type.isEmpty() || properties.path(target).has("$ref");
            }
            case 2 -> {
                String s = draw(CONTROL_TEXT);
                object.put(target, s);
                mutation = "control characters at " + target;
                // NUL is refused everywhere; a log line's text is the one field that stores it (as U+FFFD)
                invalid = s.indexOf('\u0000') >= 0 && !target.equals("text") && !target.equals("lines")
                        && !target.equals("points");
            }
            case 3 -> {
                object.put(target, draw(HUGE_TEXT));
                mutation = "huge string at " + target;
                invalid = true;
            }
            case 4 -> {
                object.put(target, RAW);
                raw = draw(BIG_NUMBER);
                mutation = "number " + raw + " at " + target;
                invalid = type.equals("integer") && !raw.equals("-0");
            }
            case 5 -> {
                object.put(target, RAW);
                int depth = 2_000 + random.nextInt(3_000);
                raw = "[".repeat(depth) + "]".repeat(depth);
                mutation = "nesting " + depth + " deep at " + target;
                invalid = true;
            }
            case 6 -> {
                object.put("unknownField" + random.nextInt(10), draw(ODD_TEXT));
                mutation = "unknown field";
                invalid = !resolve(schema).has("additionalProperties");
            }
            case 7 -> {
                List<String> required = new ArrayList<>();
                resolve(schema).path("required").forEach(r -> required.add(r.stringValue()));
                String gone = required.isEmpty() ? target : required.get(random.nextInt(required.size()));
                object.remove(gone);
                mutation = "missing " + gone;
                invalid = required.contains(gone);
            }
            case 8 -> {
                object.put(target, draw(ODD_TEXT));
                mutation = "odd text at " + target;
                invalid = !type.isEmpty() && !type.equals("string");
            }
            default -> {
                mutation = "as generated";
                invalid = false;
            }
        }
        String text = Api.JSON.writeValueAsString(object);
        if (raw != null) {
            text = text.replace("\"" + RAW + "\"", raw);
        }
        return new BodyCase(text, mutation, invalid);
    }

    private Object wrongType(String type, boolean object) {
        List<Object> choices = switch (type) {
            case "string" -> List.of(123, true, List.of(1, 2), Map.of("a", 1), 1.5);
            case "integer" -> List.of("1", 1.5, true, List.of(1), Map.of("a", 1));
            case "number" -> List.of("0.5", true, List.of(0.5), Map.of("a", 1));
            case "boolean" -> List.of("true", 1, List.of(true), Map.of("a", true));
            case "array" -> List.of("a", 1, Map.of("a", 1), true);
            default -> object ? List.of("a", 1, List.of(1), true) : List.of(List.of(List.of()), 1);
        };
        return choices.get(random.nextInt(choices.size()));
    }

    private JsonNode resolve(JsonNode schema) {
        JsonNode s = schema;
        for (int i = 0; i < 5 && s.has("$ref"); i++) {
            String ref = s.get("$ref").stringValue();
            s = schemas.path(ref.substring(ref.lastIndexOf('/') + 1));
        }
        return s;
    }

    /** A plausible value for a schema: required and some optional properties, spec a real run spec. */
    private Object example(JsonNode schema, int depth) {
        JsonNode s = resolve(schema);
        if (s.has("enum")) {
            return s.get("enum").get(0).stringValue("x");
        }
        String type = s.path("type").stringValue("");
        return switch (type) {
            case "string" -> "date-time".equals(s.path("format").stringValue("")) ? Times.now().toString() : "fuzz";
            case "integer" -> s.has("minimum") ? s.get("minimum").asLong() : 1;
            case "number" -> 0.5;
            case "boolean" -> true;
            case "array" -> depth > 3 ? List.of() : new ArrayList<>(List.of(example(s.path("items"), depth + 1)));
            default -> {
                if (!s.has("properties")) {
                    yield new LinkedHashMap<>();
                }
                Map<String, Object> out = new LinkedHashMap<>();
                List<String> required = new ArrayList<>();
                s.path("required").forEach(r -> required.add(r.stringValue()));
                for (Map.Entry<String, JsonNode> p : s.get("properties").properties()) {
                    if (depth < 3 && (required.contains(p.getKey()) || chance(0.5))) {
                        out.put(p.getKey(), switch (p.getKey()) {
                            case "spec" -> new LinkedHashMap<>(Specs.spec("adam", 0.001, 1));
                            case "waitSeconds" -> 0;
                            default -> example(p.getValue(), depth + 1);
                        });
                    }
                }
                yield out;
            }
        };
    }

    // ------------------------------------------------------------------ sending and judging

    private void send(Op op, Case c) {
        HttpRequest.Builder b;
        try {
            b = HttpRequest.newBuilder(URI.create(api.base() + c.path)).timeout(Duration.ofSeconds(20));
        } catch (IllegalArgumentException e) {
            unsendable++;
            return; // a path java.net.URI refuses never reaches the server
        }
        try {
            c.headers.forEach(b::header);
        } catch (IllegalArgumentException e) {
            unsendable++;
            return;
        }
        b.method(c.method, c.body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(c.body));
        requests++;
        byRole.merge(c.role, 1, Integer::sum);
        try {
            HttpResponse<InputStream> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            String type = r.headers().firstValue("Content-Type").orElse("");
            String text;
            try (InputStream in = r.body()) {
                // an event stream stays open: its status and headers are the answer
                text = type.startsWith("text/event-stream") ? "" : new String(in.readNBytes(1 << 20), StandardCharsets.UTF_8);
            }
            judge(op, c, r.statusCode(), type, text);
        } catch (HttpTimeoutException e) {
            timeouts++;
            failures.add("timeout: " + c);
        } catch (IOException e) {
            byStatus.merge("connection closed", 1, Integer::sum);
            // the server may close a connection on input it refuses to read (a header far over its limit)
            if (!c.mutation.contains("huge header")) {
                failures.add("connection failed (" + e + "): " + c);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void judge(Op op, Case c, int status, String type, String text) {
        byStatus.merge(Integer.toString(status), 1, Integer::sum);
        if (status >= 500) {
            failures.add(status + " for " + c + " -> " + text);
            return;
        }
        if (status >= 200 && status < 300 && c.invalid) {
            failures.add(status + " for invalid input or an unauthorized caller: " + c);
        }
        if (status >= 400) {
            if (!type.startsWith("application/problem+json")) {
                failures.add(status + " without problem+json (" + type + "): " + c);
            } else {
                JsonNode problem = Api.JSON.readTree(text);
                if (problem.path("status").asInt() != status || problem.path("detail").stringValue("").isBlank()) {
                    failures.add(status + " with an incomplete problem " + text + ": " + c);
                }
            }
        }
        if (!op.statuses().contains(Integer.toString(status)) && !(status == 400 && c.mutation.contains("huge header"))) {
            failures.add(status + " is not documented for " + op.method() + " " + op.template() + " "
                    + op.statuses() + ": " + c);
        }
    }

    /** The query value as the server decodes it, or null if it is not valid percent-encoding. */
    private static String decode(String s) {
        try {
            return java.net.URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String encode(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
