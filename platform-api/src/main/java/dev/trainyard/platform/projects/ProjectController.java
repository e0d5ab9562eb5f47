package dev.trainyard.platform.projects;

import dev.trainyard.platform.auth.Caller;
import dev.trainyard.platform.auth.RequiresScope;
import dev.trainyard.platform.auth.Scope;
import dev.trainyard.platform.projects.ProjectRecords.AddMemberRequest;
import dev.trainyard.platform.projects.ProjectRecords.ChangeRoleRequest;
import dev.trainyard.platform.projects.ProjectRecords.CreateProjectRequest;
import dev.trainyard.platform.projects.ProjectRecords.MemberResponse;
import dev.trainyard.platform.projects.ProjectRecords.ProjectResponse;
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
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Projects and their members. Managing members needs the project's admin role and an admin-scope token. */
@RestController
@RequestMapping("/api/v1/projects")
public class ProjectController {

    private final ProjectService projects;

    public ProjectController(ProjectService projects) {
        this.projects = projects;
    }

    @PostMapping
    public ResponseEntity<ProjectResponse> create(Caller caller, @Valid @RequestBody CreateProjectRequest request) {
        ProjectResponse created = projects.create(caller, request);
        return ResponseEntity.created(URI.create("/api/v1/projects/" + created.id())).body(created);
    }

    /** The projects the caller is a member of. */
    @GetMapping
    public ItemList<ProjectResponse> listMine(Caller caller) {
        return ItemList.of(projects.listMine(caller));
    }

    @GetMapping("/{projectId}")
    public ProjectResponse get(Caller caller, @PathVariable long projectId) {
        return projects.get(caller, projectId);
    }

    @Operation(summary = "Delete a project with everything in it (project admin)", description = "confirm must be "
            + "the project's name. QUEUED and RUNNING runs are cancelled first; runs, metrics, logs, checkpoints, "
            + "experiments, datasets and members are deleted (artifacts through the deletion outbox). 204.")
    @DeleteMapping("/{projectId}")
    public ResponseEntity<Void> delete(Caller caller, @PathVariable long projectId,
            @Parameter(description = "the project's name") @RequestParam(required = false) String confirm) {
        projects.delete(caller, projectId, confirm);
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/{projectId}/members")
    public ItemList<MemberResponse> members(Caller caller, @PathVariable long projectId) {
        return ItemList.of(projects.members(caller, projectId));
    }

    @PostMapping("/{projectId}/members")
    @RequiresScope(Scope.ADMIN)
    public ResponseEntity<MemberResponse> addMember(Caller caller, @PathVariable long projectId,
            @Valid @RequestBody AddMemberRequest request) {
        MemberResponse added = projects.addMember(caller, projectId, request);
        return ResponseEntity.created(URI.create("/api/v1/projects/" + projectId + "/members/" + added.userId()))
                .body(added);
    }

    @PutMapping("/{projectId}/members/{userId}")
    @RequiresScope(Scope.ADMIN)
    public MemberResponse changeRole(Caller caller, @PathVariable long projectId, @PathVariable long userId,
            @Valid @RequestBody ChangeRoleRequest request) {
        return projects.changeRole(caller, projectId, userId, request.role());
    }

    @DeleteMapping("/{projectId}/members/{userId}")
    @RequiresScope(Scope.ADMIN)
    public ResponseEntity<Void> removeMember(Caller caller, @PathVariable long projectId, @PathVariable long userId) {
        projects.removeMember(caller, projectId, userId);
        return ResponseEntity.noContent().build();
    }
}
