package dev.trainyard.platform.artifacts;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/**
 * Artifacts as objects in an S3 bucket, through the AWS SDK v2's S3 client: AWS itself, or any S3-compatible server
 * through an endpoint override with path-style addressing (MinIO, Ceph, Garage...). The object key is the
 * configured prefix, a slash, and the artifact key.
 *
 * <p>A put of known length is one streaming PutObject (up to S3's 5 GiB limit); a put of unknown length (a chunked
 * upload) or above 5 GiB is a multipart upload that buffers one part ({@code part-size}, 16 MB by default) at a time,
 * and is aborted if anything fails, so a failed put leaves no parts behind. Deleting a missing object succeeds
 * (S3's DeleteObject is idempotent). The SDK's own CRC checksums are sent only where S3 requires them: several
 * S3-compatible servers refuse the newer trailing-checksum uploads, and the platform checks SHA-256 itself.
 */
public final class S3ArtifactStore implements ArtifactStore, AutoCloseable {

    /** S3's largest single PutObject. */
    static final long MAX_SINGLE_PUT = 5L * 1024 * 1024 * 1024;
    /** S3's smallest part but the last. */
    static final int MIN_PART_SIZE = 5 * 1024 * 1024;

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final int partSize;
    private final String description;

    public S3ArtifactStore(S3Client s3, String bucket, String prefix, int partSize, String description) {
        if (partSize < MIN_PART_SIZE) {
            throw new IllegalArgumentException("trainyard.artifacts.s3.part-size must be at least 5MB (S3's minimum)");
        }
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = normalizePrefix(prefix);
        this.partSize = partSize;
        this.description = description;
    }

    /** The store the settings describe, with its own client (closed with the store). */
    public static S3ArtifactStore create(ArtifactStoreProperties.S3 settings) {
        checkSettings(settings);
        String where = "s3://" + settings.bucket() + "/" + normalizePrefix(settings.prefix())
                + (settings.endpoint() == null ? "" : " at " + settings.endpoint());
        return new S3ArtifactStore(client(settings), settings.bucket(), settings.prefix(),
                Math.toIntExact(settings.partSize().toBytes()), where);
    }

    /** Refuses incomplete settings with a sentence saying which to set. */
    static void checkSettings(ArtifactStoreProperties.S3 settings) {
        List<String> problems = new ArrayList<>();
        if (settings.bucket() == null || settings.bucket().isBlank()) {
            problems.add("trainyard.artifacts.s3.bucket is required");
        }
        if ((settings.accessKey() == null) != (settings.secretKey() == null)) {
            problems.add("set both trainyard.artifacts.s3.access-key and secret-key, or neither (AWS default chain)");
        }
        if (settings.endpoint() != null && (settings.endpoint().getScheme() == null
                || !settings.endpoint().getScheme().matches("https?") || settings.endpoint().getHost() == null)) {
            problems.add("trainyard.artifacts.s3.endpoint must be an http(s) URL such as http://minio:9000, not '"
                    + settings.endpoint() + "'");
        }
        if (settings.partSize().toBytes() < MIN_PART_SIZE || settings.partSize().toBytes() > Integer.MAX_VALUE) {
            problems.add("trainyard.artifacts.s3.part-size must be between 5MB and 2GB");
        }
        try {
            normalizePrefix(settings.prefix());
        } catch (IllegalArgumentException e) {
            problems.add("trainyard.artifacts.s3.prefix: " + e.getMessage());
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("trainyard.artifacts.store is s3, but: " + String.join("; ", problems));
        }
    }

