package dev.trainyard.platform.scheduling;

import dev.trainyard.platform.runs.RunRecords.Resources;
import dev.trainyard.platform.runs.RunStatus;
import dev.trainyard.platform.scheduling.QueueRepository.AttemptRow;
import dev.trainyard.platform.scheduling.SchedulingRecords.HeartbeatRequest;
import dev.trainyard.platform.scheduling.SchedulingRecords.HeartbeatResponse;
import dev.trainyard.platform.scheduling.SchedulingRecords.LeaseRequest;
import dev.trainyard.platform.scheduling.SchedulingRecords.LeaseResponse;
import dev.trainyard.platform.scheduling.SchedulingRecords.LeasedRun;
import dev.trainyard.platform.scheduling.SchedulingRecords.ReportedStatus;
import dev.trainyard.platform.scheduling.SchedulingRecords.RunAttempt;
import dev.trainyard.platform.scheduling.SchedulingRecords.RunStateResponse;
import dev.trainyard.platform.scheduling.SchedulingRecords.StatusReport;
import dev.trainyard.platform.scheduling.SchedulingRecords.StopOrder;
import dev.trainyard.platform.scheduling.SchedulingRecords.StopReason;
import dev.trainyard.platform.web.ApiException;
import dev.trainyard.platform.web.Times;
import dev.trainyard.platform.workers.WorkerPrincipal;
import dev.trainyard.platform.workers.WorkerRepository.Capacity;
import dev.trainyard.platform.workers.WorkerRepository.WorkerRow;
import dev.trainyard.platform.workers.WorkerRepository;
import dev.trainyard.platform.workers.WorkerService;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Where leases are granted, renewed and given back: a worker's lease request (long-polling up to 30 s), its
 * heartbeats, and its status reports. Each claim is its own short transaction; a waiting request holds no
 * connection, only a place in {@link QueueSignal}.
 */
@Service
public class LeaseService {

    private static final int MAX_LIMIT_RETRIES = 8;

    private final QueueRepository queue;
    private final WorkerRepository workers;
    private final WorkerService workerService;
    private final QueueSignal signal;
    private final SchedulingProperties settings;
    private final JsonMapper json;
    private final TransactionTemplate tx;
    private final MeterRegistry meters;
    private final RunLifecycle lifecycle;
    /** How long claiming a run takes (the database's part of a lease, without the long poll's waiting). */
    private final Timer leaseLatency;

    LeaseService(QueueRepository queue, WorkerRepository workers, WorkerService workerService,
            QueueSignal signal, SchedulingProperties settings, JsonMapper json,
            PlatformTransactionManager transactions, MeterRegistry meters, RunLifecycle lifecycle) {
        this.lifecycle = lifecycle;
        this.queue = queue;
        this.workers = workers;
        this.workerService = workerService;
        this.signal = signal;
        this.settings = settings;
        this.json = json;
        this.tx = new TransactionTemplate(transactions);
        this.leaseLatency = Timer.builder("trainyard.scheduler.lease.latency")
                .description("Time to claim a run for a worker").publishPercentileHistogram().register(meters);
        this.meters = meters;
    }

    /** Thrown inside a claim's transaction to roll it back: the run's project is at its limit. */
    private static final class ProjectAtLimit extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final long projectId;

