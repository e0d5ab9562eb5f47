package dev.trainyard.platform.projects;

import dev.trainyard.platform.auth.Caller;
import dev.trainyard.platform.projects.QuotaExceededException.Quota;
import dev.trainyard.platform.projects.QuotaRecords.QuotaRequest;
import dev.trainyard.platform.projects.QuotaRecords.QuotaResponse;
import dev.trainyard.platform.projects.QuotaRecords.Usage;
import dev.trainyard.platform.web.ApiException;
import dev.trainyard.platform.web.Times;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A project's storage quotas (table project_quotas): how many metric keys and how many artifact bytes (checkpoints
 * and datasets) it may hold. The limits are {@link QuotaProperties} unless a site admin set the project's own.
 * Writers call {@link #addMetricKeys} and {@link #requireArtifactRoom} inside the transaction that stores, so a
 * refusal rolls the write back and concurrent writes to one project take turns on its quota row.
 */
@Service
public class ProjectQuotas {

    private final JdbcClient jdbc;
    private final QuotaProperties defaults;
    private final ProjectAccess access;

    public ProjectQuotas(JdbcClient jdbc, QuotaProperties defaults, ProjectAccess access) {
        this.jdbc = jdbc;
        this.defaults = defaults;
        this.access = access;
    }

    private record Row(long metricKeys, Long maxMetricKeys, Long maxArtifactBytes, OffsetDateTime updatedAt) {}

    /**
     * Counts {@code created} new metric keys of the project (in the transaction that created them), or throws a
     * 409 {@link QuotaExceededException} if that takes the project over its quota.
     */
    public void addMetricKeys(long projectId, long created) {
        if (created <= 0) {
            return;
        }
        if (jdbc.sql("UPDATE project_quotas SET metric_keys = metric_keys + :n WHERE project_id = :p")
                .param("n", created).param("p", projectId).update() == 0) {
            ensureRow(projectId);
            jdbc.sql("UPDATE project_quotas SET metric_keys = metric_keys + :n WHERE project_id = :p")
                    .param("n", created).param("p", projectId).update();
        }
        Row row = row(projectId);
        long limit = row.maxMetricKeys() != null ? row.maxMetricKeys() : defaults.metricKeys();
        if (row.metricKeys() > limit) {
            throw new QuotaExceededException(HttpStatus.CONFLICT, Quota.METRIC_KEYS, projectId, limit,
                    row.metricKeys() - created, created, "this batch's new metric names");
        }
    }

    /**
     * Locks the project's quota row until the transaction ends and throws a 413 {@link QuotaExceededException}
     * if the artifacts the transaction leaves (its own new one, {@code added} bytes, included) exceed the quota.
     */
    public void requireArtifactRoom(long projectId, long added, String what) {
        ensureRow(projectId);
        Row row = jdbc.sql("SELECT metric_keys, max_metric_keys, max_artifact_bytes, updated_at FROM project_quotas "
                + "WHERE project_id = :p FOR UPDATE").param("p", projectId).query(ProjectQuotas::row).single();
        long limit = artifactLimit(row);
        long used = artifactBytes(projectId);
        if (used > limit) {
            throw new QuotaExceededException(HttpStatus.CONTENT_TOO_LARGE, Quota.ARTIFACT_BYTES, projectId, limit,
                    used - added, added, what);
        }
    }

    /** For the project's members, and for site admins (who set quotas without being members). */
    @Transactional(readOnly = true)
    public QuotaResponse get(Caller caller, long projectId) {
        if (caller.siteAdmin()) {
            requireProject(projectId);
        } else {
            access.require(caller, projectId, ProjectRole.VIEWER);
        }
        return view(projectId);
    }

    /** Sets the project's own limits (site admins only); a null limit goes back to the default. */
    @Transactional
    public QuotaResponse set(Caller caller, long projectId, QuotaRequest request) {
        if (!caller.siteAdmin()) {
            access.require(caller, projectId, ProjectRole.VIEWER); // 404 for outsiders, as everywhere
            throw ApiException.forbidden("only a site admin sets a project's quotas");
        }
        requireProject(projectId);
        ensureRow(projectId);
        jdbc.sql("UPDATE project_quotas SET max_metric_keys = :k, max_artifact_bytes = :b, updated_by = :u, "
                        + "updated_at = :t WHERE project_id = :p")
                .param("k", request.maxMetricKeys()).param("b", request.maxArtifactBytes())
                .param("u", caller.userId()).param("t", Times.now().atOffset(ZoneOffset.UTC)).param("p", projectId)
                .update();
        return view(projectId);
    }

    private QuotaResponse view(long projectId) {
        Row row = jdbc.sql("SELECT metric_keys, max_metric_keys, max_artifact_bytes, updated_at FROM project_quotas "
                + "WHERE project_id = :p").param("p", projectId).query(ProjectQuotas::row).optional()
                .orElse(new Row(0, null, null, null));
        return new QuotaResponse(projectId,
                new Usage(row.maxMetricKeys() != null ? row.maxMetricKeys() : defaults.metricKeys(), row.metricKeys(),
                        source(row.maxMetricKeys())),
                new Usage(artifactLimit(row), artifactBytes(projectId), source(row.maxArtifactBytes())),
                row.updatedAt() == null || row.maxMetricKeys() == null && row.maxArtifactBytes() == null ? null
                        : row.updatedAt().toInstant());
    }

    private static String source(Long own) {
        return own == null ? "default" : "project";
    }

    private long artifactLimit(Row row) {
        return row.maxArtifactBytes() != null ? row.maxArtifactBytes() : defaults.artifactBytes().toBytes();
    }

    private long artifactBytes(long projectId) {
        return jdbc.sql("SELECT (SELECT COALESCE(SUM(size_bytes), 0) FROM checkpoints WHERE project_id = :p) "
                + "+ (SELECT COALESCE(SUM(size_bytes), 0) FROM datasets WHERE project_id = :p)")
                .param("p", projectId).query(Long.class).single();
    }

    private void requireProject(long projectId) {
        if (jdbc.sql("SELECT COUNT(*) FROM projects WHERE id = :p").param("p", projectId).query(Long.class)
                .single() == 0) {
            throw ProjectAccess.notFound(projectId);
        }
    }

    private void ensureRow(long projectId) {
        jdbc.sql("INSERT INTO project_quotas (project_id) VALUES (:p) ON CONFLICT DO NOTHING").param("p", projectId)
                .update();
    }

    private Row row(long projectId) {
        return jdbc.sql("SELECT metric_keys, max_metric_keys, max_artifact_bytes, updated_at FROM project_quotas "
                + "WHERE project_id = :p").param("p", projectId).query(ProjectQuotas::row).single();
    }

    private static Row row(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
        long maxKeys = rs.getLong("max_metric_keys");
        Long maxKeysOrNull = rs.wasNull() ? null : maxKeys;
        long maxBytes = rs.getLong("max_artifact_bytes");
        Long maxBytesOrNull = rs.wasNull() ? null : maxBytes;
        return new Row(rs.getLong("metric_keys"), maxKeysOrNull, maxBytesOrNull,
                rs.getObject("updated_at", OffsetDateTime.class));
    }
}
