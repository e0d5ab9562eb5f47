package dev.trainyard.platform.artifacts;

import dev.trainyard.platform.web.ApiException;
import dev.trainyard.platform.web.FieldProblem;
import dev.trainyard.platform.web.Times;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The first half of every upload (checkpoints, datasets): streams the body into the store under a deletion intent, so
 * the bytes of an upload that never completes are deleted by the outbox, counting and hashing it on the way, and
 * checks the declared SHA-256. Any failure deletes the bytes and throws the answer; on success the caller records the
 * artifact and cancels the intent in its own transaction (or deletes it if the record fails).
 */
@Component
public class ArtifactUploads {

    private static final Logger log = LoggerFactory.getLogger(ArtifactUploads.class);

    /**
     * What is uploaded, for the answers.
     *
     * @param what e.g. "the checkpoint"
     * @param maxSizeSetting the property that sets its size limit
     * @param sha256Header the request header that declares its SHA-256
     */
    public record Kind(String what, String maxSizeSetting, String sha256Header) {}

    /** Bytes in the store, still under deletion intent {@code intent}. */
    public record Staged(long intent, long size, String sha256) {}

    private final ArtifactStore store;
    private final ArtifactDeletions deletions;
    private final ArtifactStoreProperties settings;
    private final TransactionTemplate tx;

    ArtifactUploads(ArtifactStore store, ArtifactDeletions deletions, ArtifactStoreProperties settings,
            PlatformTransactionManager transactions) {
        this.store = store;
        this.deletions = deletions;
        this.settings = settings;
        this.tx = new TransactionTemplate(transactions);
    }

    /**
     * Stores {@code body} under {@code key}.
     *
     * @param purpose what the intent says while the upload is in progress
     * @param declaredSha256 lower-case hex, or null when the client declared none
     */
    public Staged stage(Kind kind, ArtifactKey key, String purpose, InputStream body, long contentLength,
            String declaredSha256) {
        Instant deadline = Times.now().plus(settings.uploadDeadline());
        long intent = tx.execute(status -> deletions.schedule(key, purpose + " in progress (deleted unless it "
                + "completes)", deadline));
        Sha256Input in = new Sha256Input(body);
        long size;
        try {
            size = store.put(key, in, contentLength);
        } catch (IOException | RuntimeException e) {
            deletions.deleteNow(List.of(intent));
            ApiException client = in.clientFailure(e, kind.what(), kind.maxSizeSetting());
            if (client != null) {
                throw client;
            }
            log.error("storing {} ({}) failed", kind.what(), purpose, e);
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "the artifact store failed; nothing was stored, "
                    + "try again (the server log has the details)", List.of());
        }
        String actual = in.hex();
        if (declaredSha256 != null && !declaredSha256.equals(actual)) {
            deletions.deleteNow(List.of(intent));
            throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "the uploaded bytes do not match the declared "
                    + "SHA-256 (declared " + declaredSha256 + ", received " + size + " bytes with SHA-256 " + actual
                    + "); nothing was stored, upload again",
                    List.of(FieldProblem.atParameter(kind.sha256Header(), "does not match the body, whose SHA-256 is "
                            + actual, declaredSha256)));
        }
        return new Staged(intent, size, actual);
    }
}
