package dev.trainyard.platform.auth;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings under {@code trainyard.sessions.*}: how long a browser stays signed in and how long a login code lasts.
 *
 * @param idleTimeout a session unused this long ends; every use pushes its end forward again
 * @param maxAge a session ends this long after sign-in however much it is used
 * @param loginCodeTtl how long a one-time login code can be exchanged
 */
@ConfigurationProperties("trainyard.sessions")
public record SessionProperties(
        @DefaultValue("12h") Duration idleTimeout,
        @DefaultValue("7d") Duration maxAge,
        @DefaultValue("5m") Duration loginCodeTtl) {}
