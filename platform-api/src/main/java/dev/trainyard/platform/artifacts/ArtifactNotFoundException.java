package dev.trainyard.platform.artifacts;

import java.io.IOException;

/** The store has nothing under this key. */
public class ArtifactNotFoundException extends IOException {

    private static final long serialVersionUID = 1L;

    public ArtifactNotFoundException(ArtifactKey key) {
        super("no artifact " + key);
    }
}
