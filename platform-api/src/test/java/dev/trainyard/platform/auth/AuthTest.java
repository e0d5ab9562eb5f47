package dev.trainyard.platform.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.platform.testing.Api;
import dev.trainyard.platform.testing.IntegrationTest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class AuthTest extends IntegrationTest {

    @Test
    void requestsWithoutATokenAre401ProblemsWithAChallenge() {
        for (String path : new String[] {"/api/v1/projects", "/api/v1/users/me", "/api/v1/tokens",
                "/api/v1/projects/1/runs", "/actuator/prometheus", "/api/v1/no-such-thing"}) {
            Api.Response r = api.get(path, null);
            JsonNode problem = assertProblem(r, 401);
            assertThat(r.header("WWW-Authenticate")).startsWith("Bearer");
            assertThat(problem.get("detail").stringValue()).contains("Authorization: Bearer");
        }
    }

    @Test
    void malformedAndUnknownTokensAre401() {
        Api.Response basic = api.send("GET", "/api/v1/users/me", null, Map.of("Authorization", "Basic YWxpY2U6eA=="),
                null);
        assertProblem(basic, 401);
        assertThat(basic.header("WWW-Authenticate")).contains("invalid_request");

        Api.Response unknown = api.get("/api/v1/users/me", "ty_not-a-real-token");
        assertThat(assertProblem(unknown, 401).get("detail").stringValue()).isEqualTo("unknown token");
        assertThat(unknown.header("WWW-Authenticate")).contains("invalid_token");
    }

    @Test
    void healthNeedsNoToken() {
        Api.Response r = api.get("/actuator/health", null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("status").stringValue()).isEqualTo("UP");
    }

    @Test
    void meSaysWhoTheTokenBelongsTo() {
        TestUser alice = newUser("alice", Scope.WRITE);
        JsonNode me = api.get("/api/v1/users/me", alice.token()).json();
        assertThat(me.get("user").get("username").stringValue()).isEqualTo(alice.username());
        assertThat(me.get("user").get("siteAdmin").booleanValue()).isFalse();
        assertThat(me.get("tokenScope").stringValue()).isEqualTo("write");
    }

    @Test
    void aCreatedTokenIsShownOnceStoredAsAHashAndWorks() {
        TestUser alice = newUser("alice");
        Api.Response created = api.post("/api/v1/tokens", alice.token(),
                Map.of("name", "ci", "scope", "read", "expiresInDays", 7));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String token = created.json().get("token").stringValue();
        long id = created.json().get("info").get("id").longValue();
        assertThat(token).startsWith("ty_").hasSizeGreaterThan(40);
        assertThat(created.header("Location")).isEqualTo("/api/v1/tokens/" + id);
        assertThat(created.json().get("info").get("scope").stringValue()).isEqualTo("read");

        // only the SHA-256 is in the database
        String stored = jdbc.sql("SELECT token_hash FROM api_tokens WHERE id = ?").param(id).query(String.class).single();
        assertThat(stored).isEqualTo(Tokens.sha256(token)).doesNotContain(token);

        // the list never shows a token, only its prefix
        Api.Response list = api.get("/api/v1/tokens", alice.token());
        assertThat(list.body()).doesNotContain(token);
        assertThat(list.json().get("items")).anySatisfy(t -> {
            assertThat(t.get("id").longValue()).isEqualTo(id);
            assertThat(t.get("prefix").stringValue()).isEqualTo(token.substring(0, 10));
            assertThat(t.get("status").stringValue()).isEqualTo("active");
            assertThat(t.has("token")).isFalse();
        });

        assertThat(api.get("/api/v1/users/me", token).json().get("tokenScope").stringValue()).isEqualTo("read");
    }

    @Test
    void aTokenCannotCreateAStrongerOne() {
        TestUser reader = newUser("reader", Scope.READ);
        // creating anything is a write, so a read token cannot create tokens at all
        assertProblem(api.post("/api/v1/tokens", reader.token(), Map.of("name", "x")), 403);

        TestUser writer = newUser("writer", Scope.WRITE);
        JsonNode problem = assertProblem(api.post("/api/v1/tokens", writer.token(),
                Map.of("name", "x", "scope", "admin")), 403);
        assertThat(problem.get("detail").stringValue()).contains("write token cannot create a admin token");
        // without a scope, the new token gets the creator's
        Api.Response same = api.post("/api/v1/tokens", writer.token(), Map.of("name", "x"));
        assertThat(same.json().get("info").get("scope").stringValue()).isEqualTo("write");
    }

    @Test
    void tokenRequestsAreValidated() {
        TestUser alice = newUser("alice");
        JsonNode problem = assertProblem(api.post("/api/v1/tokens", alice.token(),
                Map.of("name", "", "expiresInDays", 0)), 400);
        assertThat(problem.get("errors")).extracting(e -> e.get("pointer").stringValue())
                .containsExactlyInAnyOrder("/name", "/expiresInDays");
        JsonNode badScope = assertProblem(api.post("/api/v1/tokens", alice.token(),
                Map.of("name", "x", "scope", "root")), 400);
        assertThat(badScope.get("errors").get(0).get("pointer").stringValue()).isEqualTo("/scope");
    }

    @Test
    void anExpiredTokenIs401() {
        TestUser alice = newUser("alice");
        long id = api.get("/api/v1/users/me", alice.token()).json().get("tokenId").longValue();
        jdbc.sql("UPDATE api_tokens SET expires_at = CURRENT_TIMESTAMP - INTERVAL '1' MINUTE WHERE id = ?").param(id)
                .update();
        JsonNode problem = assertProblem(api.get("/api/v1/users/me", alice.token()), 401);
        assertThat(problem.get("detail").stringValue()).startsWith("token expired at");
    }

    @Test
    void aRevokedTokenIs401AtOnce() {
        TestUser alice = newUser("alice");
        String second = api.post("/api/v1/tokens", alice.token(), Map.of("name", "laptop")).json().get("token")
                .stringValue();
        long secondId = api.get("/api/v1/users/me", second).json().get("tokenId").longValue();

        Api.Response revoked = api.delete("/api/v1/tokens/" + secondId, alice.token());
        assertThat(revoked.status()).as(revoked.toString()).isEqualTo(200);
        assertThat(revoked.json().get("status").stringValue()).isEqualTo("revoked");

        assertThat(assertProblem(api.get("/api/v1/users/me", second), 401).get("detail").stringValue())
                .startsWith("token revoked at");
        assertThat(api.get("/api/v1/users/me", alice.token()).status()).isEqualTo(200);
        // revoking again is harmless
        assertThat(api.delete("/api/v1/tokens/" + secondId, alice.token()).status()).isEqualTo(200);
    }

    @Test
    void someoneElsesTokenCannotBeRevoked() {
        TestUser alice = newUser("alice");
        TestUser bob = newUser("bob");
        long bobsToken = api.get("/api/v1/users/me", bob.token()).json().get("tokenId").longValue();
        assertProblem(api.delete("/api/v1/tokens/" + bobsToken, alice.token()), 404);
        assertThat(api.get("/api/v1/users/me", bob.token()).status()).isEqualTo(200);
    }

    @Test
    void siteAdminsCreateUsersWhoGetAFirstToken() {
        String adminToken = adminToken();
        Api.Response created = api.post("/api/v1/users", adminToken,
                Map.of("username", "carol-" + System.nanoTime(), "displayName", "Carol"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String carolToken = created.json().get("token").get("token").stringValue();
        JsonNode me = api.get("/api/v1/users/me", carolToken).json();
        assertThat(me.get("user").get("displayName").stringValue()).isEqualTo("Carol");
        assertThat(me.get("tokenScope").stringValue()).isEqualTo("write");

        String username = created.json().get("user").get("username").stringValue();
        assertProblem(api.post("/api/v1/users", adminToken, Map.of("username", username)), 409);
        JsonNode invalid = assertProblem(api.post("/api/v1/users", adminToken, Map.of("username", "Not Valid")), 400);
        assertThat(invalid.get("errors").get(0).get("pointer").stringValue()).isEqualTo("/username");
        assertThat(invalid.get("errors").get(0).get("rejectedValue").stringValue()).isEqualTo("Not Valid");
    }

    @Test
    void onlySiteAdminsWithAnAdminTokenCreateUsers() {
        TestUser alice = newUser("alice", Scope.ADMIN);
        assertProblem(api.post("/api/v1/users", alice.token(), Map.of("username", "x" + System.nanoTime())), 403);
        // a site admin's write token is not enough either
        long adminId = users.findByUsername("admin").orElseThrow().getId();
        String adminWrite = token(adminId, Scope.WRITE);
        JsonNode problem = assertProblem(api.post("/api/v1/users", adminWrite,
                Map.of("username", "x" + System.nanoTime())), 403);
        assertThat(problem.get("detail").stringValue()).contains("scope admin");
    }

    private String adminToken() {
        return token(users.findByUsername("admin").orElseThrow().getId(), Scope.ADMIN);
    }
}
