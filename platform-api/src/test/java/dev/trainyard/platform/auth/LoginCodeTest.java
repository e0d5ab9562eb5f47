package dev.trainyard.platform.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.trainyard.platform.testing.Api;
import dev.trainyard.platform.testing.IntegrationTest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** One-time login codes: made by an admin-scope caller, exchanged once within 5 minutes for a session. */
class LoginCodeTest extends IntegrationTest {

    private String newCode(String adminToken) {
        Api.Response r = api.post("/api/v1/login-codes", adminToken, null);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("code").stringValue();
    }

    private Api.Response exchange(String code) {
        return api.post("/api/v1/session", null, Map.of("code", code));
    }

    @Test
    void aCodeSignsInOnceAsItsMakerWithItsMakersScope() {
        TestUser alice = newUser("alice", Scope.ADMIN);
        Instant before = Instant.now();
        Api.Response created = api.post("/api/v1/login-codes", alice.token(), null);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String code = created.json().get("code").stringValue();
        assertThat(code).startsWith("tyl_").hasSize(47);
        assertThat(Instant.parse(created.json().get("expiresAt").stringValue()))
                .isCloseTo(before.plus(Duration.ofMinutes(5)), within(30, ChronoUnit.SECONDS));
        // only its SHA-256 is stored
        assertThat(jdbc.sql("SELECT count(*) FROM login_codes WHERE code_hash = ? AND user_id = ? AND scope = 'admin'")
                .params(Tokens.sha256(code), alice.id()).query(Long.class).single()).isEqualTo(1);
        assertThat(jdbc.sql("SELECT count(*) FROM login_codes WHERE code_hash = ?").param(code).query(Long.class)
                .single()).isZero();

        Api.Response signedIn = exchange(code);
        assertThat(signedIn.status()).as(signedIn.toString()).isEqualTo(200);
        assertThat(signedIn.headers().allValues("Set-Cookie").getFirst())
                .startsWith(SessionCookie.NAME + "=tys_").contains("HttpOnly", "SameSite=Strict");
        JsonNode user = signedIn.json().get("user");
        assertThat(user.get("user").get("username").stringValue()).isEqualTo(alice.username());
        assertThat(user.get("tokenScope").stringValue()).isEqualTo("admin");
        assertThat(user.get("tokenId").longValue())
                .isEqualTo(api.get("/api/v1/users/me", alice.token()).json().get("tokenId").longValue());
        String cookie = signedIn.headers().allValues("Set-Cookie").getFirst().split(";")[0];
        Api.Response me = api.send("GET", "/api/v1/users/me", null, Map.of("Cookie", cookie), null);
        assertThat(me.status()).as(me.toString()).isEqualTo(200);
        assertThat(me.json().get("user").get("username").stringValue()).isEqualTo(alice.username());

        JsonNode reused = assertProblem(exchange(code), 401);
        assertThat(reused.get("detail").stringValue()).startsWith("this login code was already used");
        assertThat(exchange(code).headers().allValues("Set-Cookie")).isEmpty();
    }

    @Test
    void unknownAndExpiredCodesAreRefusedSayingWhy() {
        TestUser alice = newUser("alice", Scope.ADMIN);
        JsonNode unknown = assertProblem(exchange("tyl_never-made"), 401);
        assertThat(unknown.get("detail").stringValue()).startsWith("unknown login code");

        String code = newCode(alice.token());
        jdbc.sql("UPDATE login_codes SET expires_at = ? WHERE code_hash = ?")
                .params(SessionTest.ts(Instant.now().minusSeconds(1)), Tokens.sha256(code)).update();
        JsonNode expired = assertProblem(exchange(code), 401);
        assertThat(expired.get("detail").stringValue()).startsWith("this login code expired at");
    }

    @Test
    void onlyAdminScopeMakesCodes() {
        TestUser writer = newUser("writer", Scope.WRITE);
        JsonNode refused = assertProblem(api.post("/api/v1/login-codes", writer.token(), null), 403);
        assertThat(refused.get("detail").stringValue()).contains("scope admin");
        assertProblem(api.post("/api/v1/login-codes", null, null), 401);
    }

    @Test
    void aCodeWhoseTokenWasRevokedSignsNobodyIn() {
        TestUser alice = newUser("alice", Scope.ADMIN);
        String second = token(alice.id(), Scope.ADMIN);
        String code = newCode(second);
        long id = api.get("/api/v1/users/me", second).json().get("tokenId").longValue();
        api.delete("/api/v1/tokens/" + id, alice.token());
        assertThat(assertProblem(exchange(code), 401).get("detail").stringValue())
                .startsWith("the token that made this login code was revoked");
        // and it stays used
        assertThat(assertProblem(exchange(code), 401).get("detail").stringValue()).contains("already used");
    }

    private long sessionsOf(TestUser user) {
        return jdbc.sql("SELECT count(*) FROM web_sessions WHERE user_id = ?").param(user.id()).query(Long.class)
                .single();
    }

    @Test
    void ofConcurrentExchangesOfOneCodeExactlyOneWins() throws Exception {
        TestUser alice = newUser("alice", Scope.ADMIN);
        int contenders = 8;
        ExecutorService pool = Executors.newFixedThreadPool(contenders);
        try {
            for (int round = 0; round < 5; round++) {
                String code = newCode(alice.token());
                long sessionsBefore = sessionsOf(alice);
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Api.Response>> results = new ArrayList<>();
                for (int i = 0; i < contenders; i++) {
                    Callable<Api.Response> attempt = () -> {
                        start.await();
                        return exchange(code);
                    };
                    results.add(pool.submit(attempt));
                }
                start.countDown();
                List<Integer> statuses = new ArrayList<>();
                for (Future<Api.Response> f : results) {
                    Api.Response r = f.get();
                    statuses.add(r.status());
                    if (r.status() == 401) {
                        assertThat(r.json().get("detail").stringValue()).contains("already used");
                    }
                }
                assertThat(statuses).as("round " + round).containsOnlyOnce(200).containsOnly(200, 401);
                assertThat(sessionsOf(alice)).as("round " + round).isEqualTo(sessionsBefore + 1);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
