package dev.trainyard.worker.training;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the local copy of a dataset artifact named by its digest ({@code sha256:<hex>}): a csv file, or a directory of
 * IDX files for fashion-mnist and mnist. The worker agent implements it with its dataset cache (downloaded from the
 * platform, verified, unpacked); {@link #inDirectory} looks in a local directory only.
 */
@FunctionalInterface
public interface ArtifactResolver {

    /** The artifact's local path; throws if it is not available. */
    Path resolve(String artifact) throws IOException;

    /** Artifacts stored as {@code <dir>/<hex digest>}, as a cache would keep them; nothing is downloaded. */
    static ArtifactResolver inDirectory(Path dir) {
        return artifact -> {
            String hex = artifact.substring(artifact.indexOf(':') + 1);
            Path p = dir.resolve(hex);
            if (!Files.exists(p)) {
                throw new java.nio.file.NoSuchFileException(p.toString(), null, "dataset artifact " + artifact
                        + " is not in " + dir + " (this resolver only looks in a local directory; a worker leasing the run from the "
                        + "platform downloads it)");
            }
            return p;
        };
    }
}
