package dev.trainyard.worker.training;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The worker's own disk failed the run (a checkpoint could not be written, the run's directory not created): not
 * the run's fault, so another attempt, perhaps elsewhere, may succeed.
 */
public final class LocalStorageException extends UncheckedIOException {
    private static final long serialVersionUID = 1L;

    public LocalStorageException(String message, IOException cause) {
        super(message, cause);
    }
}
