package dev.trainyard.platform.checkpoints;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings under {@code trainyard.checkpoints.*}.
 *
 * @param maxSize the largest checkpoint an upload may send (413 beyond); uploads stream, so this bounds the store,
 *     not memory. Other requests keep {@code trainyard.max-request-size}.
 */
@ConfigurationProperties("trainyard.checkpoints")
public record CheckpointProperties(@DefaultValue("10GB") DataSize maxSize) {}
