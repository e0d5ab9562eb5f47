package dev.trainyard.platform.runs;

import java.util.Optional;
import org.springframework.data.jpa.repository.JpaRepository;

public interface RunRepository extends JpaRepository<Run, Long> {

    Optional<Run> findByIdAndProjectId(long id, long projectId);

    Optional<Run> findByProjectIdAndIdempotencyKey(long projectId, String idempotencyKey);
}