        ProjectAtLimit(long projectId) {
            super(null, null);
            this.projectId = projectId;
        }
    }

    /**
     * Claims up to {@code maxRuns} runs that fit the worker; when there are none, waits up to {@code waitSeconds}
     * for one (woken by NOTIFY on PostgreSQL, polling otherwise) and answers with an empty list if none came.
     */
    public LeaseResponse lease(WorkerPrincipal principal, String workerId, LeaseRequest request) {
        int maxRuns = request == null || request.maxRuns() == null ? 1 : request.maxRuns();
        Duration wait = request == null || request.waitSeconds() == null ? Duration.ZERO
                : Duration.ofSeconds(request.waitSeconds());
        if (wait.compareTo(SchedulingProperties.MAX_WAIT) > 0) {
            wait = SchedulingProperties.MAX_WAIT;
        }
        long deadline = System.nanoTime() + wait.toNanos();
        List<LeasedRun> leased = new ArrayList<>();
        while (true) {
            long seen = signal.generation();
            while (leased.size() < maxRuns) {
                long claimStart = System.nanoTime();
                LeasedRun run = claimOne(principal, workerId);
                if (run == null) {
                    break;
                }
                leaseLatency.record(System.nanoTime() - claimStart, TimeUnit.NANOSECONDS);
                leased.add(run);
            }
            long left = deadline - System.nanoTime();
            if (!leased.isEmpty() || left <= 0) {
                break;
            }
            Duration poll = signal.pollInterval(settings);
            try {
                signal.await(seen, Duration.ofNanos(Math.min(left, poll.toNanos())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        meters.counter("trainyard.scheduler.leases").increment(leased.size());
        return new LeaseResponse(leased, (int) settings.leaseDuration().toSeconds(),
                (int) settings.heartbeatInterval().toSeconds());
    }

    private LeasedRun claimOne(WorkerPrincipal principal, String workerId) {
        Set<Long> full = new HashSet<>();
        for (int i = 0; i < MAX_LIMIT_RETRIES; i++) {
            try {
                Claimed claimed = queue.exclusive(() -> tx.execute(status -> claimInTx(principal, workerId, full)));
                return claimed == null ? null : leased(claimed);
            } catch (ProjectAtLimit e) {
                full.add(e.projectId); // another claim took the project's last slot first; try the next project
            }
        }
        return null;
    }

    /**
     * One claim: lock the worker (404/410 unless this token's live worker), sum what it holds, claim, and for a
     * project with a limit, count under the limit row's lock.
     */
    private Claimed claimInTx(WorkerPrincipal principal, String workerId, Set<Long> fullProjects) {
        Instant now = Times.now();
        WorkerRow worker = WorkerService.requireOwned(principal, workerId, workers.lockAndTouch(workerId, now));
        Capacity free = workers.capacity(worker);
        Predicate<String> labelsMatch = queue.dialect().matchesLabelsInSql() ? null
                : offered(labels(worker.labels()));
        Claimed claimed = queue.claim(worker.id(), free, worker.labels(), labelsMatch, fullProjects, now,
                now.plus(settings.leaseDuration()));
        if (claimed != null && claimed.limited() && !queue.withinLimit(claimed.projectId())) {
            throw new ProjectAtLimit(claimed.projectId());
        }
        if (claimed != null) {
            lifecycle.claimed(claimed, now);
        }
        return claimed;
    }

    private Predicate<String> offered(Map<String, String> offered) {
        return runLabels -> offered.entrySet().containsAll(labels(runLabels).entrySet());
    }

    private LeasedRun leased(Claimed c) {
        return new LeasedRun(c.runId(), c.projectId(), c.experimentId(), c.name(), c.attempt(), c.maxAttempts(),
                jsonObject(c.spec()), new Resources(c.cpus(), c.gpus(), c.memoryMb(), labels(c.labels())),
                c.gpuIndices(), c.leaseExpiresAt());
    }

    /**
     * Renews the leases of the run attempts the worker lists and says which of them to stop: cancelled ones (the
     * worker then reports CANCELLED), ones whose lease was lost to another attempt, finished or deleted ones.
     */
    public HeartbeatResponse heartbeat(WorkerPrincipal principal, String workerId, HeartbeatRequest request) {
        List<RunAttempt> listed = request == null || request.runs() == null ? List.of()
                : request.runs().stream().distinct().toList();
        return tx.execute(status -> {
            Instant now = Times.now();
            WorkerService.requireOwned(principal, workerId, workers.lockAndTouch(workerId, now));
            Instant expires = now.plus(settings.leaseDuration());
            List<RunAttempt> renewed = new ArrayList<>();
            List<StopOrder> stop = new ArrayList<>();
            for (RunAttempt run : listed) {
                if (lifecycle.renew(run, workerId, expires)) {
                    renewed.add(run);
                } else {
                    stop.add(stopOrder(workerId, run.runId(), run.attempt()));
                }
            }
            return new HeartbeatResponse(expires, (int) settings.heartbeatInterval().toSeconds(), renewed, stop);
        });
    }

    private StopOrder stopOrder(String workerId, long runId, int attempt) {
        Optional<RunState> found = queue.state(runId);
        if (found.isEmpty()) {
            return new StopOrder(runId, attempt, StopReason.NOT_FOUND, "run " + runId + " was deleted");
        }
        RunState run = found.get();
        StopReason reason = run.attempt() != attempt ? StopReason.LEASE_LOST
                : switch (run.status()) {
                    case CANCELLED -> StopReason.CANCELLED;
                    case SUCCEEDED, FAILED -> StopReason.FINISHED;
                    case QUEUED, RUNNING -> StopReason.LEASE_LOST;
                };
        return new StopOrder(runId, attempt, reason, Fencing.refused(workerId, runId, attempt, run));
    }

    /** The outcome of a report's transaction: the run's state, or the 409 to answer once it has committed. */
    private record Reported(RunState state, String conflict) {}

    /**
     * A worker's report on one of its run attempts. For the live attempt: RUNNING renews the lease; SUCCEEDED and
     * CANCELLED end the run; FAILED re-queues it with back-off while the round has attempts left and the failure is
     * retryable, else fails it. Repeating a report is harmless. Anything else is 409: the attempt is not live any
     * more (lost lease, cancelled, finished). A report that the attempt ended always frees what it held on the
     * worker, even when it is refused, because the worker has stopped using those devices.
     */
    public RunStateResponse report(WorkerPrincipal principal, String workerId, long runId, StatusReport report) {
        workerService.requireOwned(principal, workerId);
        Reported result = tx.execute(status -> reportInTx(workerId, runId, report));
        if (result.state() == null) {
            throw ApiException.notFound("no run " + runId);
        }
        if (result.conflict() != null) {
            throw ApiException.conflict(result.conflict());
        }
        RunState s = result.state();
        return new RunStateResponse(s.id(), s.attempt(), s.status(), s.leaseExpiresAt(), s.notBefore(),
                s.finishedAt());
    }

    private Reported reportInTx(String workerId, long runId, StatusReport report) {
        Instant now = Times.now();
        int attempt = report.attempt();
        RunAttempt reported = new RunAttempt(runId, attempt);
        Optional<RunState> locked = queue.lock(runId);
        if (locked.isEmpty()) {
            return new Reported(null, null);
        }
        RunState run = locked.get();
        Optional<AttemptRow> row = queue.attempt(runId, attempt);
        if (row.isEmpty() || !workerId.equals(row.get().workerId())) {
            return new Reported(run, "worker " + workerId + " never held run " + runId + " attempt " + attempt
                    + (row.isPresent() ? " (worker " + row.get().workerId() + " did)" : ""));
        }
        boolean ended = report.status() != ReportedStatus.RUNNING;
        if (Fencing.live(run, workerId, attempt)) {
            String message = report.message();
            switch (report.status()) {
                case RUNNING -> lifecycle.renew(reported, workerId, now.plus(settings.leaseDuration()));
                case SUCCEEDED -> lifecycle.finish(run, AttemptOutcome.SUCCEEDED, message, now);
                case CANCELLED -> lifecycle.finish(run, AttemptOutcome.CANCELLED,
                        message != null ? message : "cancelled by worker " + workerId, now);
                case FAILED -> lifecycle.fail(run, !Boolean.FALSE.equals(report.retryable()),
                        message != null ? message : "worker " + workerId + " reported FAILED", now);
            }
            return new Reported(queue.state(runId).orElseThrow(), null);
        }
        if (ended) {
            lifecycle.release(reported); // the worker has stopped using its devices, whatever we answer
        }
        AttemptOutcome outcome = row.get().outcome();
        if (outcome != null && report.status().name().equals(outcome.name())) {
            return new Reported(run, null); // a repeat of a report that was accepted (or a cancel's ack)
        }
        if (run.attempt() == attempt && run.status() == RunStatus.CANCELLED && ended) {
            // finished or failed on its own just as it was cancelled: the cancel stands, the devices are free
            return new Reported(run, "run " + runId + " was cancelled at " + run.finishedAt() + " before attempt "
                    + attempt + " reported " + report.status() + "; it stays CANCELLED");
        }
        return new Reported(run, Fencing.refused(workerId, runId, attempt, run));
    }

    private Map<String, String> labels(String text) {
        return json.convertValue(jsonObject(text), new TypeReference<TreeMap<String, String>>() {});
    }

    /** JSON text to a tree; H2 can hand back a JSON column as a JSON string holding the text, which is undone. */
    private JsonNode jsonObject(String text) {
        JsonNode node = json.readTree(text);
        return node.isString() ? json.readTree(node.stringValue()) : node;
    }
}
