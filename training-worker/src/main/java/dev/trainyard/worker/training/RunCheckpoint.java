package dev.trainyard.worker.training;

import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.serialization.Checkpoint;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a training run's checkpoint holds ({@code trainyard-run-checkpoint/1}, in the engine's {@link Checkpoint}
 * container): the spec it was written by, the model, optimizer and scheduler state dicts, the model generator's
 * state, the data generator's state now and at the start of the current epoch, the {@link TrainingProgress},
 * early-stopping state, the latest evaluation's metrics and the checkpoints retention keeps. {@link #load} reads it
 * back typed, failing with a message that names the field when the file is not such a checkpoint.
 *
 * @param specJson the run spec as normalised JSON
 * @param model empty for a model without parameters
 * @param scheduler null without a scheduler
 * @param earlyStopping null without early stopping
 */
record RunCheckpoint(String specJson, Map<String, Tensor> model, Map<String, Object> optimizer,
        Map<String, Object> scheduler, Rng rng, TrainingProgress progress, Map<String, Object> earlyStopping,
        Map<String, Double> metrics, List<CheckpointRetention.Entry> checkpoints) {

    static final String FORMAT = "trainyard-run-checkpoint/1";

    /** The generators' states: the model's (also dropout's), the data order's now and when the epoch started. */
    record Rng(byte[] model, byte[] data, byte[] dataEpochStart) {}

    void save(Path file) throws IOException {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("format", FORMAT);
        state.put("spec", specJson);
        state.put("model", model);
        state.put("optimizer", optimizer);
        if (scheduler != null) {
            state.put("scheduler", scheduler);
        }
        Map<String, Object> generators = new LinkedHashMap<>();
        generators.put("default", rng.model());
        generators.put("data", rng.data());
        generators.put("dataEpochStart", rng.dataEpochStart());
        state.put("rng", generators);
        state.put("progress", progress.toMap());
        if (earlyStopping != null) {
            state.put("earlyStopping", earlyStopping);
        }
        state.put("metrics", new LinkedHashMap<>(metrics));
        List<Object> kept = new ArrayList<>();
        for (CheckpointRetention.Entry e : checkpoints) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("step", e.step());
            m.put("epoch", e.epoch());
            m.put("file", e.file());
            m.put("metrics", new LinkedHashMap<>(e.metrics()));
            kept.add(m);
        }
        state.put("checkpoints", kept);
        Checkpoint.save(file, state);
    }

    static RunCheckpoint load(Path file) throws IOException {
        Map<String, Object> state;
        try {
            state = Checkpoint.load(file);
        } catch (IOException | RuntimeException e) {
            throw new IOException("checkpoint " + file.getFileName() + " cannot be read: "
                    + Trainer.withoutDirectories(file, e), e);
        }
        String source = String.valueOf(file.getFileName());
        if (!FORMAT.equals(state.get("format"))) {
            throw new CheckpointFields.CheckpointFormatException(source + ": not a training-run checkpoint (format "
                    + state.get("format") + ", expected " + FORMAT + ")");
        }
        CheckpointFields f = new CheckpointFields(source, "", state);
        Map<String, Tensor> model = state.get("model") instanceof Map<?, ?> m && !m.isEmpty()
                ? Checkpoint.tensors(state, "model") : Map.of();
        CheckpointFields rng = f.object("rng");
        List<CheckpointRetention.Entry> kept = new ArrayList<>();
        for (CheckpointFields e : f.objects("checkpoints")) {
            kept.add(new CheckpointRetention.Entry(e.longValue("step"), e.intValue("epoch"), e.string("file"),
                    e.doubles("metrics")));
        }
        return new RunCheckpoint(f.string("spec"), model, f.stateDict("optimizer"),
                f.has("scheduler") ? f.stateDict("scheduler") : null,
                new Rng(rng.bytes("default"), rng.bytes("data"), rng.bytes("dataEpochStart")),
                TrainingProgress.from(f.object("progress")),
                f.has("earlyStopping") ? f.stateDict("earlyStopping") : null, f.doubles("metrics"), kept);
    }
}
