package dev.trainyard.platform.datasets;

import dev.trainyard.platform.artifacts.ArtifactDownloads;
import dev.trainyard.platform.auth.Caller;
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
@RequestMapping("/api/v1/projects/{projectId}/datasets")
public class DatasetController {

    private final DatasetService datasets;
    private final ArtifactDownloads downloads;

    public DatasetController(DatasetService datasets, ArtifactDownloads downloads) {
        this.datasets = datasets;
        this.downloads = downloads;
    }

    @Operation(summary = "Upload a dataset", description = "The body is the file itself (application/octet-stream: a "
            + "csv file, or a zip of the four IDX files for fashion-mnist/mnist), streamed to the artifact store. "
            + "Content-addressed: run specs name it by the digest in the answer (dataset: {artifact: "
            + "\"sha256:<hex>\"}); 201 for new bytes, 200 with the existing dataset when the project has these bytes "
            + "already. An optional X-Content-Sha256 (hex) is checked: a mismatch is 422 and nothing is stored.",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
                    mediaType = MediaType.APPLICATION_OCTET_STREAM_VALUE,
                    schema = @Schema(type = "string", format = "binary"))))
    @Parameter(name = "name", in = ParameterIn.QUERY, required = true, description = "a display name")
    @Parameter(name = DatasetService.SHA256_HEADER, in = ParameterIn.HEADER, description = "64 hex digits")
    @Statuses(success = {201, 200}, problems = {409, 422, 503})
    @PostMapping(consumes = MediaType.APPLICATION_OCTET_STREAM_VALUE)
    public ResponseEntity<DatasetResponse> upload(Caller caller, @PathVariable long projectId,
            HttpServletRequest request) throws IOException {
        DatasetService.Uploaded uploaded = datasets.upload(caller, projectId, request.getParameter("name"),
                request.getHeader(DatasetService.SHA256_HEADER), request.getInputStream(),
                request.getContentLengthLong());
        DatasetResponse d = uploaded.dataset();
        URI location = URI.create("/api/v1/projects/" + projectId + "/datasets/" + d.sha256());
        var response = uploaded.created() ? ResponseEntity.created(location)
                : ResponseEntity.status(HttpStatus.OK).location(location);
        return response.eTag("\"" + d.sha256() + "\"").body(d);
    }

    @Operation(summary = "List a project's datasets", description = "Newest first.")
    @GetMapping
    public ItemList<DatasetResponse> list(Caller caller, @PathVariable long projectId) {
        return ItemList.of(datasets.list(caller, projectId));
    }

    @Operation(summary = "Get a dataset", description = "{sha256}: 64 hex digits (or sha256:<hex>).")
    @GetMapping("/{sha256}")
    public DatasetResponse get(Caller caller, @PathVariable long projectId, @PathVariable String sha256) {
        return datasets.get(caller, projectId, sha256);
    }

    @Operation(summary = "Download a dataset", description = "Range requests (206), ETag (the SHA-256) with "
            + "If-None-Match (304) and If-Range, as checkpoint downloads.")
    @Parameter(name = HttpHeaders.RANGE, in = ParameterIn.HEADER, description = "e.g. bytes=0-1023")
    @Statuses(success = {200, 206, 304}, problems = {416, 503})
    @GetMapping("/{sha256}/content")
    public void download(Caller caller, @PathVariable long projectId, @PathVariable String sha256,
            HttpServletRequest request, HttpServletResponse response) throws IOException {
        downloads.send(DatasetService.download(datasets.find(caller, projectId, sha256)), request, response);
    }

    @Operation(summary = "Delete a dataset and its file", description = "Editors and admins. 409, naming the runs, "
            + "while queued or running runs name it in their spec: cancel them or wait until they finish. Runs that "
            + "ended may name it; retrying one of them is then a 409 until the same file is uploaded again.")
    @Statuses(success = 204, problems = 409)
    @DeleteMapping("/{sha256}")
    public ResponseEntity<Void> delete(Caller caller, @PathVariable long projectId, @PathVariable String sha256) {
        datasets.delete(caller, projectId, sha256);
        return ResponseEntity.noContent().build();
    }
}
