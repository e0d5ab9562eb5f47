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
 * <p>Its status is never changed through JPA: every transition is the scheduler's {@code RunLifecycle}, in SQL that
 * bumps {@code version}, JPA's optimistic lock, so a JPA write of a run read before a transition fails instead of
 * undoing it.
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

    Run(NewRun n, Instant now) {
        this.projectId = n.projectId();
        this.experimentId = n.experimentId();
        this.name = n.name();
        this.spec = n.spec();
        this.notes = n.notes();
        this.status = RunStatus.QUEUED;
        this.priority = n.priority();
        this.cpus = n.demand().cpus();
        this.gpus = n.demand().gpus();
        this.memoryMb = n.demand().memoryMb();
        this.labels = n.demand().labelsJson();
        this.maxAttempts = n.maxAttempts();
        this.createdBy = n.createdBy();
        this.clonedFrom = n.clonedFrom();
        this.idempotencyKey = n.idempotency() == null ? null : n.idempotency().key();
        this.idempotencyHash = n.idempotency() == null ? null : n.idempotency().hash();
        this.createdAt = now;
        this.queuedAt = now;
        this.updatedAt = now;
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
