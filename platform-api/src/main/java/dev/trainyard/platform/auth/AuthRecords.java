package dev.trainyard.platform.auth;

import dev.trainyard.platform.web.SingleLine;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;

/** Requests and responses of the token and user endpoints. */
public final class AuthRecords {

    private AuthRecords() {}

    /**
     * @param scope read, write or admin; no more than the scope of the token that creates it (default: that scope)
     * @param expiresInDays 1 to 3650; default 90
     */
    public record CreateTokenRequest(
            @NotBlank @SingleLine @Size(max = 100) String name,
            Scope scope,
            @Min(1) @Max(3650) Integer expiresInDays) {}

    /** A token as listed: never the token itself. */
    public record TokenResponse(long id, String name, String prefix, Scope scope, Instant createdAt,
            Instant expiresAt, Instant revokedAt, Instant lastUsedAt, String status) {

        static TokenResponse of(ApiToken t, Instant now) {
            String status = t.getRevokedAt() != null ? "revoked" : t.isExpired(now) ? "expired" : "active";
            return new TokenResponse(t.getId(), t.getName(), t.getTokenPrefix(), t.getScope(), t.getCreatedAt(),
                    t.getExpiresAt(), t.getRevokedAt(), t.getLastUsedAt(), status);
        }
    }

    /** The answer to creating a token: the only time {@code token} is shown. */
    public record CreatedTokenResponse(String token, TokenResponse info) {}

    public record CreateUserRequest(
            @NotBlank @Pattern(regexp = "[a-z0-9][a-z0-9._-]{0,63}",
                    message = "must be 1 to 64 lowercase letters, digits, '.', '_' or '-', starting with a letter or digit")
            String username,
            @SingleLine @Size(max = 200) String displayName,
            Boolean siteAdmin) {}

    public record UserResponse(long id, String username, String displayName, boolean siteAdmin, Instant createdAt) {

        static UserResponse of(User u) {
            return new UserResponse(u.getId(), u.getUsername(), u.getDisplayName(), u.isSiteAdmin(),
                    u.getCreatedAt());
        }
    }

    /** A new user and their first token (scope write, 90 days), shown once. */
    public record CreatedUserResponse(UserResponse user, CreatedTokenResponse token) {}

    /** Who the token belongs to, and the token's own scope. */
    public record MeResponse(UserResponse user, Scope tokenScope, long tokenId) {}
}
