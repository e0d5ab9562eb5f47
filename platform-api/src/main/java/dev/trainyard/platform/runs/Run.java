package dev.trainyard.platform.runs;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A training run, which is also its own entry in the work queue (see V1__control_plane.sql). Its parameters, tags
 * and metric summaries live in their own tables ({@link RunDetailsRepository}) so they can be indexed.
 *
 * <p>{@code version} is JPA's optimistic lock: the API's status changes (cancel, retry) and, later, the scheduler's
 * must each bump it, so a cancel racing a claim fails with 409 rather than being lost.
 */
@Entity
@Table(name = "runs")
public class Run {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "project_id", nullable = false, updatable = false)
    private long projectId;

    @Column(name = "experiment_id")
    private Long experimentId;

    @Column(nullable = false, length = 200)
    private String name;

    /** The spec as JSON text; jsonb on PostgreSQL, JSON on H2. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    private String spec;

    @Column(length = 10000)
    private String notes;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    private RunStatus status;

    @Column(nullable = false)
    private int priority;

    @Column(nullable = false)
    private int cpus;

    @Column(nullable = false)
    private int gpus;

    @Column(name = "memory_mb", nullable = false)
    private int memoryMb;

    /** Label requirements on the worker, a JSON object of strings. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false)
    private String labels;

    @Column(nullable = false)
    private int attempt;

    @Column(name = "max_attempts", nullable = false)
    private int maxAttempts;

    @Column(nullable = false)
    private int retries;

    @Column(name = "worker_id", length = 200)
    private String workerId;

    @Column(name = "lease_expires_at")
    private Instant leaseExpiresAt;

    /** Written by the scheduler: a re-queued run is not claimed before this (back-off). */
    @Column(name = "not_before")
    private Instant notBefore;

    /** The attempt number at the last API retry: attempt - attemptBase automatic attempts count against maxAttempts. */
    @Column(name = "attempt_base", nullable = false)
    private int attemptBase;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "queued_at", nullable = false)
    private Instant queuedAt;

    @Column(name = "started_at")
    private Instant startedAt;

    @Column(name = "finished_at")
    private Instant finishedAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    @Column(name = "created_by", nullable = false, updatable = false)
    private long createdBy;

    @Column(name = "cloned_from", updatable = false)
    private Long clonedFrom;

    @Column(name = "idempotency_key", length = 255, updatable = false)
    private String idempotencyKey;

    @Column(name = "idempotency_hash", length = 64, updatable = false)
    private String idempotencyHash;

    @Version
    private long version;

    protected Run() {}

    Run(long projectId, Long experimentId, String name, String spec, String notes, int priority, int cpus, int gpus,
            int memoryMb, String labels, int maxAttempts, long createdBy, Long clonedFrom, String idempotencyKey,
            String idempotencyHash, Instant now) {
        this.projectId = projectId;
        this.experimentId = experimentId;
        this.name = name;
        this.spec = spec;
        this.notes = notes;
        this.status = RunStatus.QUEUED;
        this.priority = priority;
        this.cpus = cpus;
        this.gpus = gpus;
        this.memoryMb = memoryMb;
        this.labels = labels;
        this.maxAttempts = maxAttempts;
        this.createdBy = createdBy;
        this.clonedFrom = clonedFrom;
        this.idempotencyKey = idempotencyKey;
        this.idempotencyHash = idempotencyHash;
        this.createdAt = now;
        this.queuedAt = now;
        this.updatedAt = now;
    }

    /** Cancels a queued or running run; the worker of a running one loses its lease. */
    void cancel(Instant now) {
        status = RunStatus.CANCELLED;
        finishedAt = now;
        leaseExpiresAt = null;
        workerId = null;
        updatedAt = now;
    }

    /** Back to the queue, behind the runs already waiting at the same priority; the next claim is a new attempt. */
    void retry(Instant now) {
        status = RunStatus.QUEUED;
        retries++;
        attemptBase = attempt;
        notBefore = null;
        queuedAt = now;
        startedAt = null;
        finishedAt = null;
        leaseExpiresAt = null;
        workerId = null;
        updatedAt = now;
    }

    public Long getId() {
        return id;
    }

    public long getProjectId() {
        return projectId;
    }

    public Long getExperimentId() {
        return experimentId;
    }

    public String getName() {
        return name;
    }

    public String getSpec() {
        return spec;
    }

    public String getNotes() {
        return notes;
    }

    public RunStatus getStatus() {
        return status;
    }

    public int getPriority() {
        return priority;
    }

    public int getCpus() {
        return cpus;
    }

    public int getGpus() {
        return gpus;
    }

    public int getMemoryMb() {
        return memoryMb;
    }

    public String getLabels() {
        return labels;
    }

    public int getAttempt() {
        return attempt;
    }

    public int getMaxAttempts() {
        return maxAttempts;
    }

    public int getRetries() {
        return retries;
    }

    public String getWorkerId() {
        return workerId;
    }

    public Instant getLeaseExpiresAt() {
        return leaseExpiresAt;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getQueuedAt() {
        return queuedAt;
    }

    public Instant getStartedAt() {
        return startedAt;
    }

    public Instant getFinishedAt() {
        return finishedAt;
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }

    public long getCreatedBy() {
        return createdBy;
    }

    public Long getClonedFrom() {
        return clonedFrom;
    }

    public String getIdempotencyKey() {
        return idempotencyKey;
    }

    public String getIdempotencyHash() {
        return idempotencyHash;
    }
}
