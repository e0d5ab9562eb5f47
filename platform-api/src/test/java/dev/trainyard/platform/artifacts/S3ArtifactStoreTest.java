package dev.trainyard.platform.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/**
 * The S3 store against {@link FakeS3}, a loopback stand-in: no S3-compatible server can run here, so this checks
 * what the store sends (path-style URLs under the prefix, Range headers, multipart for unknown lengths) and how it
 * reads the answers, not S3's behaviour itself. Settings validation and key mapping need no server.
 */
class S3ArtifactStoreTest {

    private FakeS3 s3;
    private S3ArtifactStore store;

    private static ArtifactStoreProperties.S3 settings(URI endpoint, String bucket, String prefix, String access,
            String secret, String partSize) {
        return new ArtifactStoreProperties.S3(endpoint, "us-east-1", bucket, prefix, access, secret, true,
                DataSize.parse(partSize));
    }

    @BeforeEach
    void setUp() throws IOException {
        s3 = new FakeS3("checkpoints");
        store = S3ArtifactStore.create(settings(s3.endpoint(), "checkpoints", "/trainyard/prod/", "key", "secret",
                "5MB"));
    }

    @AfterEach
    void tearDown() {
        store.close();
        s3.close();
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    private static byte[] read(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }

    @Test
    void keysGoUnderThePrefixWithPathStyleUrls() throws IOException {
        ArtifactKey key = ArtifactKey.of("projects", 1, "runs", 2, "checkpoints", "c1");
        assertThat(store.objectKey(key)).isEqualTo("trainyard/prod/projects/1/runs/2/checkpoints/c1");
        byte[] data = bytes(1000);
        assertThat(store.put(key, new ByteArrayInputStream(data), data.length)).isEqualTo(1000);
        assertThat(s3.objects.get("trainyard/prod/projects/1/runs/2/checkpoints/c1")).isEqualTo(data);
        FakeS3.Request put = s3.requests.getLast();
        assertThat(put.method()).isEqualTo("PUT");
        assertThat(put.path()).isEqualTo("/checkpoints/trainyard/prod/projects/1/runs/2/checkpoints/c1");
        assertThat(put.headers().get("Authorization").getFirst()).contains("Credential=key/");

        assertThat(store.exists(key)).isTrue();
        assertThat(store.size(key)).isEqualTo(1000);
        assertThat(read(store.get(key))).isEqualTo(data);
        assertThat(read(store.get(key, 100, 50))).isEqualTo(Arrays.copyOfRange(data, 100, 150));
        assertThat(s3.requests.getLast().headers().get("Range")).containsExactly("bytes=100-149");
        assertThat(read(store.get(key, 990, -1))).isEqualTo(Arrays.copyOfRange(data, 990, 1000));
        assertThat(s3.requests.getLast().headers().get("Range")).containsExactly("bytes=990-");

        store.delete(key);
        assertThat(s3.objects).isEmpty();
        store.delete(key); // S3 answers 204 for a missing key too
        assertThat(store.exists(key)).isFalse();
        assertThatThrownBy(() -> store.size(key)).isInstanceOf(ArtifactNotFoundException.class);
        assertThatThrownBy(() -> store.get(key)).isInstanceOf(ArtifactNotFoundException.class);
    }

    @Test
    void anUnknownLengthIsAMultipartUploadOfBoundedParts() throws IOException {
        byte[] data = bytes(12 * 1024 * 1024 + 5); // 5 MB parts: three
        ArtifactKey key = ArtifactKey.of("big");
        assertThat(store.put(key, new ByteArrayInputStream(data), ArtifactStore.UNKNOWN_LENGTH)).isEqualTo(data.length);
        assertThat(s3.objects.get("trainyard/prod/big")).isEqualTo(data);
        assertThat(s3.requests.stream().filter(r -> r.query().contains("partNumber")).count()).isEqualTo(3);
        assertThat(s3.uploads).isEmpty();
    }

    @Test
    void aSmallUnknownLengthIsOnePut() throws IOException {
        byte[] data = bytes(1000);
        store.put(ArtifactKey.of("small"), new ByteArrayInputStream(data), ArtifactStore.UNKNOWN_LENGTH);
        assertThat(s3.objects.get("trainyard/prod/small")).isEqualTo(data);
        assertThat(s3.requests).noneMatch(r -> r.query().contains("uploads"));
    }

    @Test
    void aFailedMultipartUploadIsAborted() {
        byte[] data = bytes(6 * 1024 * 1024);
        InputStream failing = new InputStream() {
            final InputStream in = new ByteArrayInputStream(data);

            @Override
            public int read() throws IOException {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("client went away");
                }
                return b;
            }
        };
        assertThatThrownBy(() -> store.put(ArtifactKey.of("broken"), failing, ArtifactStore.UNKNOWN_LENGTH))
                .hasMessage("client went away");
        assertThat(s3.objects).isEmpty();
        assertThat(s3.uploads).as("no upload left open").isEmpty();
        assertThat(s3.requests.getLast().method()).isEqualTo("DELETE");
        assertThat(s3.requests.getLast().query()).contains("uploadId=");
    }

    @Test
    void aStreamLongerThanItsDeclaredLengthIsRefused() {
        assertThatThrownBy(() -> store.put(ArtifactKey.of("k"), new ByteArrayInputStream(bytes(20)), 10))
                .hasMessageContaining("more than the declared 10");
        assertThat(s3.objects).isEmpty();
    }

    @Test
    void theSdksOptionalChecksumsAreNotSent() throws IOException {
        store.put(ArtifactKey.of("k"), new ByteArrayInputStream(bytes(10)), 10);
        assertThat(s3.requests.getLast().headers().keySet()).noneMatch(h -> h.toLowerCase().startsWith("x-amz-checksum")
                || h.equalsIgnoreCase("x-amz-trailer"));
    }

    @Test
    void settingsAreCheckedWithASentenceSayingWhatToSet() {
        assertThatThrownBy(() -> S3ArtifactStore.checkSettings(settings(null, null, "", null, null, "16MB")))
                .hasMessageContaining("trainyard.artifacts.s3.bucket is required");
        assertThatThrownBy(() -> S3ArtifactStore.checkSettings(settings(null, "b", "", "key", null, "16MB")))
                .hasMessageContaining("access-key and secret-key, or neither");
        assertThatThrownBy(() -> S3ArtifactStore.checkSettings(settings(URI.create("minio:9000"), "b", "", null, null,
                "16MB"))).hasMessageContaining("http(s) URL");
        assertThatThrownBy(() -> S3ArtifactStore.checkSettings(settings(null, "b", "", null, null, "1MB")))
                .hasMessageContaining("part-size");
        assertThatThrownBy(() -> S3ArtifactStore.checkSettings(settings(null, "b", "../x", null, null, "16MB")))
                .hasMessageContaining("prefix");
        S3ArtifactStore.checkSettings(settings(URI.create("https://s3.example.com"), "b", "", null, null, "16MB"));
    }

    @Test
    void prefixesAreNormalized() {
        assertThat(S3ArtifactStore.normalizePrefix(null)).isEmpty();
        assertThat(S3ArtifactStore.normalizePrefix(" / ")).isEmpty();
        assertThat(S3ArtifactStore.normalizePrefix("/a/b/")).isEqualTo("a/b");
        assertThatThrownBy(() -> S3ArtifactStore.normalizePrefix("a/../b"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
