package dev.trainyard.platform.standalone;

import dev.trainyard.platform.auth.BootstrapAdmin;
import dev.trainyard.platform.workers.WorkerTokenService;
import dev.trainyard.platform.workers.WorkerTokenService.Authentication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded worker's token, kept in a file (mode 600) so that restarts reuse it instead of piling up tokens: the
 * stored one while the platform still accepts it, otherwise a new one issued as the local admin.
 */
class WorkerTokenFile {

    private static final Logger log = LoggerFactory.getLogger(WorkerTokenFile.class);

    static final String TOKEN_NAME = "standalone-worker";

    private final Path file;
    private final WorkerTokenService tokens;
    private final LocalAdmin admin;

    WorkerTokenFile(Path file, WorkerTokenService tokens, LocalAdmin admin) {
        this.file = file;
        this.tokens = tokens;
        this.admin = admin;
    }

    String obtain() {
        String stored = read();
        if (stored != null) {
            Authentication answer = tokens.authenticate(stored);
            if (answer instanceof Authentication.Accepted) {
                return stored;
            }
            log.info("the embedded worker's stored token in {} is refused ({}); issuing a new one", file,
                    ((Authentication.Refused) answer).reason());
        }
        String issued = tokens.create(admin.caller(), TOKEN_NAME, null).token();
        BootstrapAdmin.writePrivate(file, issued + "\n");
        return issued;
    }

    private String read() {
        if (!Files.exists(file)) {
            return null;
        }
        try {
            String token = Files.readString(file).strip();
            return token.isEmpty() ? null : token;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the embedded worker's token from " + file, e);
        }
    }
}
