package dev.trainyard.platform.runs;

import dev.trainyard.platform.auth.Caller;
import dev.trainyard.platform.projects.ProjectAccess;
import dev.trainyard.platform.projects.ProjectRole;
import dev.trainyard.platform.web.ItemList;
import dev.trainyard.platform.web.KeySearch;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The param names of a project's runs, for column pickers and filter builders. */
@RestController
@RequestMapping("/api/v1/projects/{projectId}")
public class ParamKeyController {

    private final ParamKeys keys;
    private final ProjectAccess access;

    public ParamKeyController(ParamKeys keys, ProjectAccess access) {
        this.keys = keys;
        this.access = access;
    }

    @Operation(summary = "The project's param keys", description = "The distinct param names of the project's runs "
            + "(such as optimizer.lr), in order; q keeps those containing it (ignoring case); limit (1 to 1000, "
            + "default 100) and cursor (nextCursor of the previous page) page.")
    @GetMapping("/params/keys")
    public ItemList<String> keys(Caller caller, @PathVariable long projectId,
            @Parameter(description = "text the name contains, ignoring case") @RequestParam(required = false) String q,
            @RequestParam(required = false) Integer limit, @RequestParam(required = false) String cursor) {
        KeySearch search = KeySearch.of(q, limit, cursor);
        access.require(caller, projectId, ProjectRole.VIEWER);
        return search.page(keys.list(projectId, search.containsPattern(), search.cursor(), search.limit() + 1));
    }
}
