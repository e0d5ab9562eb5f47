package dev.trainyard.platform.checkpoints;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainyard.platform.web.ApiException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UploadRequestTest {

    private static final String HEX = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    private static final String B64 = Base64.getEncoder().encodeToString(HexFormat.of().parseHex(HEX));

    private static Map<String, String[]> params(String... kv) {
        Map<String, String[]> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], new String[] {kv[i + 1]});
        }
        return m;
    }

    private static UploadRequest parse(Map<String, String[]> params, UploadRequest.Digests digests) {
        return UploadRequest.parse(7, params, digests);
    }

    @Test
    void readsStepEpochMetricsAndFilename() {
        UploadRequest r = parse(params("step", "10", "epoch", "2", "metric.acc", "0.5", "metric.val/loss", "1e-3",
                "filename", "m.ckpt"), new UploadRequest.Digests(HEX, null, null, null));
        assertThat(r).isEqualTo(new UploadRequest(10, 2, Map.of("acc", 0.5, "val/loss", 0.001), "m.ckpt", HEX, false));
        assertThat(parse(params("step", "3"), new UploadRequest.Digests(HEX, null, null, null)).filename())
                .isEqualTo("run-7-step-3.ckpt");
    }

    @Test
    void acceptsEachDigestHeader() {
        Map<String, String[]> step = params("step", "1");
        assertThat(parse(step, new UploadRequest.Digests(HEX.toUpperCase(), null, null, null)).sha256()).isEqualTo(HEX);
        assertThat(parse(step, new UploadRequest.Digests(null, "SHA-256=" + B64, null, null)).sha256()).isEqualTo(HEX);
        assertThat(parse(step, new UploadRequest.Digests(null, "md5=abc,sha-256=" + B64, null, null)).sha256())
                .isEqualTo(HEX);
        assertThat(parse(step, new UploadRequest.Digests(null, null, "sha-512=:AAAA:, sha-256=:" + B64 + ":", null))
                .sha256()).isEqualTo(HEX);
        assertThat(parse(step, new UploadRequest.Digests(null, null, null, "sha-256=:" + B64 + ":")).sha256())
                .isEqualTo(HEX);
        assertThat(parse(step, new UploadRequest.Digests(HEX, "sha-256=" + B64, null, null)).sha256()).isEqualTo(HEX);
    }

    @Test
    void refusesMissingMalformedOrDisagreeingDigests() {
        Map<String, String[]> step = params("step", "1");
        assertThatThrownBy(() -> parse(step, new UploadRequest.Digests(null, null, null, null)))
                .hasMessageContaining("declare the checkpoint's SHA-256");
        assertThatThrownBy(() -> parse(step, new UploadRequest.Digests(null, "md5=abc", null, null)))
                .hasMessageContaining("declare");
        assertThatThrownBy(() -> parse(step, new UploadRequest.Digests(HEX.substring(1), null, null, null)))
                .hasMessageContaining("64 hexadecimal digits");
        assertThatThrownBy(() -> parse(step, new UploadRequest.Digests(null, "sha-256=AAAA", null, null)))
                .hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> parse(step, new UploadRequest.Digests(null, null, "sha-256=" + B64, null)))
                .hasMessageContaining("RFC 9530");
        String other = Base64.getEncoder().encodeToString(new byte[32]);
        assertThatThrownBy(() -> parse(step, new UploadRequest.Digests(HEX, "sha-256=" + other, null, null)))
                .hasMessageContaining("different SHA-256");
    }

    @Test
    void reportsEveryBadParameter() {
        ApiException e = (ApiException) org.assertj.core.api.Assertions.catchThrowable(() -> parse(
                params("step", "x", "epoch", "-1", "metric.a b", "1", "metric.acc", "Infinity", "filename", ".x",
                        "other", "1"), new UploadRequest.Digests(HEX, null, null, null)));
        assertThat(e.errors()).extracting(p -> p.parameter())
                .containsExactlyInAnyOrder("step", "epoch", "metric.a b", "metric.acc", "filename", "other");
        assertThat(e.getMessage()).contains("(and 5 more)");
    }
}
