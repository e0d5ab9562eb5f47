package dev.trainyard.platform.checkpoints;

import dev.trainyard.platform.artifacts.ArtifactDownloads;
import dev.trainyard.platform.auth.Caller;
import dev.trainyard.platform.checkpoints.CheckpointRecords.CheckpointResponse;
import dev.trainyard.platform.scheduling.LeaseGuard;
import dev.trainyard.platform.web.ApiException;
import dev.trainyard.platform.web.FieldProblem;
import dev.trainyard.platform.web.ItemList;
import dev.trainyard.platform.web.Statuses;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/projects/{projectId}/runs/{runId}/checkpoints")
public class CheckpointController {

    private final CheckpointService checkpoints;
    private final ArtifactDownloads downloads;

    public CheckpointController(CheckpointService checkpoints, ArtifactDownloads downloads) {
        this.checkpoints = checkpoints;
        this.downloads = downloads;
    }

    @Operation(summary = "Upload a checkpoint", description = "The body is the checkpoint file itself "
            + "(application/octet-stream, with a Content-Length or chunked), streamed to the artifact store, never "
            + "held in memory. Query: step (required), epoch, metric.<name>=<number> (repeatable), filename. The "
            + "body's SHA-256 must be declared in X-Checkpoint-Sha256 (hex), Digest: sha-256=<base64> or "
            + "Content-Digest: sha-256=:<base64>:; a mismatch is 422 and nothing is stored. 201 with Location; a "
            + "repeat of the same bytes for the same step answers 200 with the first (Idempotent-Replayed: true), "
            + "different bytes for a stored step replace it. Afterwards the run's retention prunes its checkpoints "
            + "(GET .../runs/{runId}/checkpoint-retention); beyond the project's artifact quota the upload is 413 and "
            + "stores nothing. Fencing is the same on every project write endpoint (checkpoints, metrics, logs): a write "
            + "for a worker names X-Worker-Id and X-Run-Attempt (both or neither; one alone is 400) and is refused "
            + "with 409 unless that attempt holds the run; workers themselves use /api/v1/workers/{workerId}/runs/"
            + "{runId}/checkpoints with X-Run-Attempt.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
                    mediaType = MediaType.APPLICATION_OCTET_STREAM_VALUE,
                    schema = @Schema(type = "string", format = "binary"))))
    @Parameter(name = "step", in = ParameterIn.QUERY, required = true, description = "the optimizer step")
    @Parameter(name = "epoch", in = ParameterIn.QUERY)
    @Parameter(name = "metric.<name>", in = ParameterIn.QUERY, description = "repeatable, e.g. metric.test_acc=0.91")
    @Parameter(name = "final", in = ParameterIn.QUERY, description = "true for the run's last checkpoint (training "
            + "ended, or the worker is stopping): a worker's periodic checkpoint within trainyard.checkpoints."
            + "min-interval of the run's previous one is 429 with Retry-After, a final one never is")
    @Parameter(name = "filename", in = ParameterIn.QUERY, description = "what you call the file, kept for "
            + "reference; downloads are always named run-<runId>-step-<step>.ckpt")
    @Parameter(name = UploadRequest.SHA256_HEADER, in = ParameterIn.HEADER, description = "64 hex digits")
    @Parameter(name = LeaseGuard.ATTEMPT_HEADER, in = ParameterIn.HEADER, description = "a worker's run attempt; "
            + "with X-Worker-Id (both or neither, as for metrics and logs) the upload is refused with 409 unless that "
            + "attempt holds the run, and the checkpoint records the attempt")
    @Parameter(name = LeaseGuard.WORKER_HEADER, in = ParameterIn.HEADER)
    @Statuses(success = {201, 200}, problems = {409, 422, 503})
    @PostMapping(consumes = MediaType.APPLICATION_OCTET_STREAM_VALUE)
    public ResponseEntity<CheckpointResponse> upload(Caller caller, @PathVariable long projectId,
            @PathVariable long runId, HttpServletRequest request) throws IOException {
        Uploader.Fence fence = fence(request.getHeader(LeaseGuard.WORKER_HEADER),
                request.getHeader(LeaseGuard.ATTEMPT_HEADER));
        UploadRequest upload = UploadRequest.parse(runId, request.getParameterMap(), digests(request));
        return respond(checkpoints.upload(new Uploader.Person(caller, projectId, fence), runId, upload,
                request.getInputStream(), request.getContentLengthLong()));
    }

    /** X-Worker-Id and X-Run-Attempt, both or neither, as the metric and log endpoints take them. */
    private static Uploader.Fence fence(String workerId, String attempt) {
        if (workerId == null && attempt == null) {
            return null;
        }
        if (workerId == null || attempt == null) {
            String missing = attempt == null ? LeaseGuard.ATTEMPT_HEADER : LeaseGuard.WORKER_HEADER;
            throw ApiException.badRequest(FieldProblem.atParameter(missing, "a worker's write names both "
                    + LeaseGuard.ATTEMPT_HEADER + " and " + LeaseGuard.WORKER_HEADER + "; this one lacks " + missing,
                    null));
        }
        return new Uploader.Fence(workerId, WorkerCheckpointController.attempt(attempt));
    }

    static UploadRequest.Digests digests(HttpServletRequest request) {
        return new UploadRequest.Digests(request.getHeader(UploadRequest.SHA256_HEADER), request.getHeader("Digest"),
                request.getHeader("Content-Digest"), request.getHeader("Repr-Digest"));
    }

    /** 201 with Location (the checkpoint's place under its project), or 200 for a replay; the ETag either way. */
    static ResponseEntity<CheckpointResponse> respond(CheckpointService.Uploaded uploaded) {
        CheckpointResponse c = uploaded.checkpoint();
        URI location = URI.create(c.content().substring(0, c.content().length() - "/content".length()));
        var response = uploaded.created() ? ResponseEntity.created(location)
                : ResponseEntity.status(HttpStatus.OK).location(location).header("Idempotent-Replayed", "true");
        return response.eTag("\"" + c.sha256() + "\"").body(c);
    }

    @Operation(summary = "List a run's checkpoints", description = "By step, with their metrics, sizes and digests.")
    @GetMapping
    public ItemList<CheckpointResponse> list(Caller caller, @PathVariable long projectId, @PathVariable long runId) {
        return ItemList.of(checkpoints.list(caller, projectId, runId));
    }

    @Operation(summary = "Get a checkpoint", description = "{checkpoint} is an id, latest (highest step) or best "
            + "(by metric and mode, which default to the experiment's retention settings).")
    @GetMapping("/{checkpoint}")
    public CheckpointResponse get(Caller caller, @PathVariable long projectId, @PathVariable long runId,
            @PathVariable String checkpoint, @RequestParam(required = false) String metric,
            @RequestParam(required = false) String mode) {
        return checkpoints.get(caller, projectId, runId, checkpoint, metric, mode);
    }

    @Operation(summary = "Download a checkpoint", description = "{checkpoint} as for GET. Range requests (206, "
            + "several ranges as multipart/byteranges; 416 when unsatisfiable), ETag (the SHA-256) with "
            + "If-None-Match (304) and If-Range, Content-Disposition: attachment; filename=\"run-<runId>-step-<step>"
            + ".ckpt\". Overlapping ranges are coalesced; ranges adding up to more than the file get the whole file "
            + "(200).")
    @Parameter(name = HttpHeaders.RANGE, in = ParameterIn.HEADER, description = "e.g. bytes=0-1023")
    @Parameter(name = HttpHeaders.IF_NONE_MATCH, in = ParameterIn.HEADER, description = "the ETag of a copy you have")
    @Statuses(success = {200, 206, 304}, problems = {416, 503})
    @GetMapping("/{checkpoint}/content")
    public void download(Caller caller, @PathVariable long projectId, @PathVariable long runId,
            @PathVariable String checkpoint, @RequestParam(required = false) String metric,
            @RequestParam(required = false) String mode, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        downloads.send(CheckpointService.download(checkpoints.resolve(caller, projectId, runId, checkpoint, metric, mode)),
                request, response);
    }

    @Operation(summary = "Delete a checkpoint and its file")
    @Statuses(success = 204, problems = 409)
    @DeleteMapping("/{checkpointId}")
    public ResponseEntity<Void> delete(Caller caller, @PathVariable long projectId, @PathVariable long runId,
            @PathVariable long checkpointId) {
        checkpoints.delete(caller, projectId, runId, checkpointId);
        return ResponseEntity.noContent().build();
    }
}
