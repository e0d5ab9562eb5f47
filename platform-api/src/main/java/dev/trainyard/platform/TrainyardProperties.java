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
     */
    public record Bootstrap(@DefaultValue("admin") String adminUsername, Path tokenFile) {}
}
