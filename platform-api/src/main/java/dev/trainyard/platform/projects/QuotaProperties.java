package dev.trainyard.platform.projects;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings under {@code trainyard.quotas.*}: what every project may hold unless a site admin set its own limits
 * ({@code PUT /api/v1/projects/{id}/quotas}).
 *
 * @param metricKeys the distinct metric names a project may have (a batch that would create more is 409)
 * @param artifactBytes the bytes of checkpoints and datasets a project may store (an upload beyond is 413)
 */
@ConfigurationProperties("trainyard.quotas")
public record QuotaProperties(@DefaultValue("100000") long metricKeys, @DefaultValue("100GB") DataSize artifactBytes) {}
