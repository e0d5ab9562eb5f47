package dev.trainyard.platform.datasets;

import dev.trainyard.platform.web.BodyLimit;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class DatasetConfiguration {

    /** Dataset uploads are streamed to the store, so they may be far larger than other request bodies. */
    @Bean
    BodyLimit datasetUploadLimit(DatasetProperties properties) {
        return new BodyLimit("POST", "/api/v1/projects/*/datasets", properties.maxSize().toBytes());
    }
}
