package dev.trainyard.platform.experiments;

import dev.trainyard.platform.auth.Caller;
import dev.trainyard.platform.experiments.ExperimentRecords.CreateExperimentRequest;
import dev.trainyard.platform.experiments.ExperimentRecords.ExperimentResponse;
import dev.trainyard.platform.web.ItemList;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import jakarta.validation.Valid;
import java.net.URI;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/projects/{projectId}/experiments")
public class ExperimentController {

    private final ExperimentService experiments;

    public ExperimentController(ExperimentService experiments) {
        this.experiments = experiments;
    }

    @PostMapping
    public ResponseEntity<ExperimentResponse> create(Caller caller, @PathVariable long projectId,
            @Valid @RequestBody CreateExperimentRequest request) {
        ExperimentResponse created = experiments.create(caller, projectId, request);
        return ResponseEntity.created(
                URI.create("/api/v1/projects/" + projectId + "/experiments/" + created.id())).body(created);
    }

    @GetMapping
    public ItemList<ExperimentResponse> list(Caller caller, @PathVariable long projectId) {
        return ItemList.of(experiments.list(caller, projectId));
    }

    @Operation(summary = "Delete an experiment with its runs (project admin)", description = "confirm must be the "
            + "experiment's name. QUEUED and RUNNING runs are cancelled first; the runs, their metrics, logs and "
            + "checkpoints (artifacts through the deletion outbox) are deleted. 204.")
    @DeleteMapping("/{experimentId}")
    public ResponseEntity<Void> delete(Caller caller, @PathVariable long projectId, @PathVariable long experimentId,
            @Parameter(description = "the experiment's name") @RequestParam(required = false) String confirm) {
        experiments.delete(caller, projectId, experimentId, confirm);
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/{experimentId}")
    public ExperimentResponse get(Caller caller, @PathVariable long projectId, @PathVariable long experimentId) {
        return experiments.get(caller, projectId, experimentId);
    }
}
