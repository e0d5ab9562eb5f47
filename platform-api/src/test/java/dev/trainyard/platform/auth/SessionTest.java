package dev.trainyard.platform.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.trainyard.platform.events.SseStream;
import dev.trainyard.platform.testing.Api;
import dev.trainyard.platform.testing.IntegrationTest;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The dashboard's cookie sign-in: POST/GET/DELETE /api/v1/session, the cookie on the API, CSRF, expiry. */
class SessionTest extends IntegrationTest {

    /** What a browser holds after signing in: the cookie's value and the CSRF token the app keeps in memory. */
    record Browser(String cookie, String csrf, JsonNode session) {

        Map<String, String> headers() {
            return Map.of("Cookie", SessionCookie.NAME + "=" + cookie);
        }

        Map<String, String> headersWithCsrf(String csrf) {
            Map<String, String> h = new HashMap<>(headers());
            h.put("X-CSRF-Token", csrf);
            return h;
        }
    }

    private Browser signIn(Map<String, Object> body) {
        Api.Response r = api.post("/api/v1/session", null, body);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        String cookie = sessionCookie(r);
        return new Browser(cookie.substring(cookie.indexOf('=') + 1, cookie.indexOf(';')),
                r.json().get("csrfToken").stringValue(), r.json());
    }

    private static String sessionCookie(Api.Response r) {
        List<String> cookies = r.headers().allValues("Set-Cookie");
        assertThat(cookies).as("Set-Cookie of " + r).hasSize(1);
        assertThat(cookies.getFirst()).startsWith(SessionCookie.NAME + "=");
        return cookies.getFirst();
    }

    private Api.Response get(String path, Browser browser) {
        return api.send("GET", path, null, browser.headers(), null);
    }

    @Test
    void aTokenBecomesAStrictHttpOnlySessionCookieStoredOnlyAsAHash() {
        TestUser alice = newUser("alice", Scope.WRITE);
        Instant before = Instant.now();
        Api.Response r = api.post("/api/v1/session", null, Map.of("token", alice.token()));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        String cookie = sessionCookie(r);
        assertThat(cookie).contains("; Path=/", "; HttpOnly", "; SameSite=Strict", "; Max-Age=604800")
                .doesNotContain("Secure");
        String value = cookie.substring(cookie.indexOf('=') + 1, cookie.indexOf(';'));
        assertThat(value).startsWith("tys_").hasSize(47);

        JsonNode body = r.json();
        // "user" is the body of GET /api/v1/users/me for the token the session was made from
        assertThat(body.get("user")).isEqualTo(api.get("/api/v1/users/me", alice.token()).json());
        assertThat(body.get("user").get("user").get("username").stringValue()).isEqualTo(alice.username());
        assertThat(body.get("user").get("tokenScope").stringValue()).isEqualTo("write");
        String csrf = body.get("csrfToken").stringValue();
        assertThat(csrf).startsWith("tyc_").hasSize(47);
        Instant expiresAt = Instant.parse(body.get("expiresAt").stringValue());
        assertThat(expiresAt).isCloseTo(before.plus(Duration.ofHours(12)), within(30, ChronoUnit.SECONDS));

        Map<String, Object> row = jdbc.sql("SELECT user_id, scope, csrf_token, expires_at, absolute_expires_at "
                + "FROM web_sessions WHERE session_hash = ?").param(Tokens.sha256(value)).query().singleRow();
        assertThat(((Number) row.get("user_id")).longValue()).isEqualTo(alice.id());
        assertThat(row.get("scope")).isEqualTo("write");
        assertThat(row.get("csrf_token")).isEqualTo(csrf);
        assertThat(instant(row.get("absolute_expires_at")))
                .isCloseTo(before.plus(Duration.ofDays(7)), within(30, ChronoUnit.SECONDS));
        assertThat(jdbc.sql("SELECT count(*) FROM web_sessions WHERE session_hash = ?").param(value)
                .query(Long.class).single()).isZero();

        // GET answers the same session while the cookie is valid
        Api.Response current = api.send("GET", "/api/v1/session", null,
                Map.of("Cookie", SessionCookie.NAME + "=" + value), null);
        assertThat(current.status()).as(current.toString()).isEqualTo(200);
        assertThat(current.json().get("user")).isEqualTo(body.get("user"));
        assertThat(current.json().get("csrfToken").stringValue()).isEqualTo(csrf);
    }

