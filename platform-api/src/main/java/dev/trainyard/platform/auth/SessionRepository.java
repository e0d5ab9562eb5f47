package dev.trainyard.platform.auth;

import static dev.trainyard.platform.scheduling.Sql.instant;
import static dev.trainyard.platform.scheduling.Sql.ts;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The web_sessions table, in plain SQL. Sessions are found by the SHA-256 of the cookie's value. */
@Repository
class SessionRepository {

    private final JdbcClient jdbc;

    SessionRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A session with its user and, when it was made from a token, that token's revocation and expiry. */
    record SessionRow(long id, long userId, String username, boolean siteAdmin, Long tokenId, Scope scope,
            String csrfToken, Instant lastSeenAt, Instant expiresAt, Instant absoluteExpiresAt,
            Instant tokenRevokedAt, Instant tokenExpiresAt) {}

    void insert(String sessionHash, long userId, Long tokenId, Scope scope, String csrfToken, Instant now,
            Instant expiresAt, Instant absoluteExpiresAt) {
        jdbc.sql("""
                INSERT INTO web_sessions (session_hash, user_id, token_id, scope, csrf_token, created_at, last_seen_at,
                    expires_at, absolute_expires_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""")
                .params(sessionHash, userId, tokenId, scope.wireName(), csrfToken, ts(now), ts(now), ts(expiresAt),
                        ts(absoluteExpiresAt))
                .update();
    }

    Optional<SessionRow> find(String sessionHash) {
        return jdbc.sql("""
                SELECT s.id, s.user_id, u.username, u.site_admin, s.token_id, s.scope, s.csrf_token, s.last_seen_at,
                    s.expires_at, s.absolute_expires_at, t.revoked_at AS token_revoked_at,
                    t.expires_at AS token_expires_at
                FROM web_sessions s
                JOIN users u ON u.id = s.user_id
                LEFT JOIN api_tokens t ON t.id = s.token_id
                WHERE s.session_hash = ?""")
                .param(sessionHash)
                .query(SessionRepository::row)
                .optional();
    }

    /** Slides the session's end forward, at most once a minute per session so reads do not each cost a write. */
    void touch(long id, Instant now, Instant expiresAt, Instant before) {
        jdbc.sql("UPDATE web_sessions SET last_seen_at = ?, expires_at = ? WHERE id = ? AND last_seen_at < ?")
                .params(ts(now), ts(expiresAt), id, ts(before))
                .update();
    }

    int delete(String sessionHash) {
        return jdbc.sql("DELETE FROM web_sessions WHERE session_hash = ?").param(sessionHash).update();
    }

    int deleteExpired(Instant now) {
        return jdbc.sql("DELETE FROM web_sessions WHERE expires_at <= ?").param(ts(now)).update();
    }

    private static SessionRow row(ResultSet rs, int n) throws SQLException {
        Long tokenId = rs.getObject("token_id", Long.class);
        return new SessionRow(rs.getLong("id"), rs.getLong("user_id"), rs.getString("username"),
                rs.getBoolean("site_admin"), tokenId, Scope.fromWire(rs.getString("scope")),
                rs.getString("csrf_token"), instant(rs, "last_seen_at"), instant(rs, "expires_at"),
                instant(rs, "absolute_expires_at"), instant(rs, "token_revoked_at"), instant(rs, "token_expires_at"));
    }
}
