package dev.trainyard.platform.workers;

import dev.trainyard.platform.auth.Caller;
import dev.trainyard.platform.auth.Tokens;
import dev.trainyard.platform.scheduling.Sql;
import dev.trainyard.platform.web.ApiException;
import dev.trainyard.platform.web.Times;
import dev.trainyard.platform.workers.WorkerRecords.CreatedWorkerTokenResponse;
import dev.trainyard.platform.workers.WorkerRecords.WorkerTokenResponse;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Issues, lists, revokes and checks worker tokens. Only site admins with an admin-scope token manage them. */
@Service
public class WorkerTokenService {

    private final JdbcClient jdbc;

    public WorkerTokenService(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Why a worker token was refused: the 401's detail. */
    public sealed interface Authentication {
        record Accepted(WorkerPrincipal principal) implements Authentication {}

        record Refused(String reason) implements Authentication {}
    }

    private record Row(long id, String name, String prefix, long createdBy, Instant createdAt, Instant expiresAt,
            Instant revokedAt, Instant lastUsedAt) {

        static Row of(ResultSet rs) throws SQLException {
            return new Row(rs.getLong("id"), rs.getString("name"), rs.getString("token_prefix"),
                    rs.getLong("created_by"), Sql.instant(rs, "created_at"), Sql.instant(rs, "expires_at"),
                    Sql.instant(rs, "revoked_at"), Sql.instant(rs, "last_used_at"));
        }

        WorkerTokenResponse view(Instant now) {
            String status = revokedAt != null ? "revoked"
                    : expiresAt != null && !expiresAt.isAfter(now) ? "expired" : "active";
            return new WorkerTokenResponse(id, name, prefix, createdAt, expiresAt, revokedAt, lastUsedAt, status);
        }
    }

    private static final String COLUMNS =
            "id, name, token_prefix, created_by, created_at, expires_at, revoked_at, last_used_at";

    public Authentication authenticate(String rawToken) {
        Optional<Row> found = jdbc.sql("SELECT " + COLUMNS + " FROM worker_tokens WHERE token_hash = :hash")
                .param("hash", Tokens.sha256(rawToken))
                .query((rs, i) -> Row.of(rs))
                .optional();
        if (found.isEmpty()) {
            return new Authentication.Refused("unknown worker token");
        }
        Row token = found.get();
        Instant now = Times.now();
        if (token.revokedAt() != null) {
            return new Authentication.Refused("worker token revoked at " + token.revokedAt());
        }
        if (token.expiresAt() != null && !token.expiresAt().isAfter(now)) {
            return new Authentication.Refused("worker token expired at " + token.expiresAt());
        }
        if (token.lastUsedAt() == null || token.lastUsedAt().isBefore(now.minus(Duration.ofMinutes(1)))) {
            // at most once a minute, so that heartbeats and leases do not each cost a write
            jdbc.sql("UPDATE worker_tokens SET last_used_at = :now WHERE id = :id")
                    .param("now", Sql.ts(now)).param("id", token.id()).update();
        }
        return new Authentication.Accepted(new WorkerPrincipal(token.id(), token.name()));
    }

    /** A new worker token; a null expiry never expires (workers are machines: revoke a token to retire it). */
    @Transactional
    public CreatedWorkerTokenResponse create(Caller caller, String name, Integer expiresInDays) {
        requireSiteAdmin(caller);
        String raw = WorkerTokens.newToken();
        Instant now = Times.now();
        Instant expires = expiresInDays == null ? null : now.plus(Duration.ofDays(expiresInDays));
        String hash = Tokens.sha256(raw);
        jdbc.sql("""
                        INSERT INTO worker_tokens (name, token_hash, token_prefix, created_by, created_at, expires_at)
                        VALUES (:name, :hash, :prefix, :by, :now, :expires)""")
                .param("name", name).param("hash", hash).param("prefix", Tokens.displayPrefix(raw))
                .param("by", caller.userId()).param("now", Sql.ts(now)).param("expires", Sql.ts(expires))
                .update();
        long id = jdbc.sql("SELECT id FROM worker_tokens WHERE token_hash = :hash").param("hash", hash)
                .query(Long.class).single();
        return new CreatedWorkerTokenResponse(raw, find(id).view(now));
    }

    /** Stores a worker token made elsewhere (a preset bootstrap token) unless it is stored already; true when added. */
    @Transactional
    public boolean adopt(long createdBy, String name, String raw) {
        String hash = Tokens.sha256(raw);
        if (jdbc.sql("SELECT count(*) FROM worker_tokens WHERE token_hash = :hash").param("hash", hash)
                .query(Long.class).single() > 0) {
            return false;
        }
        jdbc.sql("""
                        INSERT INTO worker_tokens (name, token_hash, token_prefix, created_by, created_at)
                        VALUES (:name, :hash, :prefix, :by, :now)""")
                .param("name", name).param("hash", hash).param("prefix", Tokens.displayPrefix(raw))
                .param("by", createdBy).param("now", Sql.ts(Times.now())).update();
        return true;
    }

    @Transactional(readOnly = true)
    public List<WorkerTokenResponse> list(Caller caller) {
        requireSiteAdmin(caller);
        Instant now = Times.now();
        return jdbc.sql("SELECT " + COLUMNS + " FROM worker_tokens ORDER BY created_at DESC, id DESC")
                .query((rs, i) -> Row.of(rs).view(now))
                .list();
    }

    /** Revokes at once: the workers using it get 401 from their next call, and their leases run out. */
    @Transactional
    public WorkerTokenResponse revoke(Caller caller, long id) {
        requireSiteAdmin(caller);
        Row row = find(id);
        Instant now = Times.now();
        jdbc.sql("UPDATE worker_tokens SET revoked_at = :now WHERE id = :id AND revoked_at IS NULL")
                .param("now", Sql.ts(now)).param("id", id).update();
        return find(row.id()).view(now);
    }

    private Row find(long id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM worker_tokens WHERE id = :id").param("id", id)
                .query((rs, i) -> Row.of(rs))
                .optional()
                .orElseThrow(() -> ApiException.notFound("no worker token " + id));
    }

    private static void requireSiteAdmin(Caller caller) {
        if (!caller.siteAdmin()) {
            throw ApiException.forbidden("only site admins manage worker tokens");
        }
    }
}
