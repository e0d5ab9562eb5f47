package dev.trainyard.platform.auth;

import dev.trainyard.platform.auth.LoginCodeRepository.LoginCodeRow;
import dev.trainyard.platform.auth.SessionRepository.SessionRow;
import dev.trainyard.platform.web.ApiException;
import dev.trainyard.platform.web.Times;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Browser sessions for the dashboard: made from an API token or a one-time login code, kept in the database (only
 * the SHA-256 of the cookie's value) so that every platform replica knows them. A session ends after
 * {@link SessionProperties#idleTimeout()} without use or {@link SessionProperties#maxAge()} after sign-in, whichever
 * comes first, when it is ended (DELETE /api/v1/session), or when the token it was made from is revoked or expires.
 * Expired rows are deleted whenever someone signs in.
 */
@Service
public class SessionService {

    static final String SESSION_PREFIX = "tys_";
    static final String CSRF_PREFIX = "tyc_";
    private static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);

    private final SessionRepository sessions;
    private final LoginCodeRepository codes;
    private final TokenService tokens;
    private final UserRepository users;
    private final SessionProperties settings;

    public SessionService(SessionRepository sessions, LoginCodeRepository codes, TokenService tokens,
            UserRepository users, SessionProperties settings) {
        this.sessions = sessions;
        this.codes = codes;
        this.tokens = tokens;
        this.users = users;
        this.settings = settings;
    }

    /** A signed-in session: its caller, its CSRF token and when it ends unless used again. */
    public record ActiveSession(Caller caller, String csrfToken, Instant expiresAt) {

        /** Whether a request's X-CSRF-Token header holds this session's token; compared in constant time. */
        public boolean csrfMatches(String header) {
            return header != null && MessageDigest.isEqual(header.getBytes(StandardCharsets.UTF_8),
                    csrfToken.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** A new session and the value its cookie carries (shown only here). */
    public record NewSession(String cookieValue, ActiveSession session) {}

    /** Why a session cookie was refused; the 401's detail. */
    public sealed interface Authentication {
        record Accepted(ActiveSession session) implements Authentication {}

        record Refused(String reason) implements Authentication {}
    }

    @Transactional
    public NewSession signInWithToken(String token) {
        return switch (tokens.authenticate(token)) {
            case TokenService.Authentication.Accepted(Caller caller) -> start(caller, caller.tokenId());
            case TokenService.Authentication.Refused(String reason) -> throw unauthorized(reason);
        };
    }

    /** Exchanges a one-time login code; it cannot be used again, whatever happens next. */
    @Transactional(noRollbackFor = ApiException.class)
    public NewSession signInWithCode(String code) {
        String hash = Tokens.sha256(code);
        Instant now = Times.now();
        boolean claimed = codes.claim(hash, now);
        Optional<LoginCodeRow> found = codes.find(hash);
        if (found.isEmpty()) {
            throw unauthorized("unknown login code; make a new one with POST /api/v1/login-codes");
        }
        LoginCodeRow row = found.get();
        if (!claimed) {
            throw unauthorized(row.usedAt() != null
                    ? "this login code was already used, at " + row.usedAt() + "; a login code signs in only once"
                    : "this login code expired at " + row.expiresAt() + "; make a new one with POST /api/v1/login-codes");
        }
        if (row.tokenRevokedAt() != null) {
            throw unauthorized("the token that made this login code was revoked at " + row.tokenRevokedAt());
        }
        if (row.tokenExpiresAt() != null && !row.tokenExpiresAt().isAfter(now)) {
            throw unauthorized("the token that made this login code expired at " + row.tokenExpiresAt());
        }
        User user = users.findById(row.userId()).orElseThrow();
        Caller caller = new Caller(user.getId(), user.getUsername(), user.isSiteAdmin(),
                row.tokenId() == null ? 0 : row.tokenId(), row.scope());
        return start(caller, caller.tokenId());
    }

    /** A one-time login code that signs in as the caller, with the caller's scope. */
    @Transactional
    public SessionRecords.LoginCodeResponse createLoginCode(Caller caller) {
        Instant now = Times.now();
        codes.deleteExpiredBefore(now.minus(Duration.ofDays(1)));
        String code = Tokens.newSecret("tyl_");
        Instant expiresAt = now.plus(settings.loginCodeTtl());
        codes.insert(Tokens.sha256(code), caller.userId(), tokenIdOf(caller.tokenId()), caller.scope(), now,
                expiresAt);
        return new SessionRecords.LoginCodeResponse(code, expiresAt);
    }

    @Transactional
    public Authentication authenticate(String cookieValue) {
        Optional<SessionRow> found = sessions.find(Tokens.sha256(cookieValue));
        if (found.isEmpty()) {
            return new Authentication.Refused("unknown or ended session; sign in again with POST /api/v1/session");
        }
        SessionRow row = found.get();
        Instant now = Times.now();
        if (!row.expiresAt().isAfter(now)) {
            return new Authentication.Refused("the session expired at " + row.expiresAt() + "; sign in again");
        }
        if (row.tokenRevokedAt() != null) {
            return new Authentication.Refused("the session ended when the token it was made from was revoked at "
                    + row.tokenRevokedAt() + "; sign in again");
        }
        if (row.tokenExpiresAt() != null && !row.tokenExpiresAt().isAfter(now)) {
            return new Authentication.Refused("the session ended when the token it was made from expired at "
                    + row.tokenExpiresAt() + "; sign in again");
        }
        Instant expiresAt = row.expiresAt();
        if (row.lastSeenAt().isBefore(now.minus(TOUCH_INTERVAL))) {
            expiresAt = slidingEnd(now, row.absoluteExpiresAt());
            sessions.touch(row.id(), now, expiresAt, now.minus(TOUCH_INTERVAL));
        }
        Caller caller = new Caller(row.userId(), row.username(), row.siteAdmin(),
                row.tokenId() == null ? 0 : row.tokenId(), row.scope());
        return new Authentication.Accepted(new ActiveSession(caller, row.csrfToken(), expiresAt));
    }

    /** Ends the session the cookie names, if there is one; whether there was. */
    @Transactional
    public boolean end(String cookieValue) {
        return sessions.delete(Tokens.sha256(cookieValue)) > 0;
    }

    private NewSession start(Caller caller, long tokenId) {
        Instant now = Times.now();
        sessions.deleteExpired(now);
        String value = Tokens.newSecret(SESSION_PREFIX);
        String csrf = Tokens.newSecret(CSRF_PREFIX);
        Instant absolute = now.plus(settings.maxAge());
        Instant expiresAt = slidingEnd(now, absolute);
        sessions.insert(Tokens.sha256(value), caller.userId(), tokenIdOf(tokenId), caller.scope(), csrf, now,
                expiresAt, absolute);
        return new NewSession(value, new ActiveSession(caller, csrf, expiresAt));
    }

    private Instant slidingEnd(Instant now, Instant absolute) {
        Instant idle = now.plus(settings.idleTimeout());
        return idle.isBefore(absolute) ? idle : absolute;
    }

    /** Callers that act without a token of their own (standalone's local admin, code sessions) have token id 0. */
    private static Long tokenIdOf(long tokenId) {
        return tokenId > 0 ? tokenId : null;
    }

    static ApiException unauthorized(String detail) {
        return new ApiException(HttpStatus.UNAUTHORIZED, detail, List.of());
    }
}
