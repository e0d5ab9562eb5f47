package dev.trainyard.platform;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The Trainyard control plane: projects, experiments and runs behind a token-authenticated REST API.
 *
 * <p>Packages are features (projects, experiments, runs, auth), each with its controller, service, repository and
 * records; {@code web} holds what every feature shares (errors, request limits). The queue, workers, metrics and
 * checkpoints arrive as packages of their own.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class PlatformApplication {

    public static void main(String[] args) {
        SpringApplication.run(PlatformApplication.class, args);
    }
}
