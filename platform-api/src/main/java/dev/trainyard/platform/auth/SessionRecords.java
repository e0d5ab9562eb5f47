package dev.trainyard.platform.auth;

import dev.trainyard.platform.auth.AuthRecords.MeResponse;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Size;
import java.time.Instant;

/** Requests and responses of the session and login-code endpoints. */
public final class SessionRecords {

    private SessionRecords() {}

    /** Exactly one of the two: an API token ({@code ty_...}) or a one-time login code ({@code tyl_...}). */
    public record SignInRequest(
            @Schema(description = "an API token; the session gets its user and scope and ends when it is revoked")
            @Size(max = 200) String token,
            @Schema(description = "a one-time login code (POST /api/v1/login-codes); the session gets its maker's "
                    + "user and scope")
            @Size(max = 200) String code) {}

    /**
     * The signed-in session: who it acts as (the body of GET /api/v1/users/me), the value to send as
     * {@code X-CSRF-Token} on every cookie-authenticated request that is not GET, HEAD or OPTIONS, and when it ends
     * unless used again before.
     */
    public record SessionResponse(MeResponse user, String csrfToken, Instant expiresAt) {}

    /** A one-time login code: exchange it with POST /api/v1/session {"code": ...} before {@code expiresAt}. */
    public record LoginCodeResponse(String code, Instant expiresAt) {}
}
