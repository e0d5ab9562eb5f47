package dev.trainyard.platform.cluster;

import dev.trainyard.platform.auth.Caller;
import dev.trainyard.platform.cluster.ClusterRecords.DeviceView;
import dev.trainyard.platform.cluster.ClusterRecords.GpuView;
import dev.trainyard.platform.cluster.ClusterRecords.HeldRun;
import dev.trainyard.platform.cluster.ClusterRecords.QueueResponse;
import dev.trainyard.platform.cluster.ClusterRecords.QueuedRun;
import dev.trainyard.platform.cluster.ClusterRecords.Requested;
import dev.trainyard.platform.cluster.ClusterRecords.WorkerView;
import dev.trainyard.platform.cluster.ClusterRepository.Held;
import dev.trainyard.platform.web.Times;
import dev.trainyard.platform.workers.WorkerRecords.Gpu;
import dev.trainyard.platform.workers.WorkerRepository.Allocation;
import dev.trainyard.platform.workers.WorkerRepository.Capacity;
import dev.trainyard.platform.workers.WorkerRepository.WorkerRow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The queue and the workers as any signed-in user may see them: runs of the projects they are a member of (a site
 * admin sees all), and of the others only how many there are.
 */
@Service
public class ClusterService {

    private final ClusterRepository cluster;
    private final JsonMapper json;

    public ClusterService(ClusterRepository cluster, JsonMapper json) {
        this.cluster = cluster;
        this.json = json;
    }

    @Transactional(readOnly = true)
    public QueueResponse queue(Caller caller, int limit) {
        Long visibleTo = caller.siteAdmin() ? null : caller.userId();
        List<QueuedRun> items = cluster.queue(visibleTo, limit).stream()
                .map(r -> new QueuedRun(r.position(), r.projectId(), r.projectName(), r.experimentId(), r.runId(),
                        r.runName(), r.priority(), r.queuedAt(), r.notBefore(),
                        new Requested(r.cpus(), r.gpus(), r.memoryMb()), labels(r.labels())))
                .toList();
        long[] sizes = cluster.queueSizes(visibleTo);
        return new QueueResponse(items, sizes[0], sizes[1], cluster.projectLimits(visibleTo));
    }

    @Transactional(readOnly = true)
    public List<WorkerView> workers(Caller caller) {
        Set<Long> visible = caller.siteAdmin() ? null : cluster.memberProjects(caller.userId());
        Map<String, List<Held>> held = cluster.held().stream()
                .collect(Collectors.groupingBy(Held::workerId, Collectors.toList()));
        Instant now = Times.now();
        return cluster.liveWorkers().stream().map(w -> view(w, held.getOrDefault(w.id(), List.of()), visible, now))
                .toList();
    }

    private WorkerView view(WorkerRow w, List<Held> held, Set<Long> visible, Instant now) {
        List<Gpu> gpus = json.readValue(w.gpus(), new TypeReference<List<Gpu>>() {});
        Capacity free = Capacity.of(w, held.stream().map(Held::allocation).toList());
        List<HeldRun> runs = new ArrayList<>();
        int other = 0;
        for (Held h : held) {
            Allocation a = h.allocation();
            if (visible == null || visible.contains(h.projectId())) {
                runs.add(new HeldRun(a.runId(), h.projectId(), h.runName(), a.attempt()));
            } else {
                other++;
            }
        }
        DeviceView devices = new DeviceView(w.cpus(), w.memoryMb(),
                IntStream.range(0, gpus.size()).mapToObj(i -> gpu(i, gpus)).toList());
        DeviceView freeView = new DeviceView(free.cpus(), free.memoryMb(),
                free.freeGpus().stream().filter(i -> i < gpus.size()).map(i -> gpu(i, gpus)).toList());
        long age = Math.max(0, Duration.between(w.lastSeenAt(), now).toSeconds());
        return new WorkerView(w.id(), w.name(), labels(w.labels()), devices, freeView, w.status(), w.lastSeenAt(),
                age, runs, other);
    }

    private static GpuView gpu(int index, List<Gpu> gpus) {
        Gpu g = gpus.get(index);
        return new GpuView(index, g.model(), g.memoryMb());
    }

    private Map<String, String> labels(String text) {
        return json.readValue(text, new TypeReference<TreeMap<String, String>>() {});
    }
}
