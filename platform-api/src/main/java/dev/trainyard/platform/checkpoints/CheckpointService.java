package dev.trainyard.platform.checkpoints;

import dev.trainyard.platform.artifacts.ArtifactDeletions;
import dev.trainyard.platform.artifacts.ArtifactDownloads;
import dev.trainyard.platform.artifacts.ArtifactKey;
import dev.trainyard.platform.artifacts.ArtifactUploads;
import dev.trainyard.platform.artifacts.ArtifactStoreProperties;
import dev.trainyard.platform.auth.Caller;
import dev.trainyard.platform.checkpoints.CheckpointRecords.CheckpointResponse;
import dev.trainyard.platform.checkpoints.CheckpointRecords.KeepBest;
import dev.trainyard.platform.checkpoints.CheckpointRecords.RetentionResponse;
import dev.trainyard.platform.checkpoints.CheckpointRecords.RetentionSettings;
import dev.trainyard.platform.checkpoints.CheckpointRecords.RunRetentionResponse;
import dev.trainyard.platform.checkpoints.CheckpointRepository.Checkpoint;
import dev.trainyard.platform.checkpoints.CheckpointRepository.RunRow;
import dev.trainyard.platform.experiments.ExperimentRepository;
import dev.trainyard.platform.projects.ProjectAccess;
import dev.trainyard.platform.projects.ProjectQuotas;
import dev.trainyard.platform.projects.ProjectRole;
import dev.trainyard.platform.runs.RunDeleting;
import dev.trainyard.platform.scheduling.LeaseGuard;
import dev.trainyard.platform.web.ApiException;
import dev.trainyard.platform.web.FieldProblem;
import dev.trainyard.platform.web.Times;
import dev.trainyard.platform.workers.WorkerPrincipal;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Uploading, listing, downloading and deleting a run's checkpoints, and the retention that prunes them.
 *
 * <p>An upload streams: the request body goes through a SHA-256 digest straight into the {@link ArtifactStore}, in
 * 64 KiB buffers, under a key the server makes up ({@code projects/<p>/runs/<r>/checkpoints/<uuid>}). Before the
 * first byte is written an outbox row ({@link ArtifactDeletions}) is recorded for that key, due at the upload's
 * deadline; the transaction that records the checkpoint removes it. So an upload that fails in any way (bad digest,
 * client gone, store down, server killed) leaves a row that deletes its bytes, and an upload that succeeds leaves
 * a checkpoint row and nothing else. The same outbox carries the deletions of pruned, replaced and deleted
 * checkpoints and of deleted runs' checkpoints, each written in the transaction that drops the reference.
 *
 * <p>Uploads into a run, and the run's deletion, lock the run row, so they take turns: retention sees every
 * checkpoint, and a run's deletion sees every checkpoint an upload committed.
 */
@Service
public class CheckpointService {

    private static final Logger log = LoggerFactory.getLogger(CheckpointService.class);

    private static final ArtifactUploads.Kind KIND = new ArtifactUploads.Kind("the checkpoint",
            "trainyard.checkpoints.max-size", UploadRequest.SHA256_HEADER);

    private final CheckpointRepository checkpoints;
    private final ExperimentRepository experiments;
    private final ArtifactUploads uploads;
    private final ArtifactDeletions deletions;
    private final ProjectAccess access;
    private final LeaseGuard leases;
    private final ArtifactStoreProperties artifacts;
    private final EffectiveRetention retention;
    private final ProjectQuotas quotas;
    private final CheckpointProperties properties;
    private final TransactionTemplate tx;
    private final TransactionTemplate readTx;

    CheckpointService(CheckpointRepository checkpoints, ExperimentRepository experiments, ArtifactUploads uploads,
            ArtifactDeletions deletions, ProjectAccess access, LeaseGuard leases, ArtifactStoreProperties artifacts,
            EffectiveRetention retention, CheckpointProperties properties, ProjectQuotas quotas,
            PlatformTransactionManager transactions) {
        this.checkpoints = checkpoints;
        this.experiments = experiments;
        this.uploads = uploads;
        this.deletions = deletions;
        this.access = access;
        this.leases = leases;
        this.artifacts = artifacts;
        this.retention = retention;
        this.quotas = quotas;
        this.properties = properties;
        this.tx = new TransactionTemplate(transactions);
        this.readTx = new TransactionTemplate(transactions);
        this.readTx.setReadOnly(true);
    }

