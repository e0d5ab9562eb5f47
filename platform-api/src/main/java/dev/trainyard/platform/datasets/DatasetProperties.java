package dev.trainyard.platform.datasets;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings under {@code trainyard.datasets.*}.
 *
 * @param maxSize the largest dataset an upload may send (413 beyond); uploads stream, so this bounds the store,
 *     not memory
 */
@ConfigurationProperties("trainyard.datasets")
public record DatasetProperties(@DefaultValue("10GB") DataSize maxSize) {}
