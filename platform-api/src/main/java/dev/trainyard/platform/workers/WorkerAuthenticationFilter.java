package dev.trainyard.platform.workers;

import dev.trainyard.platform.web.ProblemWriter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Keeps the two token kinds apart. Worker endpoints ({@link WorkerPaths}) need a valid worker token, which puts a
 * {@link WorkerPrincipal} on the request; a user token there is 403. Elsewhere under {@code /api/}, a worker token
 * is 403 and user tokens go on to {@link dev.trainyard.platform.auth.AuthenticationFilter}, which skips worker paths.
 * Runs just before that filter.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 15)
public class WorkerAuthenticationFilter extends OncePerRequestFilter {

    public static final String PRINCIPAL_ATTRIBUTE = WorkerPrincipal.class.getName();

    private final WorkerTokenService tokens;
    private final ProblemWriter problems;

    public WorkerAuthenticationFilter(WorkerTokenService tokens, ProblemWriter problems) {
        this.tokens = tokens;
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        boolean bearer = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                && !header.substring(7).isBlank();
        String token = bearer ? header.substring(7).strip() : null;
        if (!WorkerPaths.isWorkerPath(path)) {
            if (path.startsWith("/api/") && WorkerTokens.looksLikeWorkerToken(token)) {
                problems.write(request, response, HttpStatus.FORBIDDEN, "a worker token can only call the worker "
                        + "endpoints under " + WorkerPaths.PREFIX + "; use a user token here");
                return;
            }
            chain.doFilter(request, response);
            return;
        }
        if (header == null || header.isBlank()) {
            refuse(request, response, null, "worker endpoints need an Authorization: Bearer <worker token> header");
            return;
        }
        if (token == null) {
            refuse(request, response, "invalid_request", "the Authorization header must be 'Bearer <token>'");
            return;
        }
        if (!WorkerTokens.looksLikeWorkerToken(token)) {
            problems.write(request, response, HttpStatus.FORBIDDEN, "worker endpoints take a worker token ("
                    + WorkerTokens.PREFIX + "..., created by a site admin with POST /api/v1/worker-tokens); user "
                    + "tokens cannot call them");
            return;
        }
        switch (tokens.authenticate(token)) {
            case WorkerTokenService.Authentication.Accepted(WorkerPrincipal principal) -> {
                request.setAttribute(PRINCIPAL_ATTRIBUTE, principal);
                chain.doFilter(request, response);
            }
            case WorkerTokenService.Authentication.Refused(String reason) ->
                    refuse(request, response, "invalid_token", reason);
        }
    }

    private void refuse(HttpServletRequest request, HttpServletResponse response, String error, String detail)
            throws IOException {
        String challenge = error == null ? "Bearer realm=\"trainyard-workers\""
                : "Bearer realm=\"trainyard-workers\", error=\"" + error + "\", error_description=\"" + detail + "\"";
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, challenge);
        problems.write(request, response, HttpStatus.UNAUTHORIZED, detail);
    }
}
