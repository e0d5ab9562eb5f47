package dev.trainyard.worker.training;

import java.nio.file.Path;

/**
 * Where a {@link Trainer} finds its data and writes its checkpoints: the worker's settings, not the run's.
 *
 * @param dataRoot      the directory dataset paths are relative to (e.g. {@code /usr/share/datasets})
 * @param checkpointDir the run's own directory for checkpoint files (created if missing)
 * @param artifacts     finds dataset artifacts named by digest
 * @param numWorkers    background threads loading training batches (0: load on the training thread); results do
 *                      not depend on it
 */
public record TrainerOptions(Path dataRoot, Path checkpointDir, ArtifactResolver artifacts, int numWorkers) {

    /** No background loading; artifacts looked up in {@code <dataRoot>/artifacts}. */
    public static TrainerOptions of(Path dataRoot, Path checkpointDir) {
        return new TrainerOptions(dataRoot, checkpointDir, ArtifactResolver.inDirectory(dataRoot.resolve("artifacts")), 0);
    }
}
