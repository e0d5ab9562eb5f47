package dev.trainyard.platform.logs;

import dev.trainyard.platform.events.LogLine;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Run log lines (table run_logs), keyed by run, attempt and seq. */
@Repository
class LogRepository {

    private final JdbcClient jdbc;
    private final JdbcTemplate template;

    LogRepository(JdbcClient jdbc, JdbcTemplate template) {
        this.jdbc = jdbc;
        this.template = template;
    }

    /** Inserts the lines whose seq is new; returns those, in the given (seq) order. */
    List<LogLine> insert(long runId, int attempt, List<LogLine> lines) {
        List<Object[]> rows = lines.stream().map(l -> new Object[] {runId, attempt, l.seq(),
                l.time().atOffset(ZoneOffset.UTC), l.stream(), l.text()}).toList();
        int[] counts = template.batchUpdate("INSERT INTO run_logs (run_id, attempt, seq, logged_at, stream, line)"
                + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", rows);
        List<LogLine> inserted = new ArrayList<>();
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] != 0) {
                inserted.add(lines.get(i));
            }
        }
        return inserted;
    }

    /** Lines of an attempt after a seq, in order. */
    List<LogLine> after(long runId, int attempt, long after, int limit) {
        return jdbc.sql("SELECT seq, logged_at, stream, line FROM run_logs"
                        + " WHERE run_id = :r AND attempt = :a AND seq > :after ORDER BY seq"
                        + " FETCH FIRST " + limit + " ROWS ONLY")
                .param("r", runId).param("a", attempt).param("after", after)
                .query((rs, i) -> line(rs))
                .list();
    }

    /** The last lines of an attempt, in order. */
    List<LogLine> last(long runId, int attempt, int count) {
        List<LogLine> lines = new ArrayList<>(jdbc.sql("SELECT seq, logged_at, stream, line FROM run_logs"
                        + " WHERE run_id = :r AND attempt = :a ORDER BY seq DESC FETCH FIRST " + count + " ROWS ONLY")
                .param("r", runId).param("a", attempt)
                .query((rs, i) -> line(rs))
                .list());
        java.util.Collections.reverse(lines);
        return lines;
    }

    private static LogLine line(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new LogLine(rs.getLong("seq"), rs.getObject("logged_at", OffsetDateTime.class).toInstant(),
                rs.getString("stream"), rs.getString("line"));
    }
}
