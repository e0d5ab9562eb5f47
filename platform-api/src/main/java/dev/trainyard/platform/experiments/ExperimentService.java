package dev.trainyard.platform.experiments;

import dev.trainyard.platform.auth.Caller;
import dev.trainyard.platform.experiments.ExperimentRecords.CreateExperimentRequest;
import dev.trainyard.platform.experiments.ExperimentRecords.ExperimentResponse;
import dev.trainyard.platform.projects.ProjectAccess;
import dev.trainyard.platform.projects.ProjectRole;
import dev.trainyard.platform.runs.RunActivity;
import dev.trainyard.platform.runs.RunActivity.Activity;
import dev.trainyard.platform.runs.RunPurge;
import dev.trainyard.platform.web.ApiException;
import dev.trainyard.platform.web.FieldProblem;
import dev.trainyard.platform.web.Times;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
public class ExperimentService {

    private final ExperimentRepository experiments;
    private final ProjectAccess access;
    private final RunActivity activity;
    private final RunPurge purge;

    public ExperimentService(ExperimentRepository experiments, ProjectAccess access, RunActivity activity,
            RunPurge purge) {
        this.experiments = experiments;
        this.access = access;
        this.activity = activity;
        this.purge = purge;
    }

    @Transactional
    public ExperimentResponse create(Caller caller, long projectId, CreateExperimentRequest request) {
        access.require(caller, projectId, ProjectRole.EDITOR);
        if (experiments.existsByProjectIdAndName(projectId, request.name())) {
            throw ApiException.conflict("project " + projectId + " already has an experiment named '"
                    + request.name() + "'");
        }
        return ExperimentResponse.of(experiments.save(
                new Experiment(projectId, request.name(), request.description(), caller.userId(), Times.now())),
                Activity.none());
    }

    @Transactional(readOnly = true)
    public List<ExperimentResponse> list(Caller caller, long projectId) {
        access.require(caller, projectId, ProjectRole.VIEWER);
        List<Experiment> list = experiments.findByProjectIdOrderById(projectId);
        Map<Long, Activity> byExperiment = activity.byExperiment(list.stream().map(Experiment::getId).toList());
        return list.stream()
                .map(e -> ExperimentResponse.of(e, byExperiment.getOrDefault(e.getId(), Activity.none())))
                .toList();
    }

    @Transactional(readOnly = true)
    public ExperimentResponse get(Caller caller, long projectId, long experimentId) {
        access.require(caller, projectId, ProjectRole.VIEWER);
        Experiment experiment = experiments.findByIdAndProjectId(experimentId, projectId)
                .orElseThrow(() -> ApiException.notFound("no experiment " + experimentId + " in project " + projectId));
        return ExperimentResponse.of(experiment,
                activity.byExperiment(List.of(experimentId)).getOrDefault(experimentId, Activity.none()));
    }

    /**
     * Deletes the experiment with its runs (cancelled first if active), their metrics, logs and checkpoints; the
     * project's admins (and site admins) may, naming the experiment in {@code confirm}.
     */
    @Transactional
    public void delete(Caller caller, long projectId, long experimentId, String confirm) {
        if (!caller.siteAdmin()) {
            access.require(caller, projectId, ProjectRole.ADMIN);
        }
        Experiment experiment = experiments.lockByIdAndProjectId(experimentId, projectId)
                .orElseThrow(() -> ApiException.notFound("no experiment " + experimentId + " in project " + projectId));
        if (!experiment.getName().equals(confirm)) {
            throw ApiException.badRequest(FieldProblem.atParameter("confirm", "must be the experiment's name, '"
                    + experiment.getName() + "', to confirm deleting it with all its runs", confirm));
        }
        purge.purge(projectId, experimentId, caller.username());
        experiments.delete(experiment);
    }
}
