package dev.trainyard.platform.events;

import dev.trainyard.platform.auth.Caller;
import dev.trainyard.platform.projects.ProjectAccess;
import dev.trainyard.platform.projects.ProjectRole;
import dev.trainyard.platform.runs.RunRef;
import dev.trainyard.platform.runs.RunRefs;
import dev.trainyard.platform.web.ApiException;
import dev.trainyard.platform.web.Statuses;
import io.swagger.v3.oas.annotations.Operation;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Server-Sent Event streams (text/event-stream) of a run, of an experiment and of a whole project, for the
 * dashboard and for scripts that wait on a run. Like every endpoint they need {@code Authorization: Bearer <token>}
 * or the session cookie (a browser's EventSource sends it) and the viewer role.
 */
@RestController
@RequestMapping("/api/v1/projects/{projectId}")
public class EventStreamController {

    private final RunEventHub hub;
    private final RunRefs runs;
    private final EventSnapshots snapshots;
    private final ProjectAccess access;

    public EventStreamController(RunEventHub hub, RunRefs runs, EventSnapshots snapshots, ProjectAccess access) {
        this.hub = hub;
        this.runs = runs;
        this.snapshots = snapshots;
        this.access = access;
    }

    @Operation(summary = "Stream a run's events (SSE)", description = "First a 'snapshot' event (the run's status, "
            + "the latest value of each metric, where its log ends), then 'status' (a status change), 'metrics' "
            + "(coalesced: points since the last event and each touched key's latest step, value, min and max) and "
            + "'logs' (new lines of the run's log) events as they happen. Comment lines keep idle streams open. "
            + "The stream ends after 30 minutes; reconnect and the snapshot brings you up to date.")
    @Statuses(problems = 503)
    @GetMapping("/runs/{runId}/events")
    public SseEmitter runEvents(Caller caller, @PathVariable long projectId, @PathVariable long runId) {
        access.require(caller, projectId, ProjectRole.VIEWER);
        runs.require(projectId, runId);
        RunEventHub.Subscription subscription = hub.subscribeRun(caller, projectId, runId, RunEventHub.Options.RUN);
        hub.start(subscription, s -> {
            // read after subscribing, so that nothing that happens in between is lost
            RunRef run = runs.find(projectId, runId).orElseThrow(() -> RunRefs.notFound(projectId, runId));
            s.send("snapshot", snapshots.run(run));
        });
        return subscription.emitter();
    }

    @Operation(summary = "Stream the events of every run in an experiment (SSE)", description = "First a 'snapshot' "
            + "event (the experiment's runs, newest first, at most 1000, with their status), then 'status', "
            + "'metrics' and 'logs' events of its runs as on a run's stream, except that 'logs' events carry only "
            + "the count and last seq of new lines, not the lines. A new run appears as a 'status' event from null "
            + "to QUEUED.")
    @Statuses(problems = 503)
    @GetMapping("/experiments/{experimentId}/events")
    public SseEmitter experimentEvents(Caller caller, @PathVariable long projectId, @PathVariable long experimentId) {
        access.require(caller, projectId, ProjectRole.VIEWER);
        if (!snapshots.experimentExists(projectId, experimentId)) {
            throw ApiException.notFound("no experiment " + experimentId + " in project " + projectId);
        }
        RunEventHub.Subscription subscription = hub.subscribeExperiment(caller, projectId, experimentId,
                RunEventHub.Options.EXPERIMENT);
        hub.start(subscription, s -> s.send("snapshot", snapshots.experiment(projectId, experimentId)));
        return subscription.emitter();
    }

    @Operation(summary = "Stream the events of every run in a project (SSE)", description = "As an experiment's "
            + "stream, for every run of the project whatever its experiment: first a 'snapshot' event (the "
            + "project's runs, newest first, at most 1000, with their status and experimentId), then 'status', "
            + "'metrics' and 'logs' events (log counts, not lines). A new run appears as a 'status' event from "
            + "null to QUEUED.")
    @Statuses(problems = 503)
    @GetMapping("/events")
    public SseEmitter projectEvents(Caller caller, @PathVariable long projectId) {
        access.require(caller, projectId, ProjectRole.VIEWER);
        RunEventHub.Subscription subscription = hub.subscribeProject(caller, projectId, RunEventHub.Options.PROJECT);
        hub.start(subscription, s -> s.send("snapshot", snapshots.project(projectId)));
        return subscription.emitter();
    }
}
