package dev.trainyard.platform.checkpoints;

import dev.trainyard.platform.auth.Caller;
import dev.trainyard.platform.checkpoints.CheckpointRecords.RetentionResponse;
import dev.trainyard.platform.checkpoints.CheckpointRecords.RetentionSettings;
import dev.trainyard.platform.web.Statuses;
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

/** An experiment's checkpoint retention, applied to a run of the experiment after each checkpoint upload. */
@RestController
@RequestMapping("/api/v1/projects/{projectId}/experiments/{experimentId}/checkpoint-retention")
public class RetentionController {

    private final CheckpointService checkpoints;

    public RetentionController(CheckpointService checkpoints) {
        this.checkpoints = checkpoints;
    }

    @Operation(summary = "Get an experiment's checkpoint retention", description = "keepLast null: every checkpoint "
            + "is kept.")
    @GetMapping
    public RetentionResponse get(Caller caller, @PathVariable long projectId, @PathVariable long experimentId) {
        return checkpoints.retention(caller, projectId, experimentId);
    }

    @Operation(summary = "Set an experiment's checkpoint retention", description = "{\"keepLast\": 3, \"keepBest\": "
            + "{\"metric\": \"test_acc\", \"mode\": \"max\"}}: after each upload to one of its runs, the run keeps its "
            + "3 most recently uploaded checkpoints and the one with the highest test_acc; the others are deleted.")
    @PutMapping
    public RetentionResponse put(Caller caller, @PathVariable long projectId, @PathVariable long experimentId,
            @Valid @RequestBody RetentionSettings settings) {
        return checkpoints.setRetention(caller, projectId, experimentId, settings);
    }

    @Operation(summary = "Keep every checkpoint of the experiment's runs from now on")
    @Statuses(success = 204)
    @DeleteMapping
    public ResponseEntity<Void> delete(Caller caller, @PathVariable long projectId, @PathVariable long experimentId) {
        checkpoints.deleteRetention(caller, projectId, experimentId);
        return ResponseEntity.noContent().build();
    }
}