    @Test
    void theCookieIsSecureOverHttpsBehindAProxy() {
        TestUser alice = newUser("alice");
        Api.Response r = api.send("POST", "/api/v1/session", null, Map.of("X-Forwarded-Proto", "https"),
                Map.of("token", alice.token()));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(sessionCookie(r)).contains("; Secure", "; HttpOnly", "; SameSite=Strict");
    }

    @Test
    void theCookieAuthenticatesTheApiAsTheTokenDoes() {
        TestUser alice = newUser("alice");
        long project = newProject(alice);
        Browser browser = signIn(Map.of("token", alice.token()));

        Api.Response me = get("/api/v1/users/me", browser);
        assertThat(me.status()).as(me.toString()).isEqualTo(200);
        assertThat(me.json()).isEqualTo(api.get("/api/v1/users/me", alice.token()).json());
        Api.Response projects = get("/api/v1/projects", browser);
        assertThat(projects.status()).as(projects.toString()).isEqualTo(200);
        assertThat(projects.json().get("items")).extracting(p -> p.get("id").longValue()).contains(project);

        // another user's session sees only what that user may see
        TestUser bob = newUser("bob");
        assertProblem(get("/api/v1/projects/" + project, signIn(Map.of("token", bob.token()))), 404);
    }

    @Test
    void cookieWritesNeedTheCsrfTokenAndBearerWritesDoNot() {
        TestUser alice = newUser("alice");
        Browser browser = signIn(Map.of("token", alice.token()));
        Map<String, Object> project = Map.of("name", "csrf-" + System.nanoTime());

        JsonNode missing = assertProblem(api.send("POST", "/api/v1/projects", null, browser.headers(), project), 403);
        assertThat(missing.get("detail").stringValue()).contains("X-CSRF-Token");
        assertProblem(api.send("POST", "/api/v1/projects", null, browser.headersWithCsrf("tyc_wrong"), project), 403);
        Browser other = signIn(Map.of("token", alice.token()));
        assertProblem(api.send("POST", "/api/v1/projects", null, browser.headersWithCsrf(other.csrf()), project),
                403);
        assertThat(get("/api/v1/projects", browser).json().get("items").toString())
                .doesNotContain((String) project.get("name"));

        Api.Response created = api.send("POST", "/api/v1/projects", null, browser.headersWithCsrf(browser.csrf()),
                project);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        long id = created.json().get("id").longValue();
        Api.Response deleted = api.send("DELETE", "/api/v1/tokens/999999999", null,
                browser.headersWithCsrf(browser.csrf()), null);
        assertProblem(deleted, 404); // past CSRF and authentication: the handler's own answer

        // bearer requests need no CSRF header, with or without a cookie beside them
        Api.Response bearer = api.post("/api/v1/projects", alice.token(), Map.of("name", "bearer-" + id));
        assertThat(bearer.status()).as(bearer.toString()).isEqualTo(201);
        Api.Response both = api.send("POST", "/api/v1/projects", alice.token(), browser.headers(),
                Map.of("name", "both-" + id));
        assertThat(both.status()).as(both.toString()).isEqualTo(201);
    }

    @Test
    void aSessionHasItsTokensScope() {
        TestUser reader = newUser("reader", Scope.READ);
        Browser browser = signIn(Map.of("token", reader.token()));
        assertThat(get("/api/v1/projects", browser).status()).isEqualTo(200);
        JsonNode refused = assertProblem(api.send("POST", "/api/v1/projects", null,
                browser.headersWithCsrf(browser.csrf()), Map.of("name", "no")), 403);
        assertThat(refused.get("detail").stringValue()).contains("scope write", "scope is read");
    }

