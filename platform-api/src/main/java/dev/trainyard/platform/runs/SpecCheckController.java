package dev.trainyard.platform.runs;

import dev.trainyard.platform.auth.Caller;
import dev.trainyard.platform.projects.ProjectAccess;
import dev.trainyard.platform.projects.ProjectRole;
import dev.trainyard.platform.web.ApiException;
import dev.trainyard.platform.web.FieldProblem;
import dev.trainyard.spec.Format;
import dev.trainyard.spec.RunSpecs;
import dev.trainyard.spec.SpecProblem;
import dev.trainyard.spec.SpecValidator;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.constraints.NotNull;
import java.util.List;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checks a run spec without submitting it, with the same validator and the same problem pointers ({@code /spec/...})
 * as a submission: the dashboard's spec editor asks on every pause in typing.
 */
@RestController
@RequestMapping("/api/v1/projects/{projectId}/run-specs")
public class SpecCheckController {

    /** @param spec a run spec as a JSON object, or its YAML (or JSON) text as a string, as in a submission */
    public record SpecCheckRequest(@NotNull JsonNode spec) {}

    /** @param spec the spec with every default written out, as a run stores it */
    public record SpecCheckResponse(JsonNode spec) {}

    private final ProjectAccess access;
    private final JsonMapper json;

    public SpecCheckController(ProjectAccess access, JsonMapper json) {
        this.access = access;
        this.json = json;
    }

    @Operation(summary = "Check a run spec without submitting it", description = "200 with the spec as a run would "
            + "store it (defaults written out), or 400 with every problem at once, each with its pointer under "
            + "/spec, exactly as POST /runs answers. Whether a dataset artifact exists is checked on submission.")
    @PostMapping("/check")
    public SpecCheckResponse check(Caller caller, @PathVariable long projectId,
            @jakarta.validation.Valid @RequestBody SpecCheckRequest request) {
        access.require(caller, projectId, ProjectRole.VIEWER);
        JsonNode submitted = request.spec();
        String text = submitted.isString() ? submitted.stringValue() : json.writeValueAsString(submitted);
        Format format = submitted.isString() ? Format.AUTO : Format.JSON;
        List<SpecProblem> problems = SpecValidator.validate(text, format);
        if (!problems.isEmpty()) {
            List<FieldProblem> errors = problems.stream()
                    .map(p -> FieldProblem.atPointer("/spec" + p.pointer(), p.message(), p.rejectedValue()))
                    .toList();
            FieldProblem first = errors.getFirst();
            String more = errors.size() > 1 ? " (and " + (errors.size() - 1) + " more)" : "";
            throw ApiException.badRequest(first.pointer() + ": " + first.detail() + more, errors);
        }
        return new SpecCheckResponse(json.readTree(RunSpecs.toJson(RunSpecs.parse(text, format))));
    }
}