    static S3Client client(ArtifactStoreProperties.S3 settings) {
        AwsCredentialsProvider credentials = settings.accessKey() != null
                ? StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(settings.accessKey(), settings.secretKey()))
                : DefaultCredentialsProvider.builder().build();
        var builder = S3Client.builder()
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials)
                .forcePathStyle(settings.pathStyle())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        if (settings.endpoint() != null) {
            builder.endpointOverride(settings.endpoint());
        }
        return builder.build();
    }

    /** {@code /a/b/} and {@code a/b} to {@code a/b}; empty stays empty; segments follow {@link ArtifactKey}'s rules. */
    static String normalizePrefix(String prefix) {
        String p = prefix == null ? "" : prefix.strip();
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p.isEmpty() ? "" : new ArtifactKey(p).path();
    }

    /** The S3 object key of an artifact. */
    String objectKey(ArtifactKey key) {
        return prefix.isEmpty() ? key.path() : prefix + "/" + key.path();
    }

    @Override
    public long put(ArtifactKey key, InputStream in, long length) throws IOException {
        String objectKey = objectKey(key);
        if (length >= 0 && length <= MAX_SINGLE_PUT) {
            NonClosing counted = new NonClosing(in);
            call(() -> s3.putObject(PutObjectRequest.builder().bucket(bucket).key(objectKey).contentLength(length)
                    .contentType("application/octet-stream").build(), RequestBody.fromInputStream(counted, length)));
            if (counted.read() >= 0) {
                // the SDK sent `length` bytes and stopped; the stream had more
                delete(key);
                throw new IOException("artifact " + key + ": more than the declared " + length + " bytes");
            }
            return length;
        }
        return multipart(key, objectKey, in, length);
    }

    private long multipart(ArtifactKey key, String objectKey, InputStream in, long length) throws IOException {
        byte[] part = new byte[partSize];
        int first = in.readNBytes(part, 0, partSize);
        if (first < partSize) {
            // it all fits in one part: a plain put
            call(() -> s3.putObject(PutObjectRequest.builder().bucket(bucket).key(objectKey).contentLength((long) first)
                    .contentType("application/octet-stream").build(),
                    RequestBody.fromInputStream(new ByteArrayInputStream(part, 0, first), first)));
            return check(key, first, length);
        }
        String uploadId = call(() -> s3.createMultipartUpload(CreateMultipartUploadRequest.builder().bucket(bucket)
                .key(objectKey).contentType("application/octet-stream").build()).uploadId());
        try {
            List<CompletedPart> parts = new ArrayList<>();
            long total = 0;
            int size = first;
            for (int number = 1; size > 0; number++) {
                int n = size;
                int partNumber = number;
                String etag = call(() -> s3.uploadPart(UploadPartRequest.builder().bucket(bucket).key(objectKey)
                        .uploadId(uploadId).partNumber(partNumber).contentLength((long) n).build(),
                        RequestBody.fromInputStream(new ByteArrayInputStream(part, 0, n), n)).eTag());
                parts.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
                total += n;
                if (length >= 0 && total > length) {
                    throw new IOException("artifact " + key + ": more than the declared " + length + " bytes");
                }
                size = in.readNBytes(part, 0, partSize);
            }
            check(key, total, length);
            call(() -> s3.completeMultipartUpload(CompleteMultipartUploadRequest.builder().bucket(bucket)
                    .key(objectKey).uploadId(uploadId)
                    .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build()).build()));
            return total;
        } catch (IOException | RuntimeException e) {
            try {
                call(() -> s3.abortMultipartUpload(AbortMultipartUploadRequest.builder().bucket(bucket)
                        .key(objectKey).uploadId(uploadId).build()));
            } catch (IOException abort) {
                e.addSuppressed(abort);
            }
            throw e;
        }
    }

    private static long check(ArtifactKey key, long count, long length) throws IOException {
        if (length >= 0 && count != length) {
            throw new IOException("artifact " + key + ": " + count + " bytes instead of the declared " + length);
        }
        return count;
    }

    @Override
    public InputStream get(ArtifactKey key, long offset, long length) throws IOException {
        if (offset < 0) {
            throw new IllegalArgumentException("negative offset " + offset);
        }
        if (length == 0) {
            return InputStream.nullInputStream();
        }
        String range = offset == 0 && length < 0 ? null
                : "bytes=" + offset + "-" + (length < 0 ? "" : String.valueOf(offset + length - 1));
        GetObjectRequest request = GetObjectRequest.builder().bucket(bucket).key(objectKey(key)).range(range).build();
        try {
            return call(() -> s3.getObject(request));
        } catch (NotFound e) {
            throw new ArtifactNotFoundException(key);
        }
    }

    @Override
    public void delete(ArtifactKey key) throws IOException {
        call(() -> s3.deleteObject(DeleteObjectRequest.builder().bucket(bucket).key(objectKey(key)).build()));
    }

    @Override
    public boolean exists(ArtifactKey key) throws IOException {
        try {
            size(key);
            return true;
        } catch (ArtifactNotFoundException e) {
            return false;
        }
    }

    @Override
    public long size(ArtifactKey key) throws IOException {
        try {
            return call(() -> s3.headObject(HeadObjectRequest.builder().bucket(bucket).key(objectKey(key)).build())
                    .contentLength());
        } catch (NotFound e) {
            throw new ArtifactNotFoundException(key);
        }
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        s3.close();
    }

    private interface S3Call<T> {
        T call();
    }

    /** The SDK's unchecked exceptions as IOExceptions, which is what callers of a store handle. */
    private static <T> T call(S3Call<T> call) throws IOException {
        try {
            return call.call();
        } catch (NoSuchKeyException e) {
            throw new NotFound(e);
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                throw new NotFound(e);
            }
            throw new IOException("S3: " + e.getMessage(), e);
        } catch (SdkException e) {
            throw new IOException("S3: " + e.getMessage(), e);
        }
    }

    private static final class NotFound extends IOException {
        private static final long serialVersionUID = 1L;

        NotFound(Exception cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** Keeps the caller's stream open whatever the SDK does, so {@link #put} can check it has nothing more. */
    private static final class NonClosing extends java.io.FilterInputStream {
        NonClosing(InputStream in) {
            super(in);
        }

        @Override
        public void close() {
            // the caller closes it
        }
    }
}
