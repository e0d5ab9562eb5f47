package dev.trainyard.platform.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainyard.platform.TrainyardProperties;
import dev.trainyard.platform.testing.IntegrationTest;
import dev.trainyard.platform.workers.BootstrapWorkerToken;
import dev.trainyard.platform.workers.WorkerTokenService;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/** Tokens made outside the platform (the Helm chart's Secret) and given as trainyard.bootstrap.admin-/worker-token. */
class PresetTokensTest extends IntegrationTest {

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    WorkerTokenService workerTokens;

    @Test
    void presetTokensAreAddedOnceAndThenWorkForTheAdminAndForWorkers() {
        String admin = Tokens.newToken();
        String worker = "tyw_" + Tokens.newToken().substring(3);
        var properties = new TrainyardProperties(null, null, null,
                new TrainyardProperties.Bootstrap("admin", null, admin, worker));
        assertThat(api.get("/api/v1/users/me", admin).status()).isEqualTo(401);

        for (int start = 0; start < 2; start++) {
            new BootstrapAdmin(users, tokens, transactions, properties).run(null);
            new BootstrapWorkerToken(users, workerTokens, properties).run(null);
        }

        var me = api.get("/api/v1/users/me", admin).json();
        assertThat(me.get("user").get("username").stringValue()).isEqualTo("admin");
        assertThat(me.get("tokenScope").stringValue()).isEqualTo("admin");
        assertThat(jdbc.sql("SELECT count(*) FROM api_tokens WHERE token_hash = :h").param("h", Tokens.sha256(admin))
                .query(Long.class).single()).isEqualTo(1);
        var registered = api.post("/api/v1/workers", worker, Map.of("name", "preset-worker", "labels", Map.of(),
                "devices", Map.of("cpus", 2, "memoryMb", 2048, "gpus", java.util.List.of())));
        assertThat(registered.status()).isEqualTo(201);
        assertThat(jdbc.sql("SELECT count(*) FROM worker_tokens WHERE token_hash = :h").param("h", Tokens.sha256(worker))
                .query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void aPresetTokenOfTheWrongKindStopsTheStartSayingWhich() {
        assertThatThrownBy(() -> new TrainyardProperties.Bootstrap("admin", null, "tyw_" + "x".repeat(43), null))
                .hasMessageContaining("trainyard.bootstrap.admin-token must be ty_");
        assertThatThrownBy(() -> new TrainyardProperties.Bootstrap("admin", null, null, "ty_" + "x".repeat(43)))
                .hasMessageContaining("trainyard.bootstrap.worker-token must be tyw_");
        assertThatThrownBy(() -> new TrainyardProperties.Bootstrap("admin", null, "ty_short", null))
                .hasMessageContaining("8-character value");
    }
}
