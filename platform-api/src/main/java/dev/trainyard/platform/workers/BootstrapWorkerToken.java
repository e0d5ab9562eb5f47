package dev.trainyard.platform.workers;

import dev.trainyard.platform.TrainyardProperties;
import dev.trainyard.platform.auth.User;
import dev.trainyard.platform.auth.UserRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Component;

/**
 * Adds {@code trainyard.bootstrap.worker-token} (a {@code tyw_...} token made elsewhere, e.g. the Helm chart's
 * Secret that every worker pool reads) as a worker token when the database lacks it, created by the bootstrap admin.
 * Runs after {@link dev.trainyard.platform.auth.BootstrapAdmin}. A revoked preset token stays revoked.
 */
@Component
@Order(1)
public class BootstrapWorkerToken implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(BootstrapWorkerToken.class);

    private final UserRepository users;
    private final WorkerTokenService workerTokens;
    private final TrainyardProperties.Bootstrap settings;

    public BootstrapWorkerToken(UserRepository users, WorkerTokenService workerTokens, TrainyardProperties properties) {
        this.users = users;
        this.workerTokens = workerTokens;
        this.settings = properties.bootstrap();
    }

    @Override
    public void run(ApplicationArguments args) {
        if (settings.workerToken() == null) {
            return;
        }
        User admin = users.findByUsername(settings.adminUsername()).filter(User::isSiteAdmin)
                .or(users::findFirstBySiteAdminTrueOrderByIdAsc)
                .orElseThrow(() -> new IllegalStateException("trainyard.bootstrap.worker-token needs a site admin to "
                        + "own it, and the database has none"));
        try {
            if (workerTokens.adopt(admin.getId(), "bootstrap", settings.workerToken())) {
                log.info("Added the worker token given in trainyard.bootstrap.worker-token.");
            }
        } catch (DataIntegrityViolationException raced) {
            // another instance added it at the same moment
        }
    }
}
