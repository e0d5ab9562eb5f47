package dev.trainyard.system;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The run endpoints as a CI pipeline uses them: submit, wait, read series, checkpoints and logs. */
final class Runs {
    static final Set<String> FINISHED = Set.of("SUCCEEDED", "FAILED", "CANCELLED");
    private static final Duration POLL = Duration.ofMillis(200);

    private final Cluster cluster;

    Runs(Cluster cluster) {
        this.cluster = cluster;
    }

    /** Submits a run in the experiment that the scheduler starts at most once; returns its id. */
    long submit(String name, Map<String, Object> spec) {
        return submit(name, spec, 1);
    }

    /** Submits a run in the experiment that the scheduler may start up to {@code maxAttempts} times; returns its id. */
    long submit(String name, Map<String, Object> spec, int maxAttempts) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("experimentId", cluster.experimentId());
        body.put("spec", spec);
        body.put("tags", List.of("system-test"));
        body.put("maxAttempts", maxAttempts);
        JsonNode run = cluster.api().post(cluster.projectPath("/runs"), body).expect(201);
        return run.get("id").asLong();
    }

    JsonNode get(long runId) {
        return cluster.api().getJson(cluster.runPath(runId, ""));
    }

    /** Waits until the run has one of the statuses; fails with the run and the process logs if it does not. */
    JsonNode awaitStatus(long runId, Duration timeout, String... statuses) {
        Set<String> wanted = Set.of(statuses);
        return Poll.until("run " + runId + " to be " + wanted, timeout, POLL, () -> {
            JsonNode run = get(runId);
            String status = run.get("status").asText();
            if (wanted.contains(status)) {
                return run;
            }
            if (FINISHED.contains(status)) {
                throw new AssertionError("run " + runId + " ended " + status + " while waiting for " + wanted + "\n"
                        + cluster.describe(runId));
            }
            return null;
        }, () -> cluster.describe(runId));
    }

    /** Waits until a checkpoint of the given attempt (any attempt when 0) is listed; returns it. */
    JsonNode awaitCheckpoint(long runId, int attempt, Duration timeout) {
        return Poll.until("a checkpoint of run " + runId + (attempt > 0 ? " attempt " + attempt : ""), timeout, POLL, () -> {
            for (JsonNode c : checkpoints(runId)) {
                if (attempt == 0 || c.path("attempt").asInt() == attempt) {
                    return c;
                }
            }
            if (FINISHED.contains(get(runId).get("status").asText())) {
                throw new AssertionError("run " + runId + " finished before the awaited checkpoint\n" + cluster.describe(runId));
            }
            return null;
        }, () -> cluster.describe(runId));
    }

    List<JsonNode> checkpoints(long runId) {
        List<JsonNode> list = new ArrayList<>();
        cluster.api().getJson(cluster.runPath(runId, "/checkpoints")).get("items").forEach(list::add);
        return list;
    }

    /** The steps of a run's series in order, one entry per stored point, from the metric query (raw points). */
    List<Long> steps(long runId, String key) {
        JsonNode answer = cluster.api().getJson(cluster.projectPath("/metrics/query?runs=" + runId + "&keys=" + key
                + "&buckets=10000"));
        JsonNode series = answer.get("series").get(0);
        List<Long> steps = new ArrayList<>();
        for (JsonNode p : series.get("points")) {
            steps.add(p.get("step").asLong());
        }
        if (steps.size() != series.get("count").asLong()) {
            throw new AssertionError("run " + runId + " " + key + ": count " + series.get("count") + " but " + steps.size()
                    + " points");
        }
        return steps;
    }

    /** A run's metric summaries by key (latest value, step, min, max). */
    Map<String, JsonNode> summaries(long runId) {
        Map<String, JsonNode> byKey = new LinkedHashMap<>();
        for (JsonNode s : cluster.api().getJson(cluster.runPath(runId, "/metrics")).get("items")) {
            byKey.put(s.get("key").asText(), s);
        }
        return byKey;
    }

    /** The log lines of one attempt, joined. */
    String logs(long runId, int attempt) {
        StringBuilder text = new StringBuilder();
        long after = 0;
        while (true) {
            JsonNode page = cluster.api().getJson(cluster.runPath(runId, "/logs?attempt=" + attempt + "&after=" + after
                    + "&limit=1000"));
            for (JsonNode line : page.get("items")) {
                text.append(line.get("text").asText()).append('\n');
                after = line.get("seq").asLong();
            }
            if (!page.get("more").asBoolean()) {
                return text.toString();
            }
        }
    }

    /** Steps 1..n, for comparing with a complete series. */
    static List<Long> oneTo(int n) {
        List<Long> steps = new ArrayList<>(n);
        for (long s = 1; s <= n; s++) {
            steps.add(s);
        }
        return steps;
    }
}
