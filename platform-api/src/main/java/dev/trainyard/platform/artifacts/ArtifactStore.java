package dev.trainyard.platform.artifacts;

import java.io.IOException;
import java.io.InputStream;

/**
 * Where artifacts (checkpoints, and later other run outputs) are kept: a local directory
 * ({@link LocalArtifactStore}, the default) or an S3-compatible bucket ({@link S3ArtifactStore}). Chosen by
 * {@code trainyard.artifacts.store}; see {@link ArtifactStoreConfiguration}.
 *
 * <p>Every method streams: no implementation holds a whole artifact in memory (the S3 store buffers at most one
 * multipart part when the length is unknown). Keys are {@link ArtifactKey}s, which cannot leave the store's root.
 */
public interface ArtifactStore {

    /** The {@code length} to pass to {@link #put} when the length is not known in advance (a chunked upload). */
    long UNKNOWN_LENGTH = -1;

    /**
     * Stores everything {@code in} yields under {@code key}, replacing what was there, and returns the number of bytes
     * stored. Reads {@code in} to its end without closing it. When {@code length} is known and the stream ends
     * early or goes on longer, nothing is stored and this throws. A reader never sees a partly written artifact.
     */
    long put(ArtifactKey key, InputStream in, long length) throws IOException;

    /**
     * Bytes {@code [offset, offset + length)} of the artifact, or from {@code offset} to the end when {@code length}
     * is negative. The caller closes the stream.
     *
     * @throws ArtifactNotFoundException when there is no such artifact
     */
    InputStream get(ArtifactKey key, long offset, long length) throws IOException;

    default InputStream get(ArtifactKey key) throws IOException {
        return get(key, 0, -1);
    }

    /** Deletes the artifact. Deleting one that does not exist succeeds, so a retry after a lost answer is safe. */
    void delete(ArtifactKey key) throws IOException;

    boolean exists(ArtifactKey key) throws IOException;

    /** @throws ArtifactNotFoundException when there is no such artifact */
    long size(ArtifactKey key) throws IOException;

    /** Where the artifacts are, for logs: {@code local directory /srv/trainyard/artifacts}. */
    String describe();
}
