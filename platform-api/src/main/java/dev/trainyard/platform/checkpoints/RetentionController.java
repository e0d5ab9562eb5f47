package dev.trainyard.platform.checkpoints;

import dev.trainyard.platform.auth.Caller;
import dev.trainyard.platform.checkpoints.CheckpointRecords.RetentionResponse;
import dev.trainyard.platform.checkpoints.CheckpointRecords.RetentionSettings;
import dev.trainyard.platform.checkpoints.CheckpointRecords.RunRetentionResponse;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Checkpoint retention: an experiment's, which its runs get unless their spec sets their own, and what applies to
 * a run ({@link EffectiveRetention}). Applied to a run after each checkpoint upload.
 */
@RestController
@RequestMapping("/api/v1/projects/{projectId}")
public class RetentionController {

    private static final String EXPERIMENT = "/experiments/{experimentId}/checkpoint-retention";

    private final CheckpointService checkpoints;

    public RetentionController(CheckpointService checkpoints) {
        this.checkpoints = checkpoints;
    }

    @Operation(summary = "Get an experiment's checkpoint retention", description = "source experiment: its own "
            + "settings; source platform: it has none, and this is the platform's default (trainyard.checkpoints."
            + "retention.*) that its runs get. keepLast null: every checkpoint is kept.")
    @GetMapping(EXPERIMENT)
    public RetentionResponse get(Caller caller, @PathVariable long projectId, @PathVariable long experimentId) {
        return checkpoints.retention(caller, projectId, experimentId);
    }

    @Operation(summary = "Set an experiment's checkpoint retention", description = "{\"keepLast\": 3, \"keepBest\": "
            + "{\"metric\": \"test_acc\", \"mode\": \"max\"}}: after each upload to one of its runs, the run keeps its "
            + "3 most recently uploaded checkpoints and the one with the highest test_acc; the others are deleted. A run "
            + "whose spec sets checkpoint.keepBest or a keepLast other than 1 keeps by its spec instead.")
    @PutMapping(EXPERIMENT)
    public RetentionResponse put(Caller caller, @PathVariable long projectId, @PathVariable long experimentId,
            @Valid @RequestBody RetentionSettings settings) {
        return checkpoints.setRetention(caller, projectId, experimentId, settings);
    }

    @Operation(summary = "Remove an experiment's retention", description = "Its runs get the platform's default "
            + "again (trainyard.checkpoints.retention.*).")
    @DeleteMapping(EXPERIMENT)
    public ResponseEntity<Void> delete(Caller caller, @PathVariable long projectId, @PathVariable long experimentId) {
        checkpoints.deleteRetention(caller, projectId, experimentId);
        return ResponseEntity.noContent().build();
    }

    @Operation(summary = "Get the checkpoint retention that applies to a run", description = "keepLast and keepBest "
            + "with their source: run (its spec's checkpoint.keepLast/keepBest), experiment or platform "
            + "(trainyard.checkpoints.retention.*); keepLast null: every checkpoint is kept. The latest checkpoint and "
            + "the one the running attempt resumed from are never pruned. minIntervalSeconds: the least time between "
            + "two periodic checkpoints its worker may store.")
    @GetMapping("/runs/{runId}/checkpoint-retention")
    public RunRetentionResponse run(Caller caller, @PathVariable long projectId, @PathVariable long runId) {
        return checkpoints.runRetention(caller, projectId, runId);
    }
}
