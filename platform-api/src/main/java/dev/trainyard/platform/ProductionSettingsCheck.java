package dev.trainyard.platform;

import java.util.List;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Stops a start with the production profile at once, with a sentence that says what is missing, when the database
 * settings are not in the environment (instead of a connection error about a URL that is literally
 * {@code ${TRAINYARD_DB_URL}}). Registered in META-INF/spring.factories, so it runs before any bean exists.
 */
public class ProductionSettingsCheck implements ApplicationListener<ApplicationEnvironmentPreparedEvent> {

    static final List<String> REQUIRED = List.of("TRAINYARD_DB_URL", "TRAINYARD_DB_USER", "TRAINYARD_DB_PASSWORD");

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        ConfigurableEnvironment env = event.getEnvironment();
        if (!env.matchesProfiles("production")) {
            return;
        }
        List<String> missing = REQUIRED.stream().filter(name -> env.getProperty(name) == null).toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("the production profile takes its database from the environment: set "
                    + String.join(", ", missing) + " (TRAINYARD_DB_PASSWORD may be empty)");
        }
    }
}
