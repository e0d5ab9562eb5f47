package dev.trainyard.platform.workers;

import dev.trainyard.platform.scheduling.Rescuer;
import dev.trainyard.platform.scheduling.SchedulingProperties;
import dev.trainyard.platform.web.ApiException;
import dev.trainyard.platform.web.ItemList;
import dev.trainyard.platform.web.Times;
import dev.trainyard.platform.workers.WorkerRecords.AllocationResponse;
import dev.trainyard.platform.workers.WorkerRecords.Devices;
import dev.trainyard.platform.workers.WorkerRecords.Free;
import dev.trainyard.platform.workers.WorkerRecords.Gpu;
import dev.trainyard.platform.workers.WorkerRecords.RegisterWorkerRequest;
import dev.trainyard.platform.workers.WorkerRecords.WorkerResponse;
import dev.trainyard.platform.workers.WorkerRepository.Allocation;
import dev.trainyard.platform.workers.WorkerRepository.Capacity;
import dev.trainyard.platform.workers.WorkerRepository.WorkerRow;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Registering, describing and deregistering workers. Each worker belongs to the worker token that registered it. */
@Service
public class WorkerService {

    private final WorkerRepository workers;
    private final Rescuer rescuer;
    private final SchedulingProperties settings;
    private final JsonMapper json;
    private final TransactionTemplate tx;

    public WorkerService(WorkerRepository workers, Rescuer rescuer, SchedulingProperties settings, JsonMapper json,
            PlatformTransactionManager transactions) {
        this.workers = workers;
        this.rescuer = rescuer;
        this.settings = settings;
        this.json = json;
        this.tx = new TransactionTemplate(transactions);
    }

    public WorkerResponse register(WorkerPrincipal principal, RegisterWorkerRequest request) {
        Devices d = request.devices();
        List<Gpu> gpus = d.gpus() == null ? List.of() : d.gpus();
        String id = request.name() + "-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        Map<String, String> labels = request.labels() == null ? Map.of() : new TreeMap<>(request.labels());
        Instant now = Times.now();
        workers.insert(new WorkerRow(id, request.name(), principal.tokenId(), WorkerStatus.ACTIVE,
                json.writeValueAsString(labels), d.cpus(), d.memoryMb(), gpus.size(), json.writeValueAsString(gpus),
                now, now, null));
        return view(workers.find(id).orElseThrow());
    }

    /** The token's workers that have not deregistered. */
    public ItemList<WorkerResponse> list(WorkerPrincipal principal) {
        return ItemList.of(workers.byToken(principal.tokenId()).stream().map(this::view).toList());
    }

    public WorkerResponse get(WorkerPrincipal principal, String workerId) {
        return view(owned(principal, workerId));
    }

    /**
     * Deregisters the worker: runs it still held go back to the queue at once (their attempt ends as LOST) and its
     * allocations are released. Saying it twice is harmless.
     */
    public void deregister(WorkerPrincipal principal, String workerId) {
        owned(principal, workerId);
        tx.executeWithoutResult(status -> {
            Instant now = Times.now();
            if (workers.deregister(workerId, now)) {
                rescuer.releaseWorker(workerId, "worker " + workerId + " deregistered", now);
            }
        });
    }

    /**
     * The worker, if this token registered it and it has not deregistered: 404 for someone else's worker (as if it
     * did not exist), 410 for a deregistered one. Other worker endpoints (metrics, checkpoints) call this too.
     */
    public WorkerRow requireOwned(WorkerPrincipal principal, String workerId) {
        return requireOwned(principal, workerId, workers.find(workerId));
    }

    /** The same check on a worker row already read (for instance locked for a claim). */
    public static WorkerRow requireOwned(WorkerPrincipal principal, String workerId, Optional<WorkerRow> found) {
        WorkerRow w = owned(principal, workerId, found);
        if (w.status() == WorkerStatus.DEREGISTERED) {
            throw new ApiException(HttpStatus.GONE, "worker " + workerId + " deregistered at " + w.deregisteredAt()
                    + "; register again (POST " + WorkerPaths.PREFIX + ") for a new worker id", List.of());
        }
        return w;
    }

    private WorkerRow owned(WorkerPrincipal principal, String workerId) {
        return owned(principal, workerId, workers.find(workerId));
    }

    private static WorkerRow owned(WorkerPrincipal principal, String workerId, Optional<WorkerRow> found) {
        return found.filter(w -> w.tokenId() == principal.tokenId())
                .orElseThrow(() -> ApiException.notFound("no worker " + workerId + " registered with this worker "
                        + "token"));
    }

    private WorkerResponse view(WorkerRow w) {
        List<Allocation> held = workers.allocations(w.id());
        Capacity free = Capacity.of(w, held);
        Map<String, String> labels = json.readValue(w.labels(), new TypeReference<TreeMap<String, String>>() {});
        List<Gpu> gpus = json.readValue(w.gpus(), new TypeReference<List<Gpu>>() {});
        List<AllocationResponse> allocations = held.stream().map(a -> new AllocationResponse(a.runId(), a.attempt(),
                a.cpus(), a.memoryMb(), a.gpuIndices())).toList();
        return new WorkerResponse(w.id(), w.name(), w.status(), labels, new Devices(w.cpus(), w.memoryMb(), gpus),
                new Free(free.cpus(), free.memoryMb(), free.freeGpus()), allocations, w.registeredAt(),
                w.lastSeenAt(), w.deregisteredAt(), (int) settings.leaseDuration().toSeconds(),
                (int) settings.heartbeatInterval().toSeconds());
    }
}
