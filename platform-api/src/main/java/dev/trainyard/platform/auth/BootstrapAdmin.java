package dev.trainyard.platform.auth;

import dev.trainyard.platform.TrainyardProperties;
import dev.trainyard.platform.web.Times;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * On a database without users, creates the admin user and an admin-scope token that does not expire, prints the
 * token once to the log and, when {@code trainyard.bootstrap.token-file} is set, writes it there with mode 600.
 * Revoke it (DELETE /api/v1/tokens/{id}) once you have made your own. With {@code trainyard.bootstrap.admin-token}
 * set (the Helm chart sets it from a Secret), that token is the admin's instead, and nothing is printed.
 */
@Component
@Order(0)
public class BootstrapAdmin implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(BootstrapAdmin.class);

    private final UserRepository users;
    private final TokenService tokens;
    private final TransactionTemplate tx;
    private final TrainyardProperties.Bootstrap settings;
    private static final String PRESET = "preset";

    public BootstrapAdmin(UserRepository users, TokenService tokens, TransactionTemplate tx,
            TrainyardProperties properties) {
        this.users = users;
        this.tokens = tokens;
        this.tx = tx;
        this.settings = properties.bootstrap();
    }

    @Override
    public void run(ApplicationArguments args) {
        String token;
        try {
            token = tx.execute(status -> {
                if (users.count() > 0) {
                    return null;
                }
                User admin = users.saveAndFlush(new User(settings.adminUsername(), "Administrator", true, Times.now()));
                if (settings.adminToken() != null) {
                    return PRESET; // adopted below
                }
                return tokens.issue(admin.getId(), "bootstrap", Scope.ADMIN, null).token();
            });
        } catch (DataIntegrityViolationException raced) {
            return; // another instance bootstrapped the same database at the same moment
        }
        if (settings.adminToken() != null) {
            adoptPresetToken();
        }
        if (token == null || token.equals(PRESET)) {
            return;
        }
        log.warn("Created the admin user '{}'. Its API token, shown only this once:\n\n    {}\n", settings.adminUsername(),
                token);
        if (settings.tokenFile() != null) {
            writePrivate(settings.tokenFile(), token + "\n");
            log.warn("The admin token is also in {} (mode 600).", settings.tokenFile().toAbsolutePath());
        }
    }

    /**
     * Adds the preset admin token to the admin user when the database lacks it: on the first start, and on a database
     * that an earlier installation bootstrapped with a random token.
     */
    private void adoptPresetToken() {
        try {
            tx.executeWithoutResult(status -> users.findByUsername(settings.adminUsername()).filter(User::isSiteAdmin)
                    .ifPresent(admin -> {
                        if (tokens.adopt(admin.getId(), "bootstrap", Scope.ADMIN, settings.adminToken())) {
                            log.warn("The admin user '{}' has the token given in trainyard.bootstrap.admin-token.",
                                    settings.adminUsername());
                        }
                    }));
        } catch (DataIntegrityViolationException raced) {
            // another instance adopted it at the same moment
        }
    }

    /** Writes a file that only its owner can read, never readable by others even for a moment. */
    public static void writePrivate(Path file, String content) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = dir.resolve(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(tmp);
            }
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file.toAbsolutePath(), e);
        }
    }
}
