package dev.trainyard.platform.scheduling;

import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/** The database kind the queue adapts to, and the rescuer's schedule. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
public class SchedulingConfig {

    @Bean
    static Database queueDatabase(DataSource dataSource) {
        return Database.of(dataSource);
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
