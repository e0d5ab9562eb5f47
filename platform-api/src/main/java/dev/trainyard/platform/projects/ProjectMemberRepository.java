package dev.trainyard.platform.projects;

import java.util.List;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;

public interface ProjectMemberRepository extends JpaRepository<ProjectMember, ProjectMember.Key> {

    @Query("select m from ProjectMember m where m.id.projectId = :projectId order by m.addedAt, m.id.userId")
    List<ProjectMember> findByProject(long projectId);

    @Query("select count(m) from ProjectMember m where m.id.projectId = :projectId and m.role = :role")
    long countByRole(long projectId, ProjectRole role);
}