    /** The checkpoint, and whether this upload created it (false: the same bytes were already stored for its step). */
    public record Uploaded(CheckpointResponse checkpoint, boolean created) {}

    private record Committed(Checkpoint checkpoint, boolean created, List<Long> toDelete) {}

    /**
     * Streams {@code body} to the store and records it as a checkpoint of the run, after checking the uploader (see
     * {@link Uploader}) and the body's SHA-256.
     */
    Uploaded upload(Uploader uploader, long runId, UploadRequest request, InputStream body, long contentLength) {
        RunRow run = switch (uploader) {
            case Uploader.Person person -> {
                access.require(person.caller(), person.projectId(), ProjectRole.EDITOR);
                if (person.fence() == null) {
                    yield readTx.execute(status -> findRun(person.projectId(), runId));
                }
                yield tx.execute(status -> {
                    RunRow found = findRun(person.projectId(), runId);
                    leases.check(runId, person.fence().workerId(), person.fence().attempt());
                    return found;
                });
            }
            case Uploader.Worker worker -> tx.execute(status -> {
                // early, so a stale worker's bytes are not even read; checked again under the lock
                leases.check(worker.principal(), worker.workerId(), runId, worker.attempt());
                return checkpoints.findRun(runId).orElseThrow(() -> ApiException.notFound("no run " + runId));
            });
        };
        if (uploader.fenced()) {
            readTx.executeWithoutResult(status -> checkInterval(runId, request, Times.now())); // before the bytes
        }
        long projectId = run.projectId();
        ArtifactKey key = ArtifactKey.of("projects", projectId, "runs", runId, "checkpoints",
                UUID.randomUUID().toString().replace("-", ""));
        ArtifactUploads.Staged staged = uploads.stage(KIND, key, "upload of run " + runId + " step " + request.step(),
                body, contentLength, request.sha256());
        long intent = staged.intent();
        long size = staged.size();
        String actual = staged.sha256();
        Committed committed;
        try {
            committed = tx.execute(status -> commit(uploader, projectId, runId, request, key, intent, size, actual));
        } catch (RuntimeException e) {
            deletions.deleteNow(List.of(intent));
            throw e;
        }
        deletions.deleteNow(committed.toDelete());
        return new Uploaded(view(committed.checkpoint()), committed.created());
    }

