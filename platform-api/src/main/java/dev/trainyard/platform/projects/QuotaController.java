package dev.trainyard.platform.projects;

import dev.trainyard.platform.auth.Caller;
import dev.trainyard.platform.auth.RequiresScope;
import dev.trainyard.platform.auth.Scope;
import dev.trainyard.platform.projects.QuotaRecords.QuotaRequest;
import dev.trainyard.platform.projects.QuotaRecords.QuotaResponse;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** A project's storage quotas: members see them with the current use, site admins change them. */
@RestController
@RequestMapping("/api/v1/projects/{projectId}/quotas")
public class QuotaController {

    private final ProjectQuotas quotas;

    public QuotaController(ProjectQuotas quotas) {
        this.quotas = quotas;
    }

    @Operation(summary = "Get a project's storage quotas and what it uses", description = "metricKeys and "
            + "artifactBytes (checkpoints and datasets), each with limit, used and source: default "
            + "(trainyard.quotas.*) or project (set by a site admin).")
    @GetMapping
    public QuotaResponse get(Caller caller, @PathVariable long projectId) {
        return quotas.get(caller, projectId);
    }

    @Operation(summary = "Set a project's storage quotas (site admin)", description = "{\"maxMetricKeys\": 5000, "
            + "\"maxArtifactBytes\": 10737418240}; a null or missing limit goes back to the default. Lowering a limit "
            + "below the current use deletes nothing: further writes are refused until the use is under it.")
    @PutMapping
    @RequiresScope(Scope.ADMIN)
    public QuotaResponse put(Caller caller, @PathVariable long projectId, @Valid @RequestBody QuotaRequest request) {
        return quotas.set(caller, projectId, request);
    }
}
