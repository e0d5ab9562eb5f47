package dev.trainyard.platform.checkpoints;

import dev.trainyard.platform.artifacts.ArtifactDownloads;
import dev.trainyard.platform.checkpoints.CheckpointRecords.CheckpointResponse;
import dev.trainyard.platform.web.ApiException;
import dev.trainyard.platform.web.FieldProblem;
import dev.trainyard.platform.web.ItemList;
import dev.trainyard.platform.web.Statuses;
import dev.trainyard.platform.workers.WorkerPaths;
import dev.trainyard.platform.workers.WorkerPrincipal;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A worker uploads the checkpoints of the run attempt it holds, and lists and downloads the run's checkpoints to
 * resume from (worker token). Every route is fenced: X-Run-Attempt must be the run's live attempt on this worker.
 */
@RestController
@RequestMapping(WorkerPaths.PREFIX + "/{workerId}/runs/{runId}/checkpoints")
public class WorkerCheckpointController {

    public static final String ATTEMPT_HEADER = "X-Run-Attempt";

    private final CheckpointService checkpoints;
    private final ArtifactDownloads downloads;

    public WorkerCheckpointController(CheckpointService checkpoints, ArtifactDownloads downloads) {
        this.checkpoints = checkpoints;
        this.downloads = downloads;
    }

    @Operation(summary = "List a leased run's checkpoints (worker token)", description = "Every attempt's "
            + "checkpoints, by step ascending, as GET /api/v1/projects/{projectId}/runs/{runId}/checkpoints lists them: "
            + "what a worker resumes from. 409 unless X-Run-Attempt is the run's live attempt on this worker.")
    @Parameter(name = ATTEMPT_HEADER, in = ParameterIn.HEADER, required = true, description = "the run attempt")
    @Statuses(problems = 409)
    @GetMapping
    public ItemList<CheckpointResponse> list(WorkerPrincipal principal, @PathVariable String workerId,
            @PathVariable long runId, HttpServletRequest request) {
        return ItemList.of(checkpoints.listForWorker(principal, workerId, runId,
                attempt(request.getHeader(ATTEMPT_HEADER))));
    }

    @Operation(summary = "Download a leased run's checkpoint (worker token)", description = "As the project "
            + "download (ETag, X-Checkpoint-Sha256, Range), fenced by X-Run-Attempt (409 unless it is the run's live "
            + "attempt on this worker).")
    @Parameter(name = ATTEMPT_HEADER, in = ParameterIn.HEADER, required = true, description = "the run attempt")
    @Parameter(name = HttpHeaders.RANGE, in = ParameterIn.HEADER, description = "e.g. bytes=0-1023")
    @Statuses(success = {200, 206, 304}, problems = {416, 503})
    @GetMapping("/{checkpointId}/content")
    public void download(WorkerPrincipal principal, @PathVariable String workerId, @PathVariable long runId,
            @PathVariable long checkpointId, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        int attempt = attempt(request.getHeader(ATTEMPT_HEADER));
        downloads.send(CheckpointService.download(checkpoints.findForWorker(principal, workerId, runId, attempt,
                checkpointId)), request, response);
    }

    @Operation(summary = "Upload a checkpoint of a leased run (worker token)", description = "As the project "
            + "endpoint POST /api/v1/projects/{projectId}/runs/{runId}/checkpoints (raw body, step, epoch, "
            + "metric.<name>, filename, X-Checkpoint-Sha256), plus X-Run-Attempt: the attempt the lease gave. 409 "
            + "unless that attempt is the run's live attempt on this worker; the bytes are then not read.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
                    mediaType = MediaType.APPLICATION_OCTET_STREAM_VALUE,
                    schema = @Schema(type = "string", format = "binary"))))
    @Parameter(name = ATTEMPT_HEADER, in = ParameterIn.HEADER, required = true, description = "the run attempt")
    @Parameter(name = UploadRequest.SHA256_HEADER, in = ParameterIn.HEADER, description = "64 hex digits")
    @Parameter(name = "final", in = ParameterIn.QUERY, description = "true for the run's last checkpoint (training "
            + "ended, or the worker is stopping): a worker's periodic checkpoint within trainyard.checkpoints."
            + "min-interval of the run's previous one is 429 with Retry-After, a final one never is")
    @Parameter(name = "step", in = ParameterIn.QUERY, required = true)
    @Statuses(success = {201, 200}, problems = {409, 422, 429, 503})
    @PostMapping(consumes = MediaType.APPLICATION_OCTET_STREAM_VALUE)
    public ResponseEntity<CheckpointResponse> upload(WorkerPrincipal principal, @PathVariable String workerId,
            @PathVariable long runId, HttpServletRequest request) throws IOException {
        int attempt = attempt(request.getHeader(ATTEMPT_HEADER));
        UploadRequest upload = UploadRequest.parse(runId, request.getParameterMap(),
                CheckpointController.digests(request));
        CheckpointService.Uploaded uploaded = checkpoints.upload(new Uploader.Worker(principal, workerId, attempt),
                runId, upload, request.getInputStream(), request.getContentLengthLong());
        return CheckpointController.respond(uploaded);
    }

    /** The X-Run-Attempt header: 400 unless a whole number from 1. */
    public static int attempt(String header) {
        if (header == null) {
            throw ApiException.badRequest(FieldProblem.atParameter(ATTEMPT_HEADER, "a worker names the run "
                    + "attempt its lease gave (the fencing token)", null));
        }
        try {
            int attempt = Integer.parseInt(header.strip());
            if (attempt >= 1) {
                return attempt;
            }
        } catch (NumberFormatException ignored) {
            // below
        }
        throw ApiException.badRequest(FieldProblem.atParameter(ATTEMPT_HEADER, "a run attempt is a whole number "
                + "from 1", header));
    }
}
