package dev.trainyard.platform.auth;

import dev.trainyard.platform.auth.AuthRecords.CreatedTokenResponse;
import dev.trainyard.platform.auth.AuthRecords.TokenResponse;
import dev.trainyard.platform.web.ApiException;
import dev.trainyard.platform.web.Times;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Issues, lists, revokes and checks API tokens. */
@Service
public class TokenService {

    public static final int DEFAULT_DAYS = 90;

    private final ApiTokenRepository tokens;
    private final UserRepository users;

    public TokenService(ApiTokenRepository tokens, UserRepository users) {
        this.tokens = tokens;
        this.users = users;
    }

    /** Why a bearer token was refused; the 401's detail. */
    public sealed interface Authentication {
        record Accepted(Caller caller) implements Authentication {}

        record Refused(String reason) implements Authentication {}
    }

    @Transactional
    public Authentication authenticate(String rawToken) {
        Optional<ApiToken> found = tokens.findByTokenHash(Tokens.sha256(rawToken));
        if (found.isEmpty()) {
            return new Authentication.Refused("unknown token");
        }
        ApiToken token = found.get();
        Instant now = Times.now();
        if (token.getRevokedAt() != null) {
            return new Authentication.Refused("token revoked at " + token.getRevokedAt());
        }
        if (token.isExpired(now)) {
            return new Authentication.Refused("token expired at " + token.getExpiresAt());
        }
        User user = users.findById(token.getUserId()).orElseThrow();
        tokens.touch(token.getId(), now, now.minus(Duration.ofMinutes(1)));
        return new Authentication.Accepted(
                new Caller(user.getId(), user.getUsername(), user.isSiteAdmin(), token.getId(), token.getScope()));
    }

    /** A token for the caller, no stronger than the caller's own. */
    @Transactional
    public CreatedTokenResponse create(Caller caller, String name, Scope scope, Integer expiresInDays) {
        Scope wanted = scope != null ? scope : caller.scope();
        if (!caller.scope().includes(wanted)) {
            throw ApiException.forbidden("a " + caller.scope().wireName() + " token cannot create a "
                    + wanted.wireName() + " token");
        }
        int days = expiresInDays != null ? expiresInDays : DEFAULT_DAYS;
        return issue(caller.userId(), name, wanted, Times.now().plus(Duration.ofDays(days)));
    }

    /** Issues a token to a user with no checks: for bootstrap and for new users. A null expiry never expires. */
    @Transactional
    public CreatedTokenResponse issue(long userId, String name, Scope scope, Instant expiresAt) {
        String raw = Tokens.newToken();
        ApiToken saved = tokens.save(new ApiToken(userId, name, Tokens.sha256(raw), Tokens.displayPrefix(raw), scope,
                Times.now(), expiresAt));
        return new CreatedTokenResponse(raw, TokenResponse.of(saved, Times.now()));
    }

    /**
     * Stores a token made elsewhere (a preset bootstrap token) for a user, unless it is stored already (revoked or
     * not: a revoked preset token stays revoked). True when it was added.
     */
    @Transactional
    public boolean adopt(long userId, String name, Scope scope, String raw) {
        if (tokens.findByTokenHash(Tokens.sha256(raw)).isPresent()) {
            return false;
        }
        tokens.saveAndFlush(new ApiToken(userId, name, Tokens.sha256(raw), Tokens.displayPrefix(raw), scope, Times.now(),
                null));
        return true;
    }

    @Transactional(readOnly = true)
    public List<TokenResponse> list(Caller caller) {
        Instant now = Times.now();
        return tokens.findByUserIdOrderByCreatedAtDescIdDesc(caller.userId()).stream()
                .map(t -> TokenResponse.of(t, now))
                .toList();
    }

    /** Revokes one of the caller's tokens; someone else's token is a 404. Revoking twice is harmless. */
    @Transactional
    public TokenResponse revoke(Caller caller, long tokenId) {
        ApiToken token = tokens.findByIdAndUserId(tokenId, caller.userId())
                .orElseThrow(() -> ApiException.notFound("no token " + tokenId + " among yours"));
        token.revoke(Times.now());
        return TokenResponse.of(token, Times.now());
    }
}
