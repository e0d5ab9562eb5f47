package dev.trainyard.platform.runs;

import dev.trainyard.platform.scheduling.Sql;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * How many runs a project or experiment has in each status and when one last changed, for the project and
 * experiment lists: one grouped query for a whole list, whatever its length.
 */
@Repository
public class RunActivity {

    private final JdbcClient jdbc;

    public RunActivity(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Run counts by status (every status present, zeros included) and the newest run update (null without runs).
     */
    public record Activity(Map<RunStatus, Long> counts, Instant lastRunUpdate) {

        public static Activity none() {
            return new Activity(zeros(), null);
        }

        /** The newest run update, or {@code createdAt} when there is none or it is older. */
        public Instant lastActivity(Instant createdAt) {
            return lastRunUpdate == null || lastRunUpdate.isBefore(createdAt) ? createdAt : lastRunUpdate;
        }
    }

    /** Each of these projects' runs, by project id; projects without runs are absent. */
    public Map<Long, Activity> byProject(Collection<Long> projectIds) {
        if (projectIds.isEmpty()) {
            return Map.of();
        }
        return grouped("SELECT project_id AS owner, status, count(*) AS n, max(updated_at) AS last FROM runs"
                + " WHERE project_id IN (:ids) GROUP BY project_id, status", projectIds);
    }

    /** Each of these experiments' runs, by experiment id; experiments without runs are absent. */
    public Map<Long, Activity> byExperiment(Collection<Long> experimentIds) {
        if (experimentIds.isEmpty()) {
            return Map.of();
        }
        return grouped("SELECT experiment_id AS owner, status, count(*) AS n, max(updated_at) AS last FROM runs"
                + " WHERE experiment_id IN (:ids) GROUP BY experiment_id, status", experimentIds);
    }

    private Map<Long, Activity> grouped(String sql, Collection<Long> ids) {
        Map<Long, Map<RunStatus, Long>> counts = new HashMap<>();
        Map<Long, Instant> last = new HashMap<>();
        jdbc.sql(sql).param("ids", ids).query(rs -> {
            long owner = rs.getLong("owner");
            counts.computeIfAbsent(owner, o -> zeros()).put(RunStatus.valueOf(rs.getString("status")), rs.getLong("n"));
            Instant at = Sql.instant(rs, "last");
            last.merge(owner, at, (a, b) -> a.isAfter(b) ? a : b);
        });
        Map<Long, Activity> out = new HashMap<>();
        counts.forEach((owner, c) -> out.put(owner, new Activity(c, last.get(owner))));
        return out;
    }

    private static Map<RunStatus, Long> zeros() {
        Map<RunStatus, Long> zeros = new EnumMap<>(RunStatus.class);
        for (RunStatus s : RunStatus.values()) {
            zeros.put(s, 0L);
        }
        return zeros;
    }
}
