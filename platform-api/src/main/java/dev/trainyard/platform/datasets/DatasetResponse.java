package dev.trainyard.platform.datasets;

import java.time.Instant;

/**
 * A dataset artifact of a project.
 *
 * @param digest what a run spec names it by: {@code sha256:<hex>} ({@code dataset: {artifact: ...}})
 * @param sha256 lower-case hex; also the download's ETag
 * @param name the display name given with the first upload of these bytes
 * @param uploadedBy the username of who uploaded it first, or null once that user is gone
 * @param content the path to download it from
 */
public record DatasetResponse(String digest, String sha256, String name, long sizeBytes, String uploadedBy,
        Instant createdAt, String content) {}
