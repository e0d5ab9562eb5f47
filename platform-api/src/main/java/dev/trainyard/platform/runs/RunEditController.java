package dev.trainyard.platform.runs;

import dev.trainyard.platform.auth.Caller;
import dev.trainyard.platform.runs.RunRecords.RunResponse;
import io.swagger.v3.oas.annotations.Operation;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** Editing a run's name, tags and notes. */
@RestController
public class RunEditController {

    private final RunEdits edits;

    public RunEditController(RunEdits edits) {
        this.edits = edits;
    }

    @Operation(summary = "Change a run's name, tags or notes (editor)", description = "A JSON merge patch "
            + "(application/merge-patch+json or application/json) of {\"name\", \"tags\", \"notes\"}: fields left out "
            + "stay, null clears tags or notes, tags replace the run's tags and follow the rules of a submission. "
            + "Any other field is a 400 naming it. Answers the run.")
    @PatchMapping(path = "/api/v1/projects/{projectId}/runs/{runId}",
            consumes = {"application/merge-patch+json", "application/json"})
    public RunResponse patch(Caller caller, @PathVariable long projectId, @PathVariable long runId,
            @RequestBody JsonNode patch) {
        return edits.patch(caller, projectId, runId, patch);
    }
}