    @Test
    void signingOutEndsTheSessionOnTheServer() {
        TestUser alice = newUser("alice");
        Browser browser = signIn(Map.of("token", alice.token()));

        assertProblem(api.send("DELETE", "/api/v1/session", null, browser.headers(), null), 403);
        assertThat(get("/api/v1/users/me", browser).status()).isEqualTo(200);

        Api.Response out = api.send("DELETE", "/api/v1/session", null, browser.headersWithCsrf(browser.csrf()), null);
        assertThat(out.status()).as(out.toString()).isEqualTo(204);
        assertThat(sessionCookie(out)).contains("Max-Age=0", "HttpOnly", "SameSite=Strict");
        assertThat(jdbc.sql("SELECT count(*) FROM web_sessions WHERE session_hash = ?")
                .param(Tokens.sha256(browser.cookie())).query(Long.class).single()).isZero();

        // the same cookie, kept by a copy of the browser, no longer works anywhere
        Api.Response me = get("/api/v1/users/me", browser);
        assertThat(assertProblem(me, 401).get("detail").stringValue()).contains("unknown or ended session");
        assertThat(sessionCookie(me)).contains("Max-Age=0");
        assertProblem(api.send("GET", "/api/v1/session", null, browser.headers(), null), 401);
        // signing out again, or without a cookie, is harmless
        assertThat(api.send("DELETE", "/api/v1/session", null, browser.headers(), null).status()).isEqualTo(204);
        assertThat(api.delete("/api/v1/session", null).status()).isEqualTo(204);
    }

    @Test
    void withoutOrWithABadCookieTheSessionIs401() {
        JsonNode none = assertProblem(api.get("/api/v1/session", null), 401);
        assertThat(none.get("detail").stringValue()).contains("no session cookie");
        Api.Response bad = api.send("GET", "/api/v1/session", null,
                Map.of("Cookie", SessionCookie.NAME + "=tys_made-up"), null);
        assertThat(assertProblem(bad, 401).get("detail").stringValue()).contains("unknown or ended session");
        assertThat(sessionCookie(bad)).contains("Max-Age=0");
        JsonNode api401 = assertProblem(api.send("GET", "/api/v1/projects", null,
                Map.of("Cookie", SessionCookie.NAME + "=tys_made-up"), null), 401);
        assertThat(api401.get("detail").stringValue()).contains("unknown or ended session");
    }

    @Test
    void badSignInRequestsAreClearProblems() {
        TestUser alice = newUser("alice");
        JsonNode unknown = assertProblem(api.post("/api/v1/session", null, Map.of("token", "ty_nope")), 401);
        assertThat(unknown.get("detail").stringValue()).isEqualTo("unknown token");
        assertThat(api.post("/api/v1/session", null, Map.of("token", "ty_nope")).headers().allValues("Set-Cookie"))
                .isEmpty();

        JsonNode both = assertProblem(api.post("/api/v1/session", null,
                Map.of("token", alice.token(), "code", "tyl_x")), 400);
        assertThat(both.get("detail").stringValue()).isEqualTo("give either token or code, not both");
        assertThat(both.get("errors")).extracting(e -> e.get("pointer").stringValue()).containsExactly("/token",
                "/code");
        JsonNode neither = assertProblem(api.post("/api/v1/session", null, Map.of()), 400);
        assertThat(neither.get("detail").stringValue()).isEqualTo("give a token or a code");
        JsonNode typo = assertProblem(api.post("/api/v1/session", null, Map.of("tokn", alice.token())), 400);
        assertThat(typo.get("errors").get(0).get("pointer").stringValue()).isEqualTo("/tokn");

        String revoked = token(alice.id(), Scope.ADMIN);
        long revokedId = api.get("/api/v1/users/me", revoked).json().get("tokenId").longValue();
        api.delete("/api/v1/tokens/" + revokedId, alice.token());
        assertThat(assertProblem(api.post("/api/v1/session", null, Map.of("token", revoked)), 401)
                .get("detail").stringValue()).startsWith("token revoked at");
    }

    @Test
    void revokingTheTokenEndsItsSessions() {
        TestUser alice = newUser("alice");
        String second = token(alice.id(), Scope.ADMIN);
        Browser browser = signIn(Map.of("token", second));
        assertThat(get("/api/v1/users/me", browser).status()).isEqualTo(200);
        long id = browser.session().get("user").get("tokenId").longValue();
        assertThat(api.delete("/api/v1/tokens/" + id, alice.token()).status()).isEqualTo(200);
        JsonNode refused = assertProblem(get("/api/v1/users/me", browser), 401);
        assertThat(refused.get("detail").stringValue()).contains("token it was made from was revoked");
    }

