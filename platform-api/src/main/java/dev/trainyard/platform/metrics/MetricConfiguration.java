package dev.trainyard.platform.metrics;

import dev.trainyard.platform.web.BodyLimit;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.util.unit.DataSize;

@Configuration(proxyBeanMethods = false)
class MetricConfiguration {

    /** 10,000 points with 200-character keys and full timestamps fit in about 3.5 MB. */
    static final DataSize MAX_BATCH_BODY = DataSize.ofMegabytes(8);

    @Bean
    BodyLimit metricBatchLimit() {
        return new BodyLimit("POST", "/api/v1/projects/*/runs/*/metrics", MAX_BATCH_BODY.toBytes());
    }

    @Bean
    BodyLimit workerMetricBatchLimit() {
        return new BodyLimit("POST", "/api/v1/workers/*/runs/*/metrics", MAX_BATCH_BODY.toBytes());
    }

    /** One statement per batch on PostgreSQL; plain SQL elsewhere (H2, standalone). */
    @Bean
    MetricWriter metricWriter(DataSource dataSource, JdbcTemplate jdbc, PlatformTransactionManager transactions)
            throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            if (c.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT).contains("postgresql")) {
                return new PostgresMetricWriter(jdbc, transactions);
            }
        }
        return new PortableMetricWriter(jdbc, transactions);
    }
}
