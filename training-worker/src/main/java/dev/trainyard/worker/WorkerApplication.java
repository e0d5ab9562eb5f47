package dev.trainyard.worker;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * The training worker process: a {@link dev.trainyard.worker.agent.WorkerAgent} configured from
 * {@code trainyard.worker.*} and run for the application's lifetime, with Actuator health for probes.
 */
@SpringBootApplication
@EnableConfigurationProperties(WorkerProperties.class)
public class WorkerApplication {

    public static void main(String[] args) {
        SpringApplication.run(WorkerApplication.class, args);
    }
}
