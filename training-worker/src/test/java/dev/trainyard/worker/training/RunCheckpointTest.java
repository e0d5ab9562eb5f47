package dev.trainyard.worker.training;

import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.serialization.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RunCheckpointTest {
    @TempDir
    Path dir;

    static RunCheckpoint sample() {
        Map<String, Object> optimizer = new LinkedHashMap<>();
        optimizer.put("state", new LinkedHashMap<>());
        optimizer.put("param_groups", List.of());
        return new RunCheckpoint("{\"seed\":1}", Map.of("0.weight", Tensor.ones(2, 3)), optimizer, null,
                new RunCheckpoint.Rng(new byte[] {1, 2}, new byte[] {3}, new byte[] {4, 5, 6}),
                new TrainingProgress(12, 1, 4, 2.5, 4, 0.75, 1, TrainingResult.Status.COMPLETED, "done"),
                null, Map.of("test/accuracy", 0.5),
                List.of(new CheckpointRetention.Entry(12, 2, "step-000000012.ckpt", Map.of("test/accuracy", 0.5))));
    }

    @Test
    void whatIsSavedIsReadBackTyped() throws Exception {
        RunCheckpoint c = sample();
        Path file = dir.resolve("c.ckpt");
        c.save(file);
        RunCheckpoint back = RunCheckpoint.load(file);
        assertEquals(c.specJson(), back.specJson());
        assertEquals(c.progress(), back.progress());
        assertArrayEquals(c.rng().model(), back.rng().model());
        assertArrayEquals(c.rng().data(), back.rng().data());
        assertArrayEquals(c.rng().dataEpochStart(), back.rng().dataEpochStart());
        assertArrayEquals(c.model().get("0.weight").toFloatArray(), back.model().get("0.weight").toFloatArray());
        assertEquals(c.metrics(), back.metrics());
        assertEquals(c.checkpoints(), back.checkpoints());
        assertNull(back.scheduler());
        assertNull(back.earlyStopping());
    }

    @Test
    void aFieldOfTheWrongTypeIsNamedNotACastFailure() throws Exception {
        Path file = dir.resolve("step-000000003.ckpt");
        sample().save(file);
        Map<String, Object> state = Checkpoint.load(file);
        @SuppressWarnings("unchecked")
        Map<String, Object> progress = (Map<String, Object>) state.get("progress");
        progress.put("step", "twelve");
        Checkpoint.save(file, state);
        var e = assertThrows(IllegalArgumentException.class, () -> RunCheckpoint.load(file));
        assertEquals("step-000000003.ckpt: not a checkpoint of this trainer: progress.step is a String, expected a number",
                e.getMessage());

        state.remove("rng");
        Checkpoint.save(file, state);
        e = assertThrows(IllegalArgumentException.class, () -> RunCheckpoint.load(file));
        assertEquals("step-000000003.ckpt: not a checkpoint of this trainer: rng is missing, expected an object",
                e.getMessage());
    }

    @Test
    void anotherFormatIsRefused() throws Exception {
        Path file = dir.resolve("weights.ckpt");
        Checkpoint.save(file, Map.of("format", "something-else", "model", Map.of("w", Tensor.ones(1))));
        var e = assertThrows(IllegalArgumentException.class, () -> RunCheckpoint.load(file));
        assertEquals("weights.ckpt: not a training-run checkpoint (format something-else, expected "
                + RunCheckpoint.FORMAT + ")", e.getMessage());
    }
}
