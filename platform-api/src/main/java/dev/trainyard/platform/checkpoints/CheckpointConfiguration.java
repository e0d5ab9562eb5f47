package dev.trainyard.platform.checkpoints;

import dev.trainyard.platform.web.BodyLimit;
import dev.trainyard.platform.workers.WorkerPaths;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class CheckpointConfiguration {

    /** Checkpoint uploads are streamed to the store, so they may be far larger than other request bodies. */
    @Bean
    BodyLimit checkpointUploadLimit(CheckpointProperties properties) {
        return new BodyLimit("POST", "/api/v1/projects/*/runs/*/checkpoints", properties.maxSize().toBytes());
    }

    /** The same for a worker's uploads. */
    @Bean
    BodyLimit workerCheckpointUploadLimit(CheckpointProperties properties) {
        return new BodyLimit("POST", WorkerPaths.PREFIX + "/*/runs/*/checkpoints", properties.maxSize().toBytes());
    }
}
