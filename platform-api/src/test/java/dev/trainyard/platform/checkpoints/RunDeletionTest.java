package dev.trainyard.platform.checkpoints;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;

import dev.trainyard.platform.artifacts.ArtifactDeletions;
import dev.trainyard.platform.artifacts.ArtifactKey;
import dev.trainyard.platform.web.Times;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Deleting a run deletes its checkpoints' files, even when the store fails at first; nothing leaks. */
class RunDeletionTest extends CheckpointTesting {

    @Autowired
    ArtifactDeletions deletions;

    @Autowired
    PlatformTransactionManager transactions;

    private TestUser alice;
    private long project;

    @BeforeEach
    void setUp() {
        alice = newUser("alice");
        project = newProject(alice);
    }

    @Test
    void deletingARunDeletesItsCheckpointFiles() {
        long run = newRun(project, alice, null);
        long other = newRun(project, alice, null);
        for (int i = 0; i < 3; i++) {
            uploaded(alice, project, run, "?step=" + i, bytes(5000, i));
        }
        uploaded(alice, project, other, "?step=1", bytes(10, 9));
        assertThat(storedFiles(project, run)).hasSize(3);

        assertThat(api.delete("/api/v1/projects/" + project + "/runs/" + run, alice.token()).status()).isEqualTo(204);
        assertThat(storedFiles(project, run)).isEmpty();
        assertThat(ARTIFACTS_DIR.resolve("projects/" + project + "/runs/" + run)).doesNotExist();
        assertThat(count("SELECT count(*) FROM checkpoints WHERE run_id = ?", run)).isZero();
        assertThat(pendingDeletions(project, run)).isZero();
        // the other run's checkpoint is untouched
        assertThat(storedFiles(project, other)).hasSize(1);
    }

    @Test
    void deleteNowWaitsForASweeperThatHoldsTheRowSoTheRequestReturnsWithNothingPending() throws Exception {
        // a run deleted while the scheduled sweeper is on the same row: the DELETE must not answer before it is done
        long run = newRun(project, alice, null);
        ArtifactKey key = ArtifactKey.of("projects", project, "runs", run, "checkpoints", "swept");
        artifactStore.put(key, new ByteArrayInputStream(new byte[100]), 100);
        long id = new TransactionTemplate(transactions).execute(status -> deletions.schedule(key, "run deleted",
                Times.now()));
        CountDownLatch held = new CountDownLatch(1);
        CompletableFuture<Void> sweeper = CompletableFuture.runAsync(() -> new TransactionTemplate(transactions)
                .executeWithoutResult(status -> {
                    jdbc.sql("SELECT id FROM artifact_deletions WHERE id = ? FOR UPDATE").param(id).query(Long.class)
                            .single();
                    held.countDown();
                    sleep(500);
                    try {
                        artifactStore.delete(key);
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                    jdbc.sql("DELETE FROM artifact_deletions WHERE id = ?").param(id).update();
                }));
        assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();

        deletions.deleteNow(List.of(id));
        // the sweeper sleeps before it deletes: had deleteNow not waited for its commit, the row would be here still
        // (not asserting the future is done: it completes only after the commit released the row, so deleteNow's
        // thread may see the row gone a moment before the sweeper's thread is scheduled to complete it)
        assertThat(pendingDeletions(project, run)).isZero();
        assertThat(artifactStore.exists(key)).isFalse();
        sweeper.get(10, TimeUnit.SECONDS);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aStoreThatFailsTheFirstDeleteIsRetriedBySweeperUntilItConfirms() throws IOException {
        long run = newRun(project, alice, null);
        uploaded(alice, project, run, "?step=1", bytes(5000, 1));
        uploaded(alice, project, run, "?step=2", bytes(5000, 2));
        // the store refuses this run's deletes until it is back: whoever tries first (the request's deleteNow, or
        // the scheduled sweeper if it lists the rows between the commit and deleteNow) fails
        Set<String> failed = ConcurrentHashMap.newKeySet();
        AtomicBoolean storeBack = new AtomicBoolean();
        String prefix = "projects/" + project + "/runs/" + run + "/";
        doAnswer(invocation -> {
            ArtifactKey key = invocation.getArgument(0);
            if (key.path().startsWith(prefix) && !storeBack.get()) {
                failed.add(key.path());
                throw new IOException("injected: the store is unreachable");
            }
            return invocation.callRealMethod();
        }).when(artifactStore).delete(any());

        assertThat(api.delete("/api/v1/projects/" + project + "/runs/" + run, alice.token()).status()).isEqualTo(204);
        // the run is gone, its files are not yet, and the outbox remembers them with the error
        assertProblem(api.get("/api/v1/projects/" + project + "/runs/" + run, alice.token()), 404);
        assertThat(storedFiles(project, run)).hasSize(2);
        assertThat(pendingDeletions(project, run)).isEqualTo(2);
        assertThat(jdbc.sql("SELECT last_error FROM artifact_deletions WHERE storage_key LIKE ?").param(prefix + "%")
                .query(String.class).list()).allSatisfy(e -> assertThat(e).contains("injected"));
        // tried once by the request (twice if the scheduled sweeper came first: then backing off 1 min, not 30 s)
        assertThat(count("SELECT min(attempts) FROM artifact_deletions WHERE storage_key LIKE ?", prefix + "%"))
                .isBetween(1L, 2L);
        assertThat(failed).hasSize(2);

        // not due yet: a sweep now leaves them (they back off 30 s)
        deletions.sweep(Times.now());
        assertThat(pendingDeletions(project, run)).isEqualTo(2);

        // once due, the sweeper's next try succeeds
        storeBack.set(true);
        deletions.sweep(Times.now().plus(Duration.ofMinutes(1)));
        assertThat(storedFiles(project, run)).isEmpty();
        assertThat(pendingDeletions(project, run)).isZero();
    }

    @Test
    void anUploadThatNeverFinishedIsCleanedUpAfterItsDeadline() throws Exception {
        // what a server killed mid-upload leaves: the outbox row written before the first byte, and a file
        long run = newRun(project, alice, null);
        ArtifactKey key = ArtifactKey.of("projects", project, "runs", run, "checkpoints", "abandoned");
        deletions.schedule(key, "upload in progress", Times.now().plus(Duration.ofHours(6)));
        artifactStore.put(key, new ByteArrayInputStream(new byte[100]), 100);

        deletions.sweep(Times.now().plus(Duration.ofHours(1)));
        assertThat(artifactStore.exists(key)).isTrue(); // the upload may still be going
        deletions.sweep(Times.now().plus(Duration.ofHours(7)));
        assertThat(artifactStore.exists(key)).isFalse();
        assertThat(pendingDeletions(project, run)).isZero();
    }
}
