package dev.trainyard.platform.datasets;

import dev.trainyard.platform.artifacts.ArtifactDeletions;
import dev.trainyard.platform.artifacts.ArtifactKey;
import dev.trainyard.platform.projects.ProjectDeleting;
import dev.trainyard.platform.web.Times;
import java.time.Instant;
import java.util.List;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * A project is being deleted (in its transaction): its datasets' artifacts are scheduled for deletion through the
 * outbox in that transaction, the rows deleted (locked first, so a concurrent upload or run submission naming one
 * waits), and the store tried once the transaction has committed.
 */
@Component
class ProjectDatasetsDeletion {

    private final JdbcClient jdbc;
    private final ArtifactDeletions deletions;

    ProjectDatasetsDeletion(JdbcClient jdbc, ArtifactDeletions deletions) {
        this.jdbc = jdbc;
        this.deletions = deletions;
    }

    @EventListener
    void onProjectDeleting(ProjectDeleting event) {
        List<String> keys = jdbc.sql("SELECT storage_key FROM datasets WHERE project_id = :p ORDER BY id FOR UPDATE")
                .param("p", event.projectId()).query(String.class).list();
        Instant now = Times.now();
        List<Long> ids = keys.stream()
                .map(key -> deletions.schedule(new ArtifactKey(key), "project " + event.projectId() + " deleted", now))
                .toList();
        jdbc.sql("DELETE FROM datasets WHERE project_id = :p").param("p", event.projectId()).update();
        deletions.deleteAfterCommit(ids, "project " + event.projectId() + "'s datasets");
    }
}
