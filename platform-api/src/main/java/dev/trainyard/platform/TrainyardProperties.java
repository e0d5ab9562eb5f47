package dev.trainyard.platform;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings under {@code trainyard.*}.
 *
 * @param home where the standalone profile keeps its database and artifacts (null outside standalone)
 * @param artifactsDir where artifacts go when stored on the local disk (created at start when set)
 * @param maxRequestSize the largest request body the API reads; larger ones get 413
 * @param bootstrap the admin user created on first start
 */
@ConfigurationProperties("trainyard")
public record TrainyardProperties(
        Path home,
        Path artifactsDir,
        @DefaultValue("1MB") DataSize maxRequestSize,
        @DefaultValue Bootstrap bootstrap) {

    /**
     * @param adminUsername the user created when the database has none
     * @param tokenFile where the admin token is written (mode 600); null to only log it
     * @param adminToken an admin-scope token ({@code ty_...}) for that user, made elsewhere (e.g. a Kubernetes Secret):
     *     added once if the database lacks it, instead of a random one being printed; null for a random one
     * @param workerToken a worker token ({@code tyw_...}) made elsewhere, added once if the database lacks it
     */
    public record Bootstrap(@DefaultValue("admin") String adminUsername, Path tokenFile, String adminToken,
            String workerToken) {

        public Bootstrap {
            adminToken = blankToNull(adminToken);
            workerToken = blankToNull(workerToken);
            if (adminToken != null && (!adminToken.startsWith("ty_") || adminToken.length() < 32)) {
                throw new IllegalArgumentException("trainyard.bootstrap.admin-token must be ty_ and at least 29 more "
                        + "characters, not a " + adminToken.length() + "-character value starting "
                        + adminToken.substring(0, Math.min(4, adminToken.length())));
            }
            if (workerToken != null && (!workerToken.startsWith("tyw_") || workerToken.length() < 32)) {
                throw new IllegalArgumentException("trainyard.bootstrap.worker-token must be tyw_ and at least 28 more "
                        + "characters, not a " + workerToken.length() + "-character value starting "
                        + workerToken.substring(0, Math.min(4, workerToken.length())));
            }
        }

        private static String blankToNull(String s) {
            return s == null || s.isBlank() ? null : s.strip();
        }
    }
}
