package dev.trainyard.platform.datasets;

import dev.trainyard.platform.artifacts.ArtifactDownloads;
import dev.trainyard.platform.checkpoints.WorkerCheckpointController;
import dev.trainyard.platform.web.Statuses;
import dev.trainyard.platform.workers.WorkerPaths;
import dev.trainyard.platform.workers.WorkerPrincipal;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** A worker downloads the dataset its run's spec names (worker token, fenced by the run attempt). */
@RestController
public class WorkerDatasetController {

    private final DatasetService datasets;
    private final ArtifactDownloads downloads;

    public WorkerDatasetController(DatasetService datasets, ArtifactDownloads downloads) {
        this.datasets = datasets;
        this.downloads = downloads;
    }

    @Operation(summary = "Download the dataset of a leased run (worker token)", description = "As the project "
            + "download (ETag, X-Content-Sha256, Range). 409 unless X-Run-Attempt is the run's live attempt on this "
            + "worker; 404 unless {sha256} is the dataset the run's spec names (dataset.artifact).")
    @Parameter(name = WorkerCheckpointController.ATTEMPT_HEADER, in = ParameterIn.HEADER, required = true,
            description = "the run attempt")
    @Parameter(name = HttpHeaders.RANGE, in = ParameterIn.HEADER, description = "e.g. bytes=0-1023")
    @Statuses(success = {200, 206, 304}, problems = {409, 416, 503})
    @GetMapping(WorkerPaths.PREFIX + "/{workerId}/runs/{runId}/datasets/{sha256}/content")
    public void download(WorkerPrincipal principal, @PathVariable String workerId, @PathVariable long runId,
            @PathVariable String sha256, HttpServletRequest request, HttpServletResponse response) throws IOException {
        int attempt = WorkerCheckpointController.attempt(request.getHeader(WorkerCheckpointController.ATTEMPT_HEADER));
        downloads.send(DatasetService.download(datasets.findForWorker(principal, workerId, runId, attempt, sha256)),
                request, response);
    }
}
