package dev.trainyard.platform.runs;

import dev.trainyard.platform.runs.RunRecords.AttemptResponse;
import dev.trainyard.platform.runs.RunRecords.MetricSummary;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * A run's parameters, tags, metric summaries and attempts: the rows beside the run, written and read in batches
 * with plain SQL (one query per kind for a whole page of runs).
 */
@Repository
public class RunDetailsRepository {

    private final JdbcClient jdbc;
    private final JdbcTemplate template;

    public RunDetailsRepository(JdbcClient jdbc, JdbcTemplate template) {
        this.jdbc = jdbc;
        this.template = template;
    }

    /** How a parameter value is stored: its JSON type, its number (for numbers) and its text. */
    record StoredParam(String type, Double number, String text) {

        static StoredParam of(JsonNode value) {
            if (value.isNumber()) {
                return new StoredParam("number", value.asDouble(), value.asString());
            }
            if (value.isBoolean()) {
                return new StoredParam("boolean", null, String.valueOf(value.booleanValue()));
            }
            return new StoredParam("string", null, value.stringValue());
        }

        JsonNode toJson() {
            JsonNodeFactory f = JsonNodeFactory.instance;
            return switch (type) {
                case "number" -> {
                    boolean integral = text.chars().noneMatch(c -> c == '.' || c == 'e' || c == 'E');
                    yield integral ? f.numberNode(new BigInteger(text)) : f.numberNode(Double.parseDouble(text));
                }
                case "boolean" -> f.booleanNode(Boolean.parseBoolean(text));
                default -> f.stringNode(text);
            };
        }
    }

    void insertParams(long runId, long projectId, Map<String, JsonNode> params) {
        List<Object[]> rows = new ArrayList<>();
        params.forEach((name, value) -> {
            StoredParam p = StoredParam.of(value);
            rows.add(new Object[] {runId, name, projectId, p.type(), p.number(), p.text()});
        });
        if (!rows.isEmpty()) {
            template.batchUpdate("INSERT INTO run_params (run_id, name, project_id, value_type, num_value, text_value)"
                    + " VALUES (?, ?, ?, ?, ?, ?)", rows);
        }
    }

    void insertTags(long runId, long projectId, Collection<String> tags) {
        List<Object[]> rows = tags.stream().distinct().map(t -> new Object[] {runId, t, projectId}).toList();
        if (!rows.isEmpty()) {
            template.batchUpdate("INSERT INTO run_tags (run_id, tag, project_id) VALUES (?, ?, ?)", rows);
        }
    }

    Map<Long, Map<String, JsonNode>> params(Collection<Long> runIds) {
        Map<Long, Map<String, JsonNode>> out = new HashMap<>();
        if (runIds.isEmpty()) {
            return out;
        }
        jdbc.sql("SELECT run_id, name, value_type, num_value, text_value FROM run_params WHERE run_id IN (:ids)"
                        + " ORDER BY run_id, name")
                .param("ids", runIds)
                .query(rs -> {
                    StoredParam p = new StoredParam(rs.getString("value_type"), null, rs.getString("text_value"));
                    out.computeIfAbsent(rs.getLong("run_id"), id -> new LinkedHashMap<>())
                            .put(rs.getString("name"), p.toJson());
                });
        return out;
    }

    Map<Long, List<String>> tags(Collection<Long> runIds) {
        Map<Long, List<String>> out = new HashMap<>();
        if (runIds.isEmpty()) {
            return out;
        }
        jdbc.sql("SELECT run_id, tag FROM run_tags WHERE run_id IN (:ids) ORDER BY run_id, tag")
                .param("ids", runIds)
                .query(rs -> {
                    out.computeIfAbsent(rs.getLong("run_id"), id -> new ArrayList<>()).add(rs.getString("tag"));
                });
        return out;
    }

    Map<Long, Map<String, MetricSummary>> metrics(Collection<Long> runIds) {
        Map<Long, Map<String, MetricSummary>> out = new HashMap<>();
        if (runIds.isEmpty()) {
            return out;
        }
        jdbc.sql("SELECT run_id, name, last_value, last_step, min_value, max_value FROM run_metric_summaries"
                        + " WHERE run_id IN (:ids) ORDER BY run_id, name")
                .param("ids", runIds)
                .query(rs -> {
                    out.computeIfAbsent(rs.getLong("run_id"), id -> new LinkedHashMap<>())
                            .put(rs.getString("name"), new MetricSummary(rs.getDouble("last_value"),
                                    rs.getLong("last_step"), rs.getDouble("min_value"), rs.getDouble("max_value")));
                });
        return out;
    }

    List<AttemptResponse> attempts(long runId) {
        return jdbc.sql("SELECT attempt, worker_id, started_at, ended_at, outcome, reason FROM run_attempts"
                        + " WHERE run_id = :id ORDER BY attempt")
                .param("id", runId)
                .query((rs, i) -> new AttemptResponse(rs.getInt("attempt"), rs.getString("worker_id"),
                        instant(rs, "started_at"), instant(rs, "ended_at"),
                        rs.getString("outcome"), rs.getString("reason")))
                .list();
    }

    Map<Long, String> usernames(Collection<Long> userIds) {
        Map<Long, String> out = new HashMap<>();
        if (userIds.isEmpty()) {
            return out;
        }
        jdbc.sql("SELECT id, username FROM users WHERE id IN (:ids)")
                .param("ids", userIds)
                .query(rs -> {
                    out.put(rs.getLong("id"), rs.getString("username"));
                });
        return out;
    }

    /** Reads a TIMESTAMP WITH TIME ZONE column the same way on PostgreSQL and H2. */
    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
