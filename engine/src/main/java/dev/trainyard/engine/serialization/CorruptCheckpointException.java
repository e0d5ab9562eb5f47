package dev.trainyard.engine.serialization;

import java.io.IOException;

/** A checkpoint or weights file that is truncated, corrupt or not of the expected format; nothing was loaded. */
public class CorruptCheckpointException extends IOException {
    public CorruptCheckpointException(String message) {
        super(message);
    }
}
