package dev.trainyard.platform.runs;

import dev.trainyard.platform.runs.RunStatus;
import dev.trainyard.platform.web.ApiException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Reads runs by id with plain SQL (one primary-key lookup), for the features that hang off a run. */
@Repository
public class RunRefs {

    private static final String COLUMNS = "id, project_id, experiment_id, name, status, attempt, worker_id";

    private final JdbcClient jdbc;

    public RunRefs(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<RunRef> find(long projectId, long runId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM runs WHERE id = :id AND project_id = :p")
                .param("id", runId).param("p", projectId)
                .query((rs, i) -> ref(rs))
                .optional();
    }

    private static RunRef ref(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new RunRef(rs.getLong("id"), rs.getLong("project_id"), rs.getObject("experiment_id", Long.class),
                rs.getString("name"), RunStatus.valueOf(rs.getString("status")), rs.getInt("attempt"),
                rs.getString("worker_id"));
    }

    /** A run by id alone (for worker endpoints, which name no project), or 404. */
    public RunRef requireById(long runId) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM runs WHERE id = :id")
                .param("id", runId)
                .query((rs, i) -> ref(rs))
                .optional()
                .orElseThrow(() -> ApiException.notFound("no run " + runId));
    }

    /** The run, or 404 with the same sentence the run endpoints use. */
    public RunRef require(long projectId, long runId) {
        return find(projectId, runId).orElseThrow(() -> notFound(projectId, runId));
    }

    /** Checks that every run belongs to the project; 404 naming the ones that do not. */
    public void requireAll(long projectId, Collection<Long> runIds) {
        if (runIds.isEmpty()) {
            return;
        }
        Set<Long> found = new LinkedHashSet<>(jdbc.sql("SELECT id FROM runs WHERE project_id = :p AND id IN (:ids)")
                .param("p", projectId).param("ids", runIds).query(Long.class).list());
        List<Long> missing = runIds.stream().filter(id -> !found.contains(id)).distinct().toList();
        if (!missing.isEmpty()) {
            throw ApiException.notFound((missing.size() == 1 ? "no run " + missing.getFirst()
                    : "no runs " + missing.stream().map(String::valueOf).reduce((a, b) -> a + ", " + b).orElseThrow())
                    + " in project " + projectId);
        }
    }

    public static ApiException notFound(long projectId, long runId) {
        return ApiException.notFound("no run " + runId + " in project " + projectId);
    }
}
