package dev.trainyard.platform.auth;

import dev.trainyard.platform.web.AppPaths;
import dev.trainyard.platform.web.ProblemWriter;
import dev.trainyard.platform.workers.WorkerPaths;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Every request but health checks, the API documentation, the dashboard app's files ({@link AppPaths}) and the
 * sign-in endpoint needs {@code Authorization: Bearer <token>} or, from a browser, the session cookie
 * ({@link SessionCookie}). Either puts the same {@link Caller} on the request; anything else is a 401 problem with a
 * {@code WWW-Authenticate} challenge. A cookie-authenticated request that is not GET, HEAD or OPTIONS must also carry
 * the session's CSRF token in {@code X-CSRF-Token} (403 otherwise); bearer requests need no such header, since
 * browsers never add an Authorization header on their own. What the caller may then do is checked by
 * {@link ScopeInterceptor} and the project roles.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
public class AuthenticationFilter extends OncePerRequestFilter {

    public static final String CALLER_ATTRIBUTE = Caller.class.getName();
    static final String CSRF_REFUSAL = "a request signed in with the session cookie that is not GET, HEAD or OPTIONS "
            + "needs the header " + SessionCookie.CSRF_HEADER + " holding the session's csrfToken (from POST or GET "
            + SessionController.PATH + ")";

    private final TokenService tokens;
    private final SessionService sessions;
    private final ProblemWriter problems;

    public AuthenticationFilter(TokenService tokens, SessionService sessions, ProblemWriter problems) {
        this.tokens = tokens;
        this.sessions = sessions;
        this.problems = problems;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return path.equals("/actuator/health") || path.startsWith("/actuator/health/")
                || WorkerPaths.isWorkerPath(path) // worker tokens: workers.WorkerAuthenticationFilter
                || path.equals("/v3/api-docs") || path.startsWith("/v3/api-docs/")
                || path.equals("/swagger-ui.html") || path.startsWith("/swagger-ui/")
                || path.equals(SessionController.PATH) // reads the cookie itself; signing in needs no credentials
                || AppPaths.isAppPath(path);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || header.isBlank()) {
            Optional<String> cookie = SessionCookie.read(request);
            if (cookie.isPresent()) {
                authenticateSession(cookie.get(), request, response, chain);
            } else {
                refuse(request, response, null, "this endpoint needs an Authorization: Bearer <token> header "
                        + "(or, from a browser, the session cookie of POST " + SessionController.PATH + ")");
            }
            return;
        }
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7) || header.substring(7).isBlank()) {
            refuse(request, response, "invalid_request", "the Authorization header must be 'Bearer <token>'");
            return;
        }
        switch (tokens.authenticate(header.substring(7).strip())) {
            case TokenService.Authentication.Accepted(Caller caller) -> {
                request.setAttribute(CALLER_ATTRIBUTE, caller);
                chain.doFilter(request, response);
            }
            case TokenService.Authentication.Refused(String reason) ->
                    refuse(request, response, "invalid_token", reason);
        }
    }

    private void authenticateSession(String cookie, HttpServletRequest request, HttpServletResponse response,
            FilterChain chain) throws ServletException, IOException {
        switch (sessions.authenticate(cookie)) {
            case SessionService.Authentication.Accepted(SessionService.ActiveSession session) -> {
                if (!SessionCookie.isSafeMethod(request.getMethod())
                        && !session.csrfMatches(request.getHeader(SessionCookie.CSRF_HEADER))) {
                    problems.write(request, response, HttpStatus.FORBIDDEN, CSRF_REFUSAL);
                    return;
                }
                request.setAttribute(CALLER_ATTRIBUTE, session.caller());
                chain.doFilter(request, response);
            }
            case SessionService.Authentication.Refused(String reason) -> {
                SessionCookie.clear(request, response);
                refuse(request, response, null, reason);
            }
        }
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response, String error, String detail)
            throws IOException {
        String challenge = error == null ? "Bearer realm=\"trainyard\""
                : "Bearer realm=\"trainyard\", error=\"" + error + "\", error_description=\"" + detail + "\"";
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, challenge);
        problems.write(request, response, HttpStatus.UNAUTHORIZED, detail);
    }
}
