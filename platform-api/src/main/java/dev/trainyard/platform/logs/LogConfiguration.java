package dev.trainyard.platform.logs;

import dev.trainyard.platform.web.BodyLimit;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

@Configuration(proxyBeanMethods = false)
class LogConfiguration {

    /** 5,000 lines of a few hundred characters; longer lines are allowed up to the body limit. */
    @Bean
    BodyLimit logBatchLimit() {
        return new BodyLimit("POST", "/api/v1/projects/*/runs/*/logs", DataSize.ofMegabytes(8).toBytes());
    }

    @Bean
    BodyLimit workerLogBatchLimit() {
        return new BodyLimit("POST", "/api/v1/workers/*/runs/*/logs", DataSize.ofMegabytes(8).toBytes());
    }
}