    private Committed commit(Uploader uploader, long projectId, long runId, UploadRequest request, ArtifactKey key,
            long intent, long size, String sha256) {
        RunRow run = checkpoints.lockRun(runId).orElseThrow(() -> ApiException.notFound(
                "run " + runId + " was deleted during the upload; nothing was stored"));
        Integer attempt = null;
        Long userId = null;
        switch (uploader) {
            case Uploader.Person person -> {
                userId = person.caller().userId();
                if (person.fence() != null) {
                    leases.check(runId, person.fence().workerId(), person.fence().attempt());
                    attempt = person.fence().attempt();
                }
            }
            case Uploader.Worker worker -> {
                leases.check(runId, worker.workerId(), worker.attempt());
                attempt = worker.attempt();
            }
        }
        Instant now = Times.now();
        List<Long> toDelete = new ArrayList<>();
        Checkpoint same = checkpoints.findByStep(runId, request.step()).orElse(null);
        if (same != null && same.sha256().equals(sha256)) {
            toDelete.add(intent); // a retry of an upload that went through: keep the first, drop these bytes
            return new Committed(same, false, toDelete);
        }
        if (attempt != null) {
            checkInterval(runId, request, now);
        }
        if (same != null) {
            checkpoints.delete(same.id());
            toDelete.add(deletions.schedule(new ArtifactKey(same.storageKey()), "checkpoint " + same.id()
                    + " replaced by a new upload for step " + request.step(), now));
        }
        if (!deletions.cancel(intent)) {
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "the upload took longer than "
                    + "trainyard.artifacts.upload-deadline (" + artifacts.uploadDeadline() + ") and its bytes were "
                    + "given up; nothing was stored", List.of());
        }
        long id = checkpoints.insert(runId, projectId, request.step(), request.epoch(), size, sha256, key.path(),
                request.filename(), attempt, userId, now, request.metrics());
        toDelete.addAll(applyRetention(run, now));
        quotas.requireArtifactRoom(projectId, size, "checkpoint step " + request.step() + " of run " + runId);
        return new Committed(checkpoints.find(runId, id).orElseThrow(), true, toDelete);
    }

    /**
     * The guard on checkpoint frequency, for a worker's uploads (or a script's writing for a worker): a periodic
     * checkpoint within {@code trainyard.checkpoints.min-interval} of the run's previous one is refused (429); a
     * final one, and a retry of a step already stored, never are.
     */
    private void checkInterval(long runId, UploadRequest request, Instant now) {
        Duration min = properties.minInterval();
        if (request.finalCheckpoint() || min.isZero() || min.isNegative()) {
            return;
        }
        if (checkpoints.findByStep(runId, request.step()).isPresent()) {
            return;
        }
        Instant last = checkpoints.lastStoredAt(runId).orElse(null);
        if (last != null) {
            Duration since = Duration.between(last, now);
            if (since.compareTo(min) < 0) {
                throw new CheckpointTooSoonException(runId, request.step(), min, since.isNegative() ? Duration.ZERO
                        : since);
            }
        }
    }

    /** Prunes the run's checkpoints by its retention ({@link EffectiveRetention}); returns the deletions to try. */
    private List<Long> applyRetention(RunRow run, Instant now) {
        EffectiveRetention.Effective effective = retention.of(run);
        if (effective.policy() == null) {
            return List.of();
        }
        List<Checkpoint> all = checkpoints.list(run.id());
        Set<Long> prune = effective.policy().prune(all.stream()
                .map(c -> new RetentionPolicy.Candidate(c.id(), c.metrics())).toList(), protectedIds(run, all));
        String by = switch (effective.source()) {
            case RUN -> "the run's spec";
            case EXPERIMENT -> "experiment " + run.experimentId() + "'s retention";
            case PLATFORM -> "the platform's default retention";
        };
        List<Long> toDelete = new ArrayList<>();
        for (Checkpoint c : all) {
            if (prune.contains(c.id())) {
                checkpoints.delete(c.id());
                toDelete.add(deletions.schedule(new ArtifactKey(c.storageKey()), "checkpoint " + c.id() + " (step "
                        + c.step() + ") pruned by " + by, now));
            }
        }
        if (!toDelete.isEmpty()) {
            log.debug("{} pruned {} checkpoints of run {}", by, toDelete.size(), run.id());
        }
        return toDelete;
    }

    /**
     * What retention never deletes: the latest checkpoint (highest step), and the one the run's current attempt
     * resumed from, which is the highest step stored before that attempt began (by earlier attempts or people).
     */
    static Set<Long> protectedIds(RunRow run, List<Checkpoint> byStep) {
        Set<Long> keep = new HashSet<>();
        if (!byStep.isEmpty()) {
            keep.add(byStep.getLast().id());
        }
        for (int i = byStep.size() - 1; i >= 0; i--) {
            Checkpoint c = byStep.get(i);
            if (c.attempt() == null || c.attempt() < run.attempt()) {
                keep.add(c.id());
                break;
            }
        }
        return keep;
    }

    /** The retention that applies to the run, and where it comes from. */
    public RunRetentionResponse runRetention(Caller caller, long projectId, long runId) {
        access.require(caller, projectId, ProjectRole.VIEWER);
        return readTx.execute(status -> {
            RunRow run = findRun(projectId, runId);
            EffectiveRetention.Effective e = retention.of(run);
            RetentionPolicy p = e.policy();
            return new RunRetentionResponse(runId, p == null ? null : p.keepLast(), keepBest(p),
                    e.source().wireName(), properties.minInterval().toMillis() / 1000.0);
        });
    }

    private static KeepBest keepBest(RetentionPolicy p) {
        return p == null || p.bestMetric() == null ? null : new KeepBest(p.bestMetric(), p.bestMode());
    }

    public List<CheckpointResponse> list(Caller caller, long projectId, long runId) {
        access.require(caller, projectId, ProjectRole.VIEWER);
        return readTx.execute(status -> {
            findRun(projectId, runId);
            return checkpoints.list(runId).stream().map(CheckpointService::view).toList();
        });
    }

    /** The run's checkpoints (every attempt's), by step, for the worker holding its live attempt (409 otherwise). */
    List<CheckpointResponse> listForWorker(WorkerPrincipal principal, String workerId, long runId, int attempt) {
        return tx.execute(status -> {
            leases.check(principal, workerId, runId, attempt);
            return checkpoints.list(runId).stream().map(CheckpointService::view).toList();
        });
    }

    /** One checkpoint of the run, for the worker holding its live attempt, to resume from. */
    Checkpoint findForWorker(WorkerPrincipal principal, String workerId, long runId, int attempt, long checkpointId) {
        return tx.execute(status -> {
            leases.check(principal, workerId, runId, attempt);
            return checkpoints.find(runId, checkpointId).orElseThrow(() -> ApiException.notFound(
                    "no checkpoint " + checkpointId + " in run " + runId));
        });
    }

    public CheckpointResponse get(Caller caller, long projectId, long runId, String selector, String metric,
            String mode) {
        return view(resolve(caller, projectId, runId, selector, metric, mode));
    }

    /**
     * The checkpoint a path names: its id, {@code latest} (the highest step) or {@code best} (by {@code metric} and
     * {@code mode}, which default to the run's experiment's retention settings).
     */
    Checkpoint resolve(Caller caller, long projectId, long runId, String selector, String metric, String mode) {
        access.require(caller, projectId, ProjectRole.VIEWER);
        return readTx.execute(status -> {
            RunRow run = findRun(projectId, runId);
            return switch (selector) {
                case "latest" -> checkpoints.latest(runId).orElseThrow(() -> ApiException.notFound(
                        "run " + runId + " has no checkpoints"));
                case "best" -> best(run, metric, mode);
                default -> checkpoints.find(runId, id(selector)).orElseThrow(() -> ApiException.notFound(
                        "no checkpoint " + selector + " in run " + runId));
            };
        });
    }

    private Checkpoint best(RunRow run, String metric, String mode) {
        KeepBest fallback = keepBest(retention.of(run).policy());
        String name = metric != null ? metric : fallback != null ? fallback.metric() : null;
        if (name == null) {
            throw ApiException.badRequest(FieldProblem.atParameter("metric", "which metric decides the best "
                    + "checkpoint? give metric (and mode=min|max), or set the experiment's checkpoint retention",
                    null));
        }
        BestMode bestMode;
        try {
            bestMode = mode != null ? BestMode.fromWire(mode) : fallback != null && name.equals(fallback.metric())
                    ? fallback.mode() : null;
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(FieldProblem.atParameter("mode", "must be min or max", mode));
        }
        if (bestMode == null) {
            throw ApiException.badRequest(FieldProblem.atParameter("mode", "is the best " + name + " the lowest "
                    + "(mode=min) or the highest (mode=max)?", null));
        }
        Checkpoint best = null;
        for (Checkpoint c : checkpoints.list(run.id())) {
            Double v = c.metrics().get(name);
            if (v != null && !v.isNaN() && (best == null || !bestMode.better(best.metrics().get(name), v))) {
                best = c; // ties go to the later step
            }
        }
        if (best == null) {
            throw ApiException.notFound("no checkpoint of run " + run.id() + " reported " + name);
        }
        return best;
    }

    private static long id(String selector) {
        try {
            return Long.parseLong(selector);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(FieldProblem.atParameter("checkpoint", "a checkpoint id, latest or best",
                    selector));
        }
    }

    /** Deletes one checkpoint and, through the outbox, its artifact. */
    public void delete(Caller caller, long projectId, long runId, long checkpointId) {
        access.require(caller, projectId, ProjectRole.EDITOR);
        Long deletion = tx.execute(status -> {
            lockRun(projectId, runId);
            Checkpoint c = checkpoints.find(runId, checkpointId).orElseThrow(() -> ApiException.notFound(
                    "no checkpoint " + checkpointId + " in run " + runId));
            checkpoints.delete(c.id());
            return deletions.schedule(new ArtifactKey(c.storageKey()), "checkpoint " + c.id() + " deleted",
                    Times.now());
        });
        deletions.deleteNow(List.of(deletion));
    }

    /**
     * A run is being deleted (in its transaction): schedule the deletion of its checkpoints' artifacts in the same
     * transaction, and try them once it has committed. Locking the run first waits for an upload that is committing.
     */
    @EventListener
    void onRunDeleting(RunDeleting event) {
        checkpoints.lockRun(event.runId());
        Instant now = Times.now();
        List<Long> ids = checkpoints.storageKeys(event.runId()).stream()
                .map(key -> deletions.schedule(new ArtifactKey(key), "run " + event.runId() + " deleted", now))
                .toList();
        deletions.deleteAfterCommit(ids, "run " + event.runId() + "'s artifacts");
    }

    /** The experiment's own retention, or (source platform) the default its runs get without one. */
    public RetentionResponse retention(Caller caller, long projectId, long experimentId) {
        access.require(caller, projectId, ProjectRole.VIEWER);
        return readTx.execute(status -> {
            requireExperiment(projectId, experimentId);
            return checkpoints.retention(experimentId).map(r -> view(experimentId, r)).orElseGet(() -> {
                RetentionPolicy p = retention.ofExperiment(null).policy();
                return new RetentionResponse(experimentId, p == null ? null : p.keepLast(), keepBest(p), null,
                        EffectiveRetention.Source.PLATFORM.wireName());
            });
        });
    }

    public RetentionResponse setRetention(Caller caller, long projectId, long experimentId, RetentionSettings s) {
        access.require(caller, projectId, ProjectRole.EDITOR);
        RetentionPolicy policy = new RetentionPolicy(s.keepLast(),
                s.keepBest() == null ? null : s.keepBest().metric(), s.keepBest() == null ? null : s.keepBest().mode());
        return tx.execute(status -> {
            requireExperiment(projectId, experimentId);
            checkpoints.saveRetention(experimentId, policy, Times.now());
            return view(experimentId, checkpoints.retention(experimentId).orElseThrow());
        });
    }

    public void deleteRetention(Caller caller, long projectId, long experimentId) {
        access.require(caller, projectId, ProjectRole.EDITOR);
        tx.executeWithoutResult(status -> {
            requireExperiment(projectId, experimentId);
            checkpoints.deleteRetention(experimentId);
        });
    }

    private void requireExperiment(long projectId, long experimentId) {
        if (experiments.findByIdAndProjectId(experimentId, projectId).isEmpty()) {
            throw ApiException.notFound("no experiment " + experimentId + " in project " + projectId);
        }
    }

    private static RetentionResponse view(long experimentId, CheckpointRepository.Retention r) {
        return new RetentionResponse(experimentId, r.policy().keepLast(), keepBest(r.policy()), r.updatedAt(),
                EffectiveRetention.Source.EXPERIMENT.wireName());
    }

    private RunRow findRun(long projectId, long runId) {
        return checkpoints.findRun(runId).filter(r -> r.projectId() == projectId)
                .orElseThrow(() -> runNotFound(projectId, runId));
    }

    private RunRow lockRun(long projectId, long runId) {
        return checkpoints.lockRun(runId).filter(r -> r.projectId() == projectId)
                .orElseThrow(() -> runNotFound(projectId, runId));
    }

    private static ApiException runNotFound(long projectId, long runId) {
        return ApiException.notFound("no run " + runId + " in project " + projectId);
    }

    static ArtifactDownloads.Download download(Checkpoint c) {
        return new ArtifactDownloads.Download("checkpoint " + c.id() + " of run " + c.runId(),
                new ArtifactKey(c.storageKey()), c.sizeBytes(), c.sha256(), downloadName(c.runId(), c.step()),
                UploadRequest.SHA256_HEADER);
    }

    /**
     * What a download is called, whatever the uploader named the file: the run and the step, so that the checkpoints
     * of two runs saved into one directory never take each other's name.
     */
    static String downloadName(long runId, long step) {
        return "run-" + runId + "-step-" + step + ".ckpt";
    }

    static CheckpointResponse view(Checkpoint c) {
        return new CheckpointResponse(c.id(), c.runId(), c.step(), c.epoch(), c.metrics(), c.sizeBytes(), c.sha256(),
                c.filename(), c.attempt(), c.uploadedBy(), c.createdAt(), "/api/v1/projects/" + c.projectId()
                + "/runs/" + c.runId() + "/checkpoints/" + c.id() + "/content");
    }
}
