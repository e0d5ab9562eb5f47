package dev.trainyard.platform.auth;

import static dev.trainyard.platform.scheduling.Sql.instant;
import static dev.trainyard.platform.scheduling.Sql.ts;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The login_codes table, in plain SQL. Codes are found by their SHA-256. */
@Repository
class LoginCodeRepository {

    private final JdbcClient jdbc;

    LoginCodeRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A code with its maker's token's revocation and expiry (null when no token made it). */
    record LoginCodeRow(long userId, Long tokenId, Scope scope, Instant expiresAt, Instant usedAt,
            Instant tokenRevokedAt, Instant tokenExpiresAt) {}

    void insert(String codeHash, long userId, Long tokenId, Scope scope, Instant now, Instant expiresAt) {
        jdbc.sql("""
                INSERT INTO login_codes (code_hash, user_id, token_id, scope, created_at, expires_at)
                VALUES (?, ?, ?, ?, ?, ?)""")
                .params(codeHash, userId, tokenId, scope.wireName(), ts(now), ts(expiresAt))
                .update();
    }

    /**
     * Marks the code used if it is unused and unexpired; whether this call did. One UPDATE, so of two exchanges of
     * the same code exactly one sees a row: the other waits for its row lock and then finds used_at set.
     */
    boolean claim(String codeHash, Instant now) {
        return jdbc.sql("UPDATE login_codes SET used_at = ? WHERE code_hash = ? AND used_at IS NULL AND expires_at > ?")
                .params(ts(now), codeHash, ts(now))
                .update() == 1;
    }

    Optional<LoginCodeRow> find(String codeHash) {
        return jdbc.sql("""
                SELECT c.user_id, c.token_id, c.scope, c.expires_at, c.used_at, t.revoked_at AS token_revoked_at,
                    t.expires_at AS token_expires_at
                FROM login_codes c
                LEFT JOIN api_tokens t ON t.id = c.token_id
                WHERE c.code_hash = ?""")
                .param(codeHash)
                .query(LoginCodeRepository::row)
                .optional();
    }

    /** Codes that expired before {@code before}; kept a while after expiry so a late exchange hears "expired". */
    int deleteExpiredBefore(Instant before) {
        return jdbc.sql("DELETE FROM login_codes WHERE expires_at < ?").param(ts(before)).update();
    }

    private static LoginCodeRow row(ResultSet rs, int n) throws SQLException {
        return new LoginCodeRow(rs.getLong("user_id"), rs.getObject("token_id", Long.class),
                Scope.fromWire(rs.getString("scope")), instant(rs, "expires_at"), instant(rs, "used_at"),
                instant(rs, "token_revoked_at"), instant(rs, "token_expires_at"));
    }
}
