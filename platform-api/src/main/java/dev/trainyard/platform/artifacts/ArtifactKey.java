package dev.trainyard.platform.artifacts;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Where an artifact lives inside an {@link ArtifactStore}: a relative path of 1 to 16 segments joined by {@code /},
 * e.g. {@code projects/1/runs/7/checkpoints/5f0c...}. Keys are made by the server, never taken from a request, and
 * this record refuses anything that could point outside the store's root: every segment starts with a letter or
 * digit and holds only letters, digits, {@code .}, {@code _} and {@code -}, so {@code ..}, {@code .}, absolute paths,
 * empty segments, backslashes and drive letters cannot be spelt. (Symbolic links inside a local store's directory
 * are the store's to refuse: see {@link LocalArtifactStore}.)
 */
public record ArtifactKey(String path) {

    public static final int MAX_LENGTH = 512;
    public static final int MAX_SEGMENTS = 16;
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    public ArtifactKey {
        if (path == null || path.isEmpty()) {
            throw new IllegalArgumentException("an artifact key cannot be empty");
        }
        if (path.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("artifact key longer than " + MAX_LENGTH + " characters");
        }
        String[] segments = path.split("/", -1);
        if (segments.length > MAX_SEGMENTS) {
            throw new IllegalArgumentException("artifact key '" + path + "' has more than " + MAX_SEGMENTS
                    + " segments");
        }
        for (String segment : segments) {
            if (!SEGMENT.matcher(segment).matches()) {
                throw new IllegalArgumentException("artifact key '" + path + "': segment '" + segment + "' must "
                        + "start with a letter or digit and hold only letters, digits, '.', '_' and '-' (at most "
                        + "128); keys are relative and cannot contain '..'");
            }
        }
    }

    /** The key made of these segments, each checked as above. */
    public static ArtifactKey of(Object... segments) {
        return new ArtifactKey(String.join("/", Arrays.stream(segments).map(String::valueOf).toList()));
    }

    public List<String> segments() {
        return List.of(path.split("/"));
    }

    /** The last segment. */
    public String name() {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    @Override
    public String toString() {
        return path;
    }
}
