package dev.trainyard.platform.experiments;

import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;

public interface ExperimentRepository extends JpaRepository<Experiment, Long> {

    List<Experiment> findByProjectIdOrderById(long projectId);

    Optional<Experiment> findByIdAndProjectId(long id, long projectId);

    boolean existsByProjectIdAndName(long projectId, String name);

    /** The experiment, its row locked until commit: two deletions of it go one after the other. */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    @Query("select e from Experiment e where e.id = :id and e.projectId = :projectId")
    Optional<Experiment> lockByIdAndProjectId(long id, long projectId);
}
