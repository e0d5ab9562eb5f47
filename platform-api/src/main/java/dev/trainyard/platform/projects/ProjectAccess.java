package dev.trainyard.platform.projects;

import dev.trainyard.platform.auth.Caller;
import dev.trainyard.platform.web.ApiException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The one place project roles are checked; every feature that reads or writes inside a project calls
 * {@link #require}. Someone who is not a member gets 404, exactly as for a project that does not exist, so
 * project ids tell outsiders nothing; a member whose role is too low gets 403.
 */
@Service
public class ProjectAccess {

    private final ProjectMemberRepository members;

    public ProjectAccess(ProjectMemberRepository members) {
        this.members = members;
    }

    /** Returns the caller's role in the project, which is at least {@code needed}. */
    @Transactional(readOnly = true)
    public ProjectRole require(Caller caller, long projectId, ProjectRole needed) {
        ProjectRole role = members.findById(new ProjectMember.Key(projectId, caller.userId()))
                .map(ProjectMember::getRole)
                .orElseThrow(() -> notFound(projectId));
        if (!role.includes(needed)) {
            throw ApiException.forbidden("your role in project " + projectId + " is " + role.wireName()
                    + "; this needs " + needed.wireName());
        }
        return role;
    }

    public static ApiException notFound(long projectId) {
        return ApiException.notFound("no project " + projectId + " (or you are not one of its members)");
    }
}
