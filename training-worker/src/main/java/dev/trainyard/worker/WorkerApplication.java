package dev.trainyard.worker;

import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.PropertySource;

import java.util.Map;

/**
 * The training worker process: a {@link dev.trainyard.worker.agent.WorkerAgent} configured from
 * {@code trainyard.worker.*} and run for the application's lifetime, with Actuator health for probes.
 */
@SpringBootApplication
@EnableConfigurationProperties(WorkerProperties.class)
// not application.properties: this jar is also a library on the platform's classpath (the standalone platform
// embeds a worker), where a root application.properties would configure the platform too
@PropertySource("classpath:dev/trainyard/worker/worker-defaults.properties")
public class WorkerApplication {

    public static void main(String[] args) {
        SpringApplication app = new SpringApplication(WorkerApplication.class);
        // read before the @PropertySource is: the banner, and the name in the log lines
        app.setBannerMode(Banner.Mode.OFF);
        app.setDefaultProperties(Map.of("spring.application.name", "trainyard-worker"));
        app.run(args);
    }
}
