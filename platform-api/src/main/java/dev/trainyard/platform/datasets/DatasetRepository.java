package dev.trainyard.platform.datasets;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The datasets table, in plain SQL. */
@Repository
public class DatasetRepository {

    private final JdbcClient jdbc;

    DatasetRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A dataset row with its uploader's name. */
    record Dataset(long id, long projectId, String sha256, String name, long sizeBytes, String storageKey,
            String uploadedBy, Instant createdAt) {}

    private static final String SELECT = "SELECT d.id, d.project_id, d.sha256, d.name, d.size_bytes, d.storage_key, "
            + "u.username, d.created_at FROM datasets d LEFT JOIN users u ON u.id = d.uploaded_by ";

    /** Whether the project has a dataset with these bytes ({@code sha256} in lower-case hex). */
    public boolean exists(long projectId, String sha256) {
        return jdbc.sql("SELECT count(*) FROM datasets WHERE project_id = ? AND sha256 = ?").params(projectId, sha256)
                .query(Long.class).single() > 0;
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

    /** The project of a run, or empty when there is no such run. */
    Optional<Long> projectOfRun(long runId) {
        return jdbc.sql("SELECT project_id FROM runs WHERE id = ?").param(runId).query(Long.class).optional();
    }

    private static Dataset dataset(ResultSet rs, int row) throws SQLException {
        return new Dataset(rs.getLong("id"), rs.getLong("project_id"), rs.getString("sha256"), rs.getString("name"),
                rs.getLong("size_bytes"), rs.getString("storage_key"), rs.getString("username"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant());
    }
}
