package dev.trainyard.platform.auth;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Duration;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;

/**
 * The {@code trainyard_session} cookie: HttpOnly (scripts never see it), SameSite=Strict (other sites' pages never
 * send it), Path=/, and Secure when the request came over HTTPS, directly or through a proxy that says so with
 * {@code X-Forwarded-Proto: https}. Trusting that header here is safe whatever the proxy setup: it can only make the
 * cookie stricter.
 */
final class SessionCookie {

    static final String NAME = "trainyard_session";
    /** The header that must carry the session's CSRF token on cookie-authenticated writes. */
    static final String CSRF_HEADER = "X-CSRF-Token";

    private SessionCookie() {}

    static Optional<String> read(HttpServletRequest request) {
        Cookie[] cookies = request.getCookies();
        if (cookies == null) {
            return Optional.empty();
        }
        for (Cookie cookie : cookies) {
            if (NAME.equals(cookie.getName()) && cookie.getValue() != null && !cookie.getValue().isBlank()) {
                return Optional.of(cookie.getValue());
            }
        }
        return Optional.empty();
    }

    static void set(HttpServletRequest request, HttpServletResponse response, String value, Duration maxAge) {
        response.addHeader(HttpHeaders.SET_COOKIE, build(request, value, maxAge).toString());
    }

    /** Tells the browser to drop the cookie. */
    static void clear(HttpServletRequest request, HttpServletResponse response) {
        response.addHeader(HttpHeaders.SET_COOKIE, build(request, "", Duration.ZERO).toString());
    }

    private static ResponseCookie build(HttpServletRequest request, String value, Duration maxAge) {
        return ResponseCookie.from(NAME, value)
                .path("/")
                .httpOnly(true)
                .sameSite("Strict")
                .secure(isHttps(request))
                .maxAge(maxAge)
                .build();
    }

    static boolean isHttps(HttpServletRequest request) {
        if (request.isSecure()) {
            return true;
        }
        String forwarded = request.getHeader("X-Forwarded-Proto");
        if (forwarded == null) {
            return false;
        }
        int comma = forwarded.indexOf(',');
        return (comma < 0 ? forwarded : forwarded.substring(0, comma)).strip().equalsIgnoreCase("https");
    }

    static boolean isSafeMethod(String method) {
        return method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS");
    }
}
