package dev.trainyard.platform.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalArtifactStoreTest {

    @TempDir
    Path temp;

    private Path root;
    private Path outside;
    private LocalArtifactStore store;

    @BeforeEach
    void setUp() throws IOException {
        root = temp.resolve("artifacts");
        outside = Files.createDirectories(temp.resolve("outside"));
        store = new LocalArtifactStore(root);
    }

    private static InputStream in(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String read(InputStream in) throws IOException {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void putGetRangesSizeExistsDelete() throws IOException {
        ArtifactKey key = ArtifactKey.of("projects", 1, "runs", 2, "checkpoints", "c1");
        assertThat(store.exists(key)).isFalse();
        assertThat(store.put(key, in("hello, world"), 12)).isEqualTo(12);
        assertThat(Files.readString(root.resolve("projects/1/runs/2/checkpoints/c1"))).isEqualTo("hello, world");
        assertThat(store.exists(key)).isTrue();
        assertThat(store.size(key)).isEqualTo(12);
        assertThat(read(store.get(key))).isEqualTo("hello, world");
        assertThat(read(store.get(key, 7, 5))).isEqualTo("world");
        assertThat(read(store.get(key, 7, 100))).isEqualTo("world");
        assertThat(read(store.get(key, 7, -1))).isEqualTo("world");
        assertThat(read(store.get(key, 0, 0))).isEmpty();

        assertThat(store.put(key, in("replaced"), ArtifactStore.UNKNOWN_LENGTH)).isEqualTo(8);
        assertThat(read(store.get(key))).isEqualTo("replaced");

        store.delete(key);
        assertThat(store.exists(key)).isFalse();
        store.delete(key); // again: fine
        assertThatThrownBy(() -> store.get(key)).isInstanceOf(ArtifactNotFoundException.class);
        assertThatThrownBy(() -> store.size(key)).isInstanceOf(ArtifactNotFoundException.class);
        // the emptied directories went with it
        assertThat(root.resolve("projects")).doesNotExist();
        assertThat(root).exists();
    }

    @Test
    void aLengthThatDoesNotMatchStoresNothing() throws IOException {
        ArtifactKey key = ArtifactKey.of("a", "b");
        assertThatThrownBy(() -> store.put(key, in("four"), 5)).hasMessageContaining("instead of the declared 5");
        assertThatThrownBy(() -> store.put(key, in("four"), 3)).hasMessageContaining("more than the declared 3");
        assertThat(store.exists(key)).isFalse();
        assertThat(files()).isEmpty();
    }

    @Test
    void aFailedPutLeavesNeitherTheFileNorItsPartial() throws IOException {
        ArtifactKey key = ArtifactKey.of("a", "b");
        InputStream failing = new InputStream() {
            int n;

            @Override
            public int read() throws IOException {
                if (n++ > 100_000) {
                    throw new IOException("client went away");
                }
                return 1;
            }
        };
        assertThatThrownBy(() -> store.put(key, failing, -1)).hasMessage("client went away");
        assertThat(files()).isEmpty();
    }

    @Test
    void deleteAlsoRemovesAPartialLeftByACrash() throws IOException {
        ArtifactKey key = ArtifactKey.of("a", "b");
        Files.createDirectories(root.resolve("a"));
        Files.writeString(root.resolve("a/.b.partial"), "half");
        store.delete(key);
        assertThat(files()).isEmpty();
    }

    @Test
    void aSymbolicLinkedDirectoryInsideTheRootIsNotFollowed() throws IOException {
        Files.createSymbolicLink(root.resolve("projects"), outside);
        ArtifactKey key = ArtifactKey.of("projects", "1", "x");
        assertThatThrownBy(() -> store.put(key, in("escape"), 6)).hasMessageContaining("symbolic link");
        assertThatThrownBy(() -> store.get(key)).hasMessageContaining("symbolic link");
        assertThatThrownBy(() -> store.exists(key)).hasMessageContaining("symbolic link");
        assertThatThrownBy(() -> store.delete(key)).hasMessageContaining("symbolic link");
        try (Stream<Path> s = Files.list(outside)) {
            assertThat(s.toList()).as("nothing was written outside the root").isEmpty();
        }
    }

    @Test
    void aSymbolicLinkAtTheKeyItselfIsNotFollowed() throws IOException {
        Path secret = Files.writeString(outside.resolve("secret"), "secret");
        Files.createDirectories(root.resolve("a"));
        Files.createSymbolicLink(root.resolve("a/b"), secret);
        ArtifactKey key = ArtifactKey.of("a", "b");
        assertThatThrownBy(() -> store.get(key)).hasMessageContaining("symbolic link");
        assertThatThrownBy(() -> store.size(key)).hasMessageContaining("symbolic link");
        assertThat(store.exists(key)).isFalse();
        assertThatThrownBy(() -> store.put(key, in("overwrite"), 9)).hasMessageContaining("symbolic link");
        assertThat(Files.readString(secret)).isEqualTo("secret");
        store.delete(key); // removes the link, never its target
        assertThat(root.resolve("a/b")).doesNotExist();
        assertThat(Files.readString(secret)).isEqualTo("secret");
    }

    @Test
    void aRootThatIsItselfALinkIsResolvedOnce() throws IOException {
        Path link = Files.createSymbolicLink(temp.resolve("link"), outside);
        LocalArtifactStore linked = new LocalArtifactStore(link);
        assertThat(linked.root()).isEqualTo(outside.toRealPath());
        linked.put(ArtifactKey.of("k"), in("x"), 1);
        assertThat(outside.resolve("k")).exists();
    }

    private java.util.List<Path> files() throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }
}
