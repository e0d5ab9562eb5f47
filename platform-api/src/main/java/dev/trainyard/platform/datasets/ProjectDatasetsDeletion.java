package dev.trainyard.platform.datasets;

import dev.trainyard.platform.artifacts.ArtifactDeletions;
import dev.trainyard.platform.artifacts.ArtifactKey;
import dev.trainyard.platform.projects.ProjectDeleting;
import dev.trainyard.platform.web.Times;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * A project is being deleted (in its transaction): its datasets' artifacts are scheduled for deletion through the
 * outbox in that transaction, the rows deleted (locked first, so a concurrent upload or run submission naming one
 * waits), and the store tried once the transaction has committed.
 */
@Component
class ProjectDatasetsDeletion {

    private static final Logger log = LoggerFactory.getLogger(ProjectDatasetsDeletion.class);

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
        if (ids.isEmpty()) {
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                try {
                    deletions.deleteNow(ids);
                } catch (RuntimeException e) {
                    log.warn("deleting project {}'s datasets failed; the sweeper will retry", event.projectId(), e);
                }
            }
        });
    }
}
