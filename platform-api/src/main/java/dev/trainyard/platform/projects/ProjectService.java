package dev.trainyard.platform.projects;

import dev.trainyard.platform.auth.Caller;
import dev.trainyard.platform.auth.User;
import dev.trainyard.platform.auth.UserRepository;
import dev.trainyard.platform.projects.ProjectRecords.AddMemberRequest;
import dev.trainyard.platform.projects.ProjectRecords.CreateProjectRequest;
import dev.trainyard.platform.projects.ProjectRecords.MemberResponse;
import dev.trainyard.platform.projects.ProjectRecords.ProjectResponse;
import dev.trainyard.platform.runs.RunActivity;
import dev.trainyard.platform.runs.RunActivity.Activity;
import dev.trainyard.platform.runs.RunPurge;
import dev.trainyard.platform.web.ApiException;
import dev.trainyard.platform.web.FieldProblem;
import dev.trainyard.platform.web.Times;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
public class ProjectService {

    private final ProjectRepository projects;
    private final ProjectMemberRepository members;
    private final UserRepository users;
    private final ProjectAccess access;
    private final RunActivity activity;
    private final RunPurge purge;
    private final ApplicationEventPublisher events;

    public ProjectService(ProjectRepository projects, ProjectMemberRepository members, UserRepository users,
            ProjectAccess access, RunActivity activity, RunPurge purge, ApplicationEventPublisher events) {
        this.projects = projects;
        this.members = members;
        this.users = users;
        this.access = access;
        this.activity = activity;
        this.purge = purge;
        this.events = events;
    }

    /** Creates a project; its creator becomes its first admin. */
    @Transactional
    public ProjectResponse create(Caller caller, CreateProjectRequest request) {
        if (projects.existsByCreatedByAndName(caller.userId(), request.name())) {
            throw ApiException.conflict("you already created a project named '" + request.name() + "'");
        }
        Project project = projects.saveAndFlush(
                new Project(request.name(), request.description(), caller.userId(), Times.now()));
        members.save(new ProjectMember(project.getId(), caller.userId(), ProjectRole.ADMIN, Times.now()));
        return view(project, ProjectRole.ADMIN, Activity.none());
    }

    @Transactional(readOnly = true)
    public List<ProjectResponse> listMine(Caller caller) {
        List<Object[]> rows = projects.findMine(caller.userId());
        Map<Long, Activity> byProject = activity.byProject(rows.stream().map(row -> ((Project) row[0]).getId()).toList());
        return rows.stream()
                .map(row -> {
                    Project p = (Project) row[0];
                    return view(p, (ProjectRole) row[1], byProject.getOrDefault(p.getId(), Activity.none()));
                })
                .toList();
    }

    @Transactional(readOnly = true)
    public ProjectResponse get(Caller caller, long projectId) {
        ProjectRole role = access.require(caller, projectId, ProjectRole.VIEWER);
        return view(projects.findById(projectId).orElseThrow(() -> ProjectAccess.notFound(projectId)), role,
                activity.byProject(List.of(projectId)).getOrDefault(projectId, Activity.none()));
    }

    @Transactional(readOnly = true)
    public List<MemberResponse> members(Caller caller, long projectId) {
        access.require(caller, projectId, ProjectRole.VIEWER);
        List<ProjectMember> list = members.findByProject(projectId);
        Map<Long, User> byId = users.findAllById(list.stream().map(ProjectMember::getUserId).toList()).stream()
                .collect(Collectors.toMap(User::getId, Function.identity()));
        return list.stream().map(m -> view(m, byId.get(m.getUserId()))).toList();
    }

    @Transactional
    public MemberResponse addMember(Caller caller, long projectId, AddMemberRequest request) {
        access.require(caller, projectId, ProjectRole.ADMIN);
        projects.lockById(projectId);
        User user = users.findByUsername(request.username()).orElseThrow(() -> ApiException.badRequest(
                FieldProblem.atPointer("/username", "no user named '" + request.username() + "'",
                        request.username())));
        var key = new ProjectMember.Key(projectId, user.getId());
        if (members.existsById(key)) {
            throw ApiException.conflict(user.getUsername() + " is already a member of project " + projectId
                    + "; change their role with PUT .../members/" + user.getId());
        }
        return view(members.save(new ProjectMember(projectId, user.getId(), request.role(), Times.now())), user);
    }

    @Transactional
    public MemberResponse changeRole(Caller caller, long projectId, long userId, ProjectRole role) {
        access.require(caller, projectId, ProjectRole.ADMIN);
        projects.lockById(projectId);
        ProjectMember member = member(projectId, userId);
        if (member.getRole() == ProjectRole.ADMIN && role != ProjectRole.ADMIN) {
            requireAnotherAdmin(projectId);
        }
        member.setRole(role);
        return view(member, users.findById(userId).orElseThrow());
    }

    @Transactional
    public void removeMember(Caller caller, long projectId, long userId) {
        access.require(caller, projectId, ProjectRole.ADMIN);
        projects.lockById(projectId);
        ProjectMember member = member(projectId, userId);
        if (member.getRole() == ProjectRole.ADMIN) {
            requireAnotherAdmin(projectId);
        }
        members.delete(member);
    }

    /**
     * Deletes the project with everything in it: its runs (cancelled first if active) with their metrics, logs and
     * checkpoints, its experiments, datasets and members. Its admins (and site admins) may, naming it in
     * {@code confirm}. Artifacts go through the deletion outbox.
     */
    @Transactional
    public void delete(Caller caller, long projectId, String confirm) {
        if (!caller.siteAdmin()) {
            access.require(caller, projectId, ProjectRole.ADMIN);
        }
        Project project = projects.lockById(projectId).orElseThrow(() -> ProjectAccess.notFound(projectId));
        if (!project.getName().equals(confirm)) {
            throw ApiException.badRequest(FieldProblem.atParameter("confirm", "must be the project's name, '"
                    + project.getName() + "', to confirm deleting it with all its experiments, runs and datasets",
                    confirm));
        }
        purge.purge(projectId, null, caller.username());
        events.publishEvent(new ProjectDeleting(projectId));
        projects.delete(project);
        projects.flush();
    }

    private ProjectMember member(long projectId, long userId) {
        return members.findById(new ProjectMember.Key(projectId, userId))
                .orElseThrow(() -> ApiException.notFound("user " + userId + " is not a member of project " + projectId));
    }

    private void requireAnotherAdmin(long projectId) {
        if (members.countByRole(projectId, ProjectRole.ADMIN) <= 1) {
            throw ApiException.conflict("project " + projectId + " would have no admin left; make someone else "
                    + "admin first");
        }
    }

    private static ProjectResponse view(Project p, ProjectRole role, Activity activity) {
        return new ProjectResponse(p.getId(), p.getName(), p.getDescription(), p.getCreatedAt(), role,
                activity.counts(), activity.lastActivity(p.getCreatedAt()));
    }

    private static MemberResponse view(ProjectMember m, User u) {
        return new MemberResponse(m.getUserId(), u == null ? null : u.getUsername(), m.getRole(), m.getAddedAt());
    }
}
