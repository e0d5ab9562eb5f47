package dev.trainyard.platform.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ArtifactKeyTest {

    @Test
    void aKeyIsRelativeSegments() {
        ArtifactKey key = ArtifactKey.of("projects", 1, "runs", 7, "checkpoints", "0f3a");
        assertThat(key.path()).isEqualTo("projects/1/runs/7/checkpoints/0f3a");
        assertThat(key.segments()).containsExactly("projects", "1", "runs", "7", "checkpoints", "0f3a");
        assertThat(key.name()).isEqualTo("0f3a");
        assertThat(new ArtifactKey("model.v2_final-1.ckpt").name()).isEqualTo("model.v2_final-1.ckpt");
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", "../x", "a/../../etc/passwd", "a/..", "./a", "a/./b", "/etc/passwd", "/a", "a/",
            "a//b", "", ".hidden", "a/.partial", "a\\..\\b", "..\\x", "C:/x", "c:x", "a/b\u0000", "a b", "a/~",
            "%2e%2e",
            "a/%2e%2e/b", "\u2025", "a/\n"})
    void keysThatCouldEscapeTheRootAreRefused(String path) {
        assertThatThrownBy(() -> new ArtifactKey(path)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keysAreBounded() {
        assertThatThrownBy(() -> new ArtifactKey("a/".repeat(16) + "a")).hasMessageContaining("16 segments");
        assertThatThrownBy(() -> new ArtifactKey("a".repeat(129))).hasMessageContaining("128");
        assertThatThrownBy(() -> new ArtifactKey(("a".repeat(100) + "/").repeat(6))).isInstanceOf(
                IllegalArgumentException.class);
        assertThatThrownBy(() -> ArtifactKey.of("projects", "..", "x")).hasMessageContaining("'..'");
    }
}
