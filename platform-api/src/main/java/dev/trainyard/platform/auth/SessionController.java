package dev.trainyard.platform.auth;

import dev.trainyard.platform.auth.AuthRecords.MeResponse;
import dev.trainyard.platform.auth.SessionRecords.SessionResponse;
import dev.trainyard.platform.auth.SessionRecords.SignInRequest;
import dev.trainyard.platform.auth.SessionService.ActiveSession;
import dev.trainyard.platform.auth.SessionService.NewSession;
import dev.trainyard.platform.web.ApiException;
import dev.trainyard.platform.web.FieldProblem;
import dev.trainyard.platform.web.Statuses;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import java.util.List;
import java.util.Optional;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The dashboard's sign-in: an API token or a one-time login code exchanged for the session cookie. These three
 * endpoints read the cookie themselves; {@link AuthenticationFilter} leaves them alone.
 */
@RestController
@RequestMapping(SessionController.PATH)
public class SessionController {

    static final String PATH = "/api/v1/session";

    private final SessionService sessions;
    private final UserService users;
    private final SessionProperties settings;

    public SessionController(SessionService sessions, UserService users, SessionProperties settings) {
        this.sessions = sessions;
        this.users = users;
        this.settings = settings;
    }

    @PostMapping
    @SecurityRequirements
    @Operation(summary = "Sign in: exchange an API token or a one-time login code for a session cookie",
            description = "Body {\"token\": ...} or {\"code\": ...}, exactly one. Answers the session and sets the "
                    + "HttpOnly, SameSite=Strict cookie trainyard_session (Secure over HTTPS). A bad, expired or "
                    + "already used code or token is a 401. Needs no Authorization header.")
    public SessionResponse signIn(@Valid @RequestBody SignInRequest request, HttpServletRequest http,
            HttpServletResponse response) {
        boolean hasToken = request.token() != null && !request.token().isBlank();
        boolean hasCode = request.code() != null && !request.code().isBlank();
        if (hasToken == hasCode) {
            String detail = hasToken ? "give either token or code, not both" : "give a token or a code";
            throw ApiException.badRequest(detail, List.of(
                    FieldProblem.atPointer("/token", detail, null), FieldProblem.atPointer("/code", detail, null)));
        }
        NewSession created = hasToken ? sessions.signInWithToken(request.token().strip())
                : sessions.signInWithCode(request.code().strip());
        SessionCookie.read(http).ifPresent(sessions::end); // signing in again replaces the browser's old session
        SessionCookie.set(http, response, created.cookieValue(), settings.maxAge());
        return body(created.session());
    }

    @GetMapping
    @SecurityRequirement(name = "session")
    @Operation(summary = "The signed-in session: its user, CSRF token and end",
            description = "200 while the session cookie is valid (using it pushes its end forward); 401 otherwise.")
    public SessionResponse current(HttpServletRequest http, HttpServletResponse response) {
        return body(active(http, response));
    }

    @DeleteMapping
    @SecurityRequirements
    @Statuses(success = 204)
    @Operation(summary = "Sign out: end the session and clear its cookie",
            description = "Reads the session cookie, not a bearer token. Needs the X-CSRF-Token header while the "
                    + "session is valid (403 without it). Answers 204 whether or not a session was still there.")
    public ResponseEntity<Void> signOut(HttpServletRequest http, HttpServletResponse response) {
        Optional<String> cookie = SessionCookie.read(http);
        if (cookie.isPresent()
                && sessions.authenticate(cookie.get()) instanceof SessionService.Authentication.Accepted(var session)
                && !session.csrfMatches(http.getHeader(SessionCookie.CSRF_HEADER))) {
            throw ApiException.forbidden(AuthenticationFilter.CSRF_REFUSAL);
        }
        cookie.ifPresent(sessions::end);
        SessionCookie.clear(http, response);
        return ResponseEntity.noContent().build();
    }

    private ActiveSession active(HttpServletRequest http, HttpServletResponse response) {
        String cookie = SessionCookie.read(http).orElseThrow(() -> SessionService.unauthorized(
                "no session cookie; sign in with POST " + PATH + " {\"token\": ...} or {\"code\": ...}"));
        return switch (sessions.authenticate(cookie)) {
            case SessionService.Authentication.Accepted(ActiveSession session) -> session;
            case SessionService.Authentication.Refused(String reason) -> {
                SessionCookie.clear(http, response);
                throw SessionService.unauthorized(reason);
            }
        };
    }

    private SessionResponse body(ActiveSession session) {
        Caller caller = session.caller();
        return new SessionResponse(new MeResponse(users.get(caller.userId()), caller.scope(), caller.tokenId()),
                session.csrfToken(), session.expiresAt());
    }
}
