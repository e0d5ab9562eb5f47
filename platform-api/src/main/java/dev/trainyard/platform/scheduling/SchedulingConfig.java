package dev.trainyard.platform.scheduling;

import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/** The database kind the queue adapts to (its dialect), the retry policy, and the rescuer's schedule. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
public class SchedulingConfig {

    @Bean
    static Database queueDatabase(DataSource dataSource) {
        return Database.of(dataSource);
    }

    @Bean
    QueueDialect queueDialect(Database database, JdbcClient jdbc) {
        return switch (database) {
            case POSTGRESQL -> new PostgresQueueDialect(jdbc);
            case H2 -> new PortableQueueDialect(jdbc);
        };
    }

    /** What happens to a run whose attempt failed or was lost; declare another {@link RetryPolicy} bean to change it. */
    @Bean
    RetryPolicy retryPolicy(SchedulingProperties settings) {
        return new AttemptsRetryPolicy(settings);
    }

    /** Runs the rescuer every {@code trainyard.scheduling.rescue-interval}. */
    @Component
    static class RescuerSchedule implements SchedulingConfigurer {

        private final Rescuer rescuer;
        private final SchedulingProperties settings;

        RescuerSchedule(Rescuer rescuer, SchedulingProperties settings) {
            this.rescuer = rescuer;
            this.settings = settings;
        }

        @Override
        public void configureTasks(ScheduledTaskRegistrar registrar) {
            registrar.addFixedDelayTask(rescuer::rescueQuietly, settings.rescueInterval());
        }
    }
}