    @Test
    void aSessionEndsAfterItsIdleTimeoutAndUseSlidesItUpToItsMaximum() {
        TestUser alice = newUser("alice");
        Browser browser = signIn(Map.of("token", alice.token()));
        String hash = Tokens.sha256(browser.cookie());

        // last used 2 hours ago, ending in 10 hours: a use moves the end to 12 hours from now
        Instant now = Instant.now();
        jdbc.sql("UPDATE web_sessions SET last_seen_at = ?, expires_at = ? WHERE session_hash = ?")
                .params(ts(now.minus(Duration.ofHours(2))), ts(now.plus(Duration.ofHours(10))), hash).update();
        JsonNode slid = get("/api/v1/session", browser).json();
        assertThat(Instant.parse(slid.get("expiresAt").stringValue()))
                .isCloseTo(now.plus(Duration.ofHours(12)), within(30, ChronoUnit.SECONDS));
        assertThat(instant(jdbc.sql("SELECT expires_at FROM web_sessions WHERE session_hash = ?").param(hash)
                .query().singleValue())).isCloseTo(now.plus(Duration.ofHours(12)), within(30, ChronoUnit.SECONDS));

        // but never past the maximum age from sign-in
        jdbc.sql("UPDATE web_sessions SET last_seen_at = ?, absolute_expires_at = ? WHERE session_hash = ?")
                .params(ts(now.minus(Duration.ofHours(2))), ts(now.plus(Duration.ofHours(1))), hash).update();
        assertThat(Instant.parse(get("/api/v1/session", browser).json().get("expiresAt").stringValue()))
                .isCloseTo(now.plus(Duration.ofHours(1)), within(30, ChronoUnit.SECONDS));

        // once past its end it is refused, and the next sign-in deletes it
        jdbc.sql("UPDATE web_sessions SET expires_at = ? WHERE session_hash = ?")
                .params(ts(now.minus(Duration.ofSeconds(1))), hash).update();
        JsonNode expired = assertProblem(get("/api/v1/projects", browser), 401);
        assertThat(expired.get("detail").stringValue()).contains("session expired at");
        signIn(Map.of("token", alice.token()));
        assertThat(jdbc.sql("SELECT count(*) FROM web_sessions WHERE session_hash = ?").param(hash)
                .query(Long.class).single()).isZero();
    }

    @Test
    void eventStreamsAcceptTheCookieAsEventSourceSendsIt() {
        TestUser alice = newUser("alice");
        long project = newProject(alice);
        long run = submitRun(project, alice, runBody()).get("id").longValue();
        Browser browser = signIn(Map.of("token", alice.token()));
        String runPath = "/api/v1/projects/" + project + "/runs/" + run;
        try (SseStream stream = SseStream.open(api, runPath + "/events", browser.headers())) {
            assertThat(stream.status()).isEqualTo(200);
            SseStream.Event snapshot = stream.next(Duration.ofSeconds(10));
            assertThat(snapshot.name()).isEqualTo("snapshot");
            assertThat(snapshot.json().get("run").get("id").longValue()).isEqualTo(run);
            Api.Response cancelled = api.send("POST", runPath + "/cancel", null,
                    browser.headersWithCsrf(browser.csrf()), null);
            assertThat(cancelled.status()).as(cancelled.toString()).isEqualTo(200);
            JsonNode status = stream.await(Duration.ofSeconds(10), e -> e.name().equals("status")).json();
            assertThat(status.get("to").stringValue()).isEqualTo("CANCELLED");
        }
        try (SseStream refused = SseStream.open(api, runPath + "/events",
                Map.of("Cookie", SessionCookie.NAME + "=tys_made-up"))) {
            assertProblem(refused.error(), 401);
        }
    }

    @Test
    void theSessionEndpointsAreDocumented() {
        JsonNode doc = api.get("/v3/api-docs", null).json();
        JsonNode session = doc.get("paths").get("/api/v1/session");
        assertThat(session.get("post").get("summary").stringValue()).startsWith("Sign in");
        assertThat(session.get("post").get("security")).isEmpty();
        assertThat(session.get("get").get("summary").stringValue()).isNotBlank();
        assertThat(session.get("delete").get("summary").stringValue()).startsWith("Sign out");
        assertThat(doc.get("paths").get("/api/v1/login-codes").get("post").get("summary").stringValue())
                .contains("login code");
        JsonNode scheme = doc.get("components").get("securitySchemes").get("session");
        assertThat(scheme.get("in").stringValue()).isEqualTo("cookie");
        assertThat(scheme.get("name").stringValue()).isEqualTo(SessionCookie.NAME);
        assertThat(doc.get("security").toString()).contains("bearer", "session");
    }

    static OffsetDateTime ts(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    static Instant instant(Object value) {
        return value instanceof OffsetDateTime o ? o.toInstant() : ((java.sql.Timestamp) value).toInstant();
    }
}
