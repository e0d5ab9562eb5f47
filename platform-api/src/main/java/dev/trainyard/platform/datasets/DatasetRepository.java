package dev.trainyard.platform.datasets;

import dev.trainyard.platform.scheduling.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The datasets table, in plain SQL, and what it needs to know of the runs that name a dataset in their spec
 * ({@code dataset: {artifact: "sha256:<hex>"}}).
 *
 * <p>A submission naming a dataset and the dataset's deletion serialise on the dataset's row: the submission locks it
 * ({@link #lockToUse}) in the transaction that inserts the run, the deletion locks it ({@link #lockToDelete}) before
 * it looks for the queued or running runs that name it. So either the deletion sees the new run, or the submission
 * finds the dataset gone.
 */
@Repository
public class DatasetRepository {

    private final JdbcClient jdbc;
    private final Database database;
    private final JsonMapper json;

    DatasetRepository(JdbcClient jdbc, Database database, JsonMapper json) {
        this.jdbc = jdbc;
        this.database = database;
        this.json = json;
    }

    /** A dataset row with its uploader's name. */
    record Dataset(long id, long projectId, String sha256, String name, long sizeBytes, String storageKey,
            String uploadedBy, Instant createdAt) {}

    /** A queued or running run that names a dataset in its spec. */
    record ActiveRun(long id, String name) {}

    /** A run's project and the dataset its spec names ({@code sha256:<hex>}, or null for none). */
    record RunDataset(long projectId, String artifact) {}

    private record NamingRun(long id, String name, String artifact) {}

    private static final String SELECT = "SELECT d.id, d.project_id, d.sha256, d.name, d.size_bytes, d.storage_key, "
            + "u.username, d.created_at FROM datasets d LEFT JOIN users u ON u.id = d.uploaded_by ";

    /**
     * Whether the project has a dataset with these bytes ({@code sha256} in lower-case hex), locking its row until
     * the transaction ends so that a deletion of it waits (FOR SHARE on PostgreSQL; H2 has no shared row locks, so
     * FOR UPDATE there, which makes concurrent submissions naming the same dataset wait for each other too).
     */
    public boolean lockToUse(long projectId, String sha256) {
        String lock = database == Database.POSTGRESQL ? " FOR SHARE" : " FOR UPDATE";
        return jdbc.sql("SELECT id FROM datasets WHERE project_id = ? AND sha256 = ?" + lock).params(projectId, sha256)
                .query(Long.class).optional().isPresent();
    }

    /** The dataset, its row locked until the transaction ends (see {@link #lockToUse}). */
    Optional<Dataset> lockToDelete(long projectId, String sha256) {
        Optional<Long> id = jdbc.sql("SELECT id FROM datasets WHERE project_id = ? AND sha256 = ? FOR UPDATE")
                .params(projectId, sha256).query(Long.class).optional();
        return id.flatMap(locked -> find(projectId, sha256));
    }

    /**
     * The project's queued or running runs whose spec names {@code artifact} ({@code sha256:<hex>}), by id. The text
     * match only narrows the rows down (runs.spec is jsonb on PostgreSQL and JSON on H2, and both cast to text); the
     * spec itself decides.
     */
    List<ActiveRun> activeRunsNaming(long projectId, String artifact) {
        return jdbc.sql("SELECT id, name, spec FROM runs WHERE project_id = ? AND status IN ('QUEUED', 'RUNNING')"
                        + " AND CAST(spec AS VARCHAR) LIKE ? ORDER BY id")
                .params(projectId, "%" + artifact + "%")
                .query((rs, i) -> new NamingRun(rs.getLong("id"), rs.getString("name"), artifact(rs.getString("spec"))))
                .list().stream().filter(run -> artifact.equals(run.artifact()))
                .map(run -> new ActiveRun(run.id(), run.name())).toList();
    }

    Optional<Dataset> find(long projectId, String sha256) {
        return jdbc.sql(SELECT + "WHERE d.project_id = ? AND d.sha256 = ?").params(projectId, sha256)
                .query(DatasetRepository::dataset).optional();
    }

    List<Dataset> list(long projectId) {
        return jdbc.sql(SELECT + "WHERE d.project_id = ? ORDER BY d.created_at DESC, d.id DESC").param(projectId)
                .query(DatasetRepository::dataset).list();
    }

    void insert(long projectId, String sha256, String name, long sizeBytes, String storageKey, long uploadedBy,
            Instant createdAt) {
        jdbc.sql("INSERT INTO datasets (project_id, sha256, name, size_bytes, storage_key, uploaded_by, created_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?)")
                .params(projectId, sha256, name, sizeBytes, storageKey, uploadedBy, createdAt.atOffset(ZoneOffset.UTC))
                .update();
    }

    void delete(long id) {
        jdbc.sql("DELETE FROM datasets WHERE id = ?").param(id).update();
    }

    /** The run's project and the dataset its spec names, or empty when there is no such run. */
    Optional<RunDataset> runDataset(long runId) {
        return jdbc.sql("SELECT project_id, spec FROM runs WHERE id = ?").param(runId)
                .query((rs, i) -> new RunDataset(rs.getLong("project_id"), artifact(rs.getString("spec"))))
                .optional();
    }

    /** The {@code dataset.artifact} of a run's spec (JSON text), or null. */
    private String artifact(String spec) {
        JsonNode artifact = json.readTree(spec).path("dataset").path("artifact");
        return artifact.isString() ? artifact.stringValue() : null;
    }

    private static Dataset dataset(ResultSet rs, int row) throws SQLException {
        return new Dataset(rs.getLong("id"), rs.getLong("project_id"), rs.getString("sha256"), rs.getString("name"),
                rs.getLong("size_bytes"), rs.getString("storage_key"), rs.getString("username"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant());
    }
}
