package dev.trainyard.platform.experiments;

import java.util.List;
import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;

public interface ExperimentRepository extends JpaRepository<Experiment, Long> {

    List<Experiment> findByProjectIdOrderById(long projectId);

    Optional<Experiment> findByIdAndProjectId(long id, long projectId);

    boolean existsByProjectIdAndName(long projectId, String name);
}
