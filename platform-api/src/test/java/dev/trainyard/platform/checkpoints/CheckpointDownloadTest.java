package dev.trainyard.platform.checkpoints;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class CheckpointDownloadTest extends CheckpointTesting {

    private TestUser alice;
    private long project;
    private long run;
    private byte[] data;
    private String content;
    private String etag;

    @BeforeEach
    void setUp() {
        alice = newUser("alice");
        project = newProject(alice);
        run = newRun(project, alice, null);
        data = bytes(100_000, 21);
        JsonNode c = uploaded(alice, project, run, "?step=300&epoch=2&metric.test_acc=0.9&filename=fashion-mlp.ckpt",
                data);
        content = c.get("content").stringValue();
        etag = "\"" + sha256(data) + "\"";
    }

    @Test
    void listingShowsStepsMetricsSizesAndDigestsInStepOrder() {
        uploaded(alice, project, run, "?step=100&metric.test_acc=0.8", bytes(10, 22));
        uploaded(alice, project, run, "?step=200", bytes(20, 23));
        JsonNode list = api.get(checkpoints(project, run), alice.token()).json();
        assertThat(list.get("items")).extracting(i -> i.get("step").longValue()).containsExactly(100L, 200L, 300L);
        assertThat(list.get("nextCursor").isNull()).isTrue();
        JsonNode first = list.get("items").get(0);
        assertThat(first.get("metrics").get("test_acc").doubleValue()).isEqualTo(0.8);
        assertThat(list.get("items").get(1).get("metrics")).isEmpty();
        assertThat(first.get("sizeBytes").longValue()).isEqualTo(10);
        assertThat(first.get("sha256").stringValue()).hasSize(64);

        long id = list.get("items").get(2).get("id").longValue();
        assertThat(api.get(checkpoints(project, run) + "/" + id, alice.token()).json().get("step").longValue())
                .isEqualTo(300);
        assertThat(api.get(checkpoints(project, run) + "/latest", alice.token()).json().get("step").longValue())
                .isEqualTo(300);
        assertThat(api.get(checkpoints(project, run) + "/best?metric=test_acc&mode=min", alice.token()).json()
                .get("step").longValue()).isEqualTo(100);
        assertThat(api.get(checkpoints(project, run) + "/best?metric=test_acc&mode=max", alice.token()).json()
                .get("step").longValue()).isEqualTo(300);
        assertProblem(api.get(checkpoints(project, run) + "/best", alice.token()), 400);
        assertProblem(api.get(checkpoints(project, run) + "/best?metric=nope&mode=max", alice.token()), 404);
        assertProblem(api.get(checkpoints(project, run) + "/newest", alice.token()), 400);
        assertProblem(api.get(checkpoints(project, run) + "/123456789", alice.token()), 404);
    }

    @Test
    void aFullDownloadCarriesETagLengthAndAttachmentName() {
        HttpResponse<byte[]> r = download(content, alice.token(), Map.of());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo(data);
        assertThat(header(r, "ETag")).isEqualTo(etag);
        assertThat(header(r, "Content-Length")).isEqualTo(String.valueOf(data.length));
        assertThat(header(r, "Content-Type")).isEqualTo("application/octet-stream");
        assertThat(header(r, "Accept-Ranges")).isEqualTo("bytes");
        // named by the run and step whatever the uploader called it: two runs' files never clash in one directory
        assertThat(header(r, "Content-Disposition")).isEqualTo("attachment; filename=\"run-" + run
                + "-step-300.ckpt\"");
        assertThat(header(r, "X-Checkpoint-Sha256")).isEqualTo(sha256(data));
        assertThat(header(r, "Repr-Digest")).startsWith("sha-256=:");

        // the same through the latest alias, and the default file name
        assertThat(download(checkpoints(project, run) + "/latest/content", alice.token(), Map.of()).body())
                .isEqualTo(data);
        String other = uploaded(alice, project, run, "?step=400", bytes(5, 24)).get("content").stringValue();
        assertThat(header(download(other, alice.token(), Map.of()), "Content-Disposition"))
                .isEqualTo("attachment; filename=\"run-" + run + "-step-400.ckpt\"");
    }

    @Test
    void headSendsTheHeadersOnly() {
        HttpResponse<byte[]> r = download("HEAD", content, alice.token(), Map.of());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEmpty();
        assertThat(header(r, "Content-Length")).isEqualTo(String.valueOf(data.length));
        assertThat(header(r, "ETag")).isEqualTo(etag);
    }

    @Test
    void ifNoneMatchWithTheETagIs304() {
        HttpResponse<byte[]> r = download(content, alice.token(), Map.of("If-None-Match", etag));
        assertThat(r.statusCode()).isEqualTo(304);
        assertThat(r.body()).isEmpty();
        assertThat(header(r, "ETag")).isEqualTo(etag);
        assertThat(download(content, alice.token(), Map.of("If-None-Match", "\"other\", W/" + etag)).statusCode())
                .isEqualTo(304);
        assertThat(download(content, alice.token(), Map.of("If-None-Match", "*")).statusCode()).isEqualTo(304);
        assertThat(download(content, alice.token(), Map.of("If-None-Match", "\"other\"")).statusCode())
                .isEqualTo(200);
    }

    @Test
    void aRangeIs206WithContentRange() {
        HttpResponse<byte[]> r = download(content, alice.token(), Map.of("Range", "bytes=1000-1999"));
        assertThat(r.statusCode()).isEqualTo(206);
        assertThat(r.body()).isEqualTo(Arrays.copyOfRange(data, 1000, 2000));
        assertThat(header(r, "Content-Range")).isEqualTo("bytes 1000-1999/" + data.length);
        assertThat(header(r, "Content-Length")).isEqualTo("1000");
        assertThat(header(r, "ETag")).isEqualTo(etag);

        HttpResponse<byte[]> open = download(content, alice.token(), Map.of("Range", "bytes=99000-"));
        assertThat(open.body()).isEqualTo(Arrays.copyOfRange(data, 99000, data.length));
        HttpResponse<byte[]> suffix = download(content, alice.token(), Map.of("Range", "bytes=-10"));
        assertThat(suffix.body()).isEqualTo(Arrays.copyOfRange(data, data.length - 10, data.length));
        assertThat(header(suffix, "Content-Range")).isEqualTo("bytes 99990-99999/100000");
        HttpResponse<byte[]> past = download(content, alice.token(), Map.of("Range", "bytes=99990-200000"));
        assertThat(past.body()).hasSize(10);
    }

    @Test
    void severalRangesComeAsMultipartByteranges() {
        HttpResponse<byte[]> r = download(content, alice.token(), Map.of("Range", "bytes=0-9, 50000-50009"));
        assertThat(r.statusCode()).isEqualTo(206);
        String type = header(r, "Content-Type");
        assertThat(type).startsWith("multipart/byteranges; boundary=");
        String boundary = type.substring(type.indexOf('=') + 1);
        assertThat(header(r, "Content-Length")).isEqualTo(String.valueOf(r.body().length));
        String body = new String(r.body(), StandardCharsets.ISO_8859_1);
        assertThat(body).contains("--" + boundary + "\r\nContent-Type: application/octet-stream\r\n"
                + "Content-Range: bytes 0-9/100000\r\n\r\n"
                + new String(Arrays.copyOfRange(data, 0, 10), StandardCharsets.ISO_8859_1));
        assertThat(body).contains("Content-Range: bytes 50000-50009/100000\r\n\r\n"
                + new String(Arrays.copyOfRange(data, 50000, 50010), StandardCharsets.ISO_8859_1));
        assertThat(body).endsWith("\r\n--" + boundary + "--\r\n");
    }

    /** D6: sixteen overlapping ranges sent the checkpoint sixteen times (35.9 MB for a 2.2 MB file). */
    @Test
    void overlappingRangesNeverSendMoreThanTheFile() {
        HttpResponse<byte[]> sixteen = download(content, alice.token(),
                Map.of("Range", "bytes=" + "0-,".repeat(15) + "0-"));
        assertThat(sixteen.statusCode()).isEqualTo(200);
        assertThat(sixteen.body()).isEqualTo(data);

        HttpResponse<byte[]> overlapping = download(content, alice.token(),
                Map.of("Range", "bytes=100-299, 0-199, 250-300"));
        assertThat(overlapping.statusCode()).isEqualTo(206);
        assertThat(header(overlapping, "Content-Range")).isEqualTo("bytes 0-300/100000");
        assertThat(overlapping.body()).isEqualTo(Arrays.copyOfRange(data, 0, 301));

        String manySmall = "bytes=" + "0-9999,".repeat(15) + "90000-99999";
        HttpResponse<byte[]> r = download(content, alice.token(), Map.of("Range", manySmall));
        assertThat(r.body().length).as(r.statusCode() + " " + header(r, "Content-Type"))
                .isLessThanOrEqualTo(data.length);
    }

    @Test
    void anUnsatisfiableRangeIs416AndABadOneIsIgnored() {
        HttpResponse<byte[]> r = download(content, alice.token(), Map.of("Range", "bytes=100000-"));
        assertThat(r.statusCode()).isEqualTo(416);
        assertThat(header(r, "Content-Range")).isEqualTo("bytes */100000");
        assertThat(header(r, "Content-Type")).startsWith("application/problem+json");
        assertThat(text(r)).contains("outside checkpoint");

        String tooMany = "bytes=" + "0-1,".repeat(20) + "0-1";
        for (String ignored : new String[] {"bytes=5-2", "items=0-1", "bytes=abc", tooMany}) {
            HttpResponse<byte[]> whole = download(content, alice.token(), Map.of("Range", ignored));
            assertThat(whole.statusCode()).as(ignored).isEqualTo(200);
            assertThat(whole.body()).isEqualTo(data);
        }
    }

    @Test
    void ifRangeWithAnotherETagSendsEverything() {
        HttpResponse<byte[]> stale = download(content, alice.token(),
                Map.of("Range", "bytes=0-9", "If-Range", "\"an-older-version\""));
        assertThat(stale.statusCode()).isEqualTo(200);
        assertThat(stale.body()).isEqualTo(data);
        HttpResponse<byte[]> same = download(content, alice.token(), Map.of("Range", "bytes=0-9", "If-Range", etag));
        assertThat(same.statusCode()).isEqualTo(206);
        assertThat(same.body()).hasSize(10);
    }

    @Test
    void aMissingFileIsAProblemNotATruncatedDownload() throws Exception {
        String key = jdbc.sql("SELECT storage_key FROM checkpoints WHERE run_id = ?").param(run).query(String.class)
                .single();
        java.nio.file.Files.delete(ARTIFACTS_DIR.resolve(key));
        HttpResponse<byte[]> r = download(content, alice.token(), Map.of());
        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(header(r, "Content-Type")).startsWith("application/problem+json");
        assertThat(r.headers().firstValue("Content-Disposition")).isEmpty();
    }

    @Test
    void deletingACheckpointDeletesItsFile() {
        long id = api.get(checkpoints(project, run) + "/latest", alice.token()).json().get("id").longValue();
        assertThat(storedFiles(project, run)).hasSize(1);
        assertThat(api.delete(checkpoints(project, run) + "/" + id, alice.token()).status()).isEqualTo(204);
        assertThat(storedFiles(project, run)).isEmpty();
        assertThat(pendingDeletions(project, run)).isZero();
        assertProblem(api.get(checkpoints(project, run) + "/" + id, alice.token()), 404);
        assertProblem(api.delete(checkpoints(project, run) + "/" + id, alice.token()), 404);
    }

    private static String header(HttpResponse<?> r, String name) {
        return r.headers().firstValue(name).orElse(null);
    }
}
