package dev.trainyard.platform.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.platform.TrainyardProperties;
import dev.trainyard.platform.testing.IntegrationTest;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

class BootstrapAdminTest extends IntegrationTest {

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    TrainyardProperties properties;

    @Test
    void theFirstStartCreatesAnAdminWhoseTokenIsInAPrivateFile() throws Exception {
        assertThat(BOOTSTRAP_TOKEN_FILE).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(BOOTSTRAP_TOKEN_FILE)))
                .isEqualTo("rw-------");
        String token = Files.readString(BOOTSTRAP_TOKEN_FILE).strip();

        JsonNode me = api.get("/api/v1/users/me", token).json();
        assertThat(me.get("user").get("username").stringValue()).isEqualTo("admin");
        assertThat(me.get("user").get("siteAdmin").booleanValue()).isTrue();
        assertThat(me.get("tokenScope").stringValue()).isEqualTo("admin");
    }

    @Test
    void aSecondStartOnTheSameDatabaseCreatesNothing() throws Exception {
        long usersBefore = users.count();
        long tokensBefore = jdbc.sql("SELECT count(*) FROM api_tokens").query(Long.class).single();
        String fileBefore = Files.readString(BOOTSTRAP_TOKEN_FILE);

        new BootstrapAdmin(users, tokens, transactions, properties).afterSingletonsInstantiated();

        assertThat(users.count()).isEqualTo(usersBefore);
        assertThat(jdbc.sql("SELECT count(*) FROM api_tokens").query(Long.class).single()).isEqualTo(tokensBefore);
        assertThat(Files.readString(BOOTSTRAP_TOKEN_FILE)).isEqualTo(fileBefore);
    }
}
