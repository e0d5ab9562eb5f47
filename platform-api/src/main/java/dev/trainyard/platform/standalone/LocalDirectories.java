package dev.trainyard.platform.standalone;

import dev.trainyard.platform.TrainyardProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Creates the local directories the configuration names (the standalone profile's {@code .trainyard/} and its
 * {@code artifacts/}) and says where the API is once the server listens.
 */
@Component
public class LocalDirectories {

    private static final Logger log = LoggerFactory.getLogger(LocalDirectories.class);

    private final TrainyardProperties properties;

    public LocalDirectories(TrainyardProperties properties) {
        this.properties = properties;
        try {
            if (properties.home() != null) {
                Files.createDirectories(properties.home());
            }
            if (properties.artifactsDir() != null) {
                Files.createDirectories(properties.artifactsDir());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the local data directories", e);
        }
    }

    @EventListener
    public void onStarted(WebServerInitializedEvent event) {
        int port = event.getWebServer().getPort();
        log.info("Trainyard API at http://localhost:{}/api/v1 (docs: http://localhost:{}/swagger-ui.html){}", port,
                port, properties.home() == null ? "" : "; data in " + properties.home().toAbsolutePath());
    }
}
