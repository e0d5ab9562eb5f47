package dev.trainyard.platform.cluster;

import dev.trainyard.platform.auth.Caller;
import dev.trainyard.platform.cluster.ClusterRecords.QueueResponse;
import dev.trainyard.platform.cluster.ClusterRecords.WorkerView;
import dev.trainyard.platform.web.ApiException;
import dev.trainyard.platform.web.FieldProblem;
import dev.trainyard.platform.web.ItemList;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The queue and the workers, for any user, scoped to the projects they may read. */
@RestController
public class ClusterController {

    static final int MAX_QUEUE_LIMIT = 5000;

    private final ClusterService cluster;

    public ClusterController(ClusterService cluster) {
        this.cluster = cluster;
    }

    @Operation(summary = "The queued runs in the order the scheduler will lease them", description = "The QUEUED "
            + "runs of the projects you are a member of (a site admin: all), ordered as the scheduler claims them "
            + "(priority, highest first, then queue time, then id); position counts the runs of other projects too. "
            + "A worker only takes a run whose resources and labels it has, from a project below its run limit, and "
            + "not before notBefore (a back-off after a failed attempt). projectLimits: each visible project with "
            + "queued or running runs or a limit.")
    @GetMapping("/api/v1/queue")
    public QueueResponse queue(Caller caller,
            @Parameter(description = "at most this many items, 1 to " + MAX_QUEUE_LIMIT + " (default 500)")
            @RequestParam(defaultValue = "500") int limit) {
        if (limit < 1 || limit > MAX_QUEUE_LIMIT) {
            throw ApiException.badRequest(FieldProblem.atParameter("limit",
                    "must be between 1 and " + MAX_QUEUE_LIMIT, limit));
        }
        return cluster.queue(caller, limit);
    }

    @Operation(summary = "The registered workers, their devices, free capacity and runs", description = "Every "
            + "worker that has not deregistered (ACTIVE, or OFFLINE until heard from again), with the runs it holds "
            + "in projects you are a member of (a site admin: all); otherRuns counts the rest.")
    @GetMapping("/api/v1/cluster/workers")
    public ItemList<WorkerView> workers(Caller caller) {
        return ItemList.of(cluster.workers(caller));
    }
}
