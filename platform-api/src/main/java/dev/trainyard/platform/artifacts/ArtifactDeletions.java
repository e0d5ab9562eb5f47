package dev.trainyard.platform.artifacts;

import dev.trainyard.platform.web.Times;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The outbox of artifact deletions (table {@code artifact_deletions}): the way to delete an artifact so that it is
 * deleted even if the store fails, or the server stops, at the worst moment.
 *
 * <p>{@link #schedule} writes a row in the caller's transaction, the one that drops the artifact's last reference,
 * so the row exists exactly when the reference is gone. After that transaction commits, {@link #deleteNow} tries the
 * store at once; whatever fails stays in the table with a later {@code not_before}, and {@link #sweep} (every
 * {@code trainyard.artifacts.sweep-interval}) tries it again, backing off from 30 seconds to an hour, until the store
 * confirms. A row is handled under {@code FOR UPDATE SKIP LOCKED}, so several API servers can sweep the same table.
 */
@Service
public class ArtifactDeletions {

    static final int BATCH = 100;
    private static final Logger log = LoggerFactory.getLogger(ArtifactDeletions.class);

    private final JdbcClient jdbc;
    private final ArtifactStore store;
    private final TransactionTemplate own;

    public ArtifactDeletions(JdbcClient jdbc, ArtifactStore store, PlatformTransactionManager transactions) {
        this.jdbc = jdbc;
        this.store = store;
        // its own transaction, also when called from a transaction's afterCommit
        this.own = new TransactionTemplate(transactions);
        this.own.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /** Records that {@code key} is to be deleted from {@code notBefore} on; joins the caller's transaction. */
    public long schedule(ArtifactKey key, String reason, Instant notBefore) {
        KeyHolder id = new GeneratedKeyHolder();
        jdbc.sql("INSERT INTO artifact_deletions (storage_key, reason, created_at, not_before) VALUES (?, ?, ?, ?)")
                .params(key.path(), truncate(reason, 200), at(Times.now()), at(notBefore))
                .update(id, "id");
        return id.getKeyAs(Long.class);
    }

    /** Removes a scheduled deletion (an upload that completed); false if gone. Joins the caller's transaction. */
    public boolean cancel(long id) {
        return jdbc.sql("DELETE FROM artifact_deletions WHERE id = ?").param(id).update() == 1;
    }

    /**
     * Tries these deletions now, whatever their {@code not_before}; failures stay for the sweeper. A row a sweeper
     * holds is waited for, so that on return each of them is either deleted or back in the table with its error.
     */
    public void deleteNow(Collection<Long> ids) {
        for (long id : ids) {
            attempt(id, Times.now(), true);
        }
    }

    /**
     * Tries these deletions once the caller's transaction has committed (their rows and the references' removal
     * exist only then); a failure is logged naming {@code what}, and the sweeper retries it.
     */
    public void deleteAfterCommit(List<Long> ids, String what) {
        if (ids.isEmpty()) {
            return;
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                try {
                    deleteNow(ids);
                } catch (RuntimeException e) {
                    log.warn("deleting {} failed; the sweeper will retry", what, e);
                }
            }
        });
    }

    @Scheduled(initialDelayString = "${trainyard.artifacts.sweep-interval:1m}",
            fixedDelayString = "${trainyard.artifacts.sweep-interval:1m}")
    void scheduledSweep() {
        try {
            int done = sweep(Times.now());
            if (done > 0) {
                log.info("deleted {} artifacts from the {}", done, store.describe());
            }
        } catch (RuntimeException e) {
            log.warn("artifact sweep failed; next one in trainyard.artifacts.sweep-interval", e);
        }
    }

    /** Tries every deletion due at {@code now}, in batches; returns how many the store confirmed. */
    public int sweep(Instant now) {
        int done = 0;
        long after = 0;
        while (true) {
            List<Long> due = jdbc.sql("SELECT id FROM artifact_deletions WHERE not_before <= ? AND id > ? ORDER BY id "
                    + "LIMIT " + BATCH).params(at(now), after).query(Long.class).list();
            for (long id : due) {
                if (attempt(id, now, false)) {
                    done++;
                }
            }
            if (due.size() < BATCH) {
                return done;
            }
            after = due.getLast();
        }
    }

    /** How many deletions are waiting (due or not). */
    public long pending() {
        return jdbc.sql("SELECT count(*) FROM artifact_deletions").query(Long.class).single();
    }

    private record Row(long id, String storageKey, int attempts) {}

    /**
     * Deletes one artifact and then its row; on failure pushes the row back. True if the store confirmed. A row
     * another transaction holds is waited for if {@code wait}, else skipped.
     */
    private boolean attempt(long id, Instant now, boolean wait) {
        Boolean deleted = own.execute(status -> {
            Row row = jdbc.sql("SELECT id, storage_key, attempts FROM artifact_deletions WHERE id = ? "
                    + (wait ? "FOR UPDATE" : "FOR UPDATE SKIP LOCKED")).param(id).query(Row.class).optional()
                    .orElse(null);
            if (row == null) {
                return false; // done already, or (when not waiting) another sweeper holds it
            }
            try {
                store.delete(new ArtifactKey(row.storageKey()));
            } catch (Exception e) {
                Duration backoff = backoff(row.attempts());
                log.warn("could not delete artifact {} from the {} (attempt {}); retrying in {}: {}", row.storageKey(),
                        store.describe(), row.attempts() + 1, backoff, e.toString());
                jdbc.sql("UPDATE artifact_deletions SET attempts = attempts + 1, not_before = ?, last_error = ? "
                        + "WHERE id = ?").params(at(now.plus(backoff)), truncate(e.toString(), 2000), id).update();
                return false;
            }
            jdbc.sql("DELETE FROM artifact_deletions WHERE id = ?").param(id).update();
            return true;
        });
        return Boolean.TRUE.equals(deleted);
    }

    /** 30 s, 1 min, 2 min, ... at most an hour. */
    static Duration backoff(int attempts) {
        Duration d = Duration.ofSeconds(30L << Math.min(attempts, 7));
        return d.compareTo(Duration.ofHours(1)) > 0 ? Duration.ofHours(1) : d;
    }

    private static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
