package dev.trainyard.platform.artifacts;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings under {@code trainyard.artifacts.*}. The local store's directory is {@code trainyard.artifacts-dir}
 * ({@code .trainyard/artifacts} when unset, as in standalone).
 *
 * @param store {@code local} (default) or {@code s3}
 * @param s3 the bucket, for {@code store: s3}
 * @param sweepInterval how often the sweeper retries artifact deletions that are due
 * @param uploadDeadline how long an upload may take before the sweeper treats its half-written artifact as
 *     abandoned (a crashed server) and deletes it
 */
@ConfigurationProperties("trainyard.artifacts")
public record ArtifactStoreProperties(
        @DefaultValue("local") Kind store,
        @DefaultValue S3 s3,
        @DefaultValue("1m") Duration sweepInterval,
        @DefaultValue("6h") Duration uploadDeadline) {

    public enum Kind { LOCAL, S3 }

    /**
     * An S3 bucket, on AWS or on anything that speaks its API (MinIO, Ceph, Garage, R2...).
     *
     * @param endpoint e.g. {@code http://minio:9000}; null for AWS itself
     * @param region the signing region; S3-compatible servers mostly accept the default
     * @param bucket required
     * @param prefix prepended to every key (e.g. {@code trainyard}); empty for none
     * @param accessKey with {@code secretKey}; both null to use the AWS default chain (environment, profile, role)
     * @param secretKey with {@code accessKey}
     * @param pathStyle {@code http://host/bucket/key} rather than {@code http://bucket.host/key}: what MinIO and
     *     most S3-compatible servers need, so true by default
     * @param partSize the multipart part size for uploads of unknown length (one part is buffered in memory)
     */
    public record S3(
            URI endpoint,
            @DefaultValue("us-east-1") String region,
            String bucket,
            @DefaultValue("") String prefix,
            String accessKey,
            String secretKey,
            @DefaultValue("true") boolean pathStyle,
            @DefaultValue("16MB") DataSize partSize) {}
}
