package dev.trainyard.platform.projects;

import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;

public interface ProjectRepository extends JpaRepository<Project, Long> {

    boolean existsByCreatedByAndName(long createdBy, String name);

    /** Locks the project row: member changes take it so that two of them cannot remove the last admin together. */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select p from Project p where p.id = :id")
    Optional<Project> lockById(long id);

    /** The user's projects, each as {Project, ProjectRole}, oldest first. */
    @Query("""
            select p, m.role from Project p join ProjectMember m on m.id.projectId = p.id
            where m.id.userId = :userId order by p.id""")
    List<Object[]> findMine(long userId);
}
