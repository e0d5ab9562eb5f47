package dev.trainyard.platform.experiments;

import dev.trainyard.platform.auth.Caller;
import dev.trainyard.platform.experiments.ExperimentRecords.CreateExperimentRequest;
import dev.trainyard.platform.experiments.ExperimentRecords.ExperimentResponse;
import dev.trainyard.platform.projects.ProjectAccess;
import dev.trainyard.platform.projects.ProjectRole;
import dev.trainyard.platform.web.ApiException;
import dev.trainyard.platform.web.Times;
import java.util.List;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
public class ExperimentService {

    private final ExperimentRepository experiments;
    private final ProjectAccess access;

    public ExperimentService(ExperimentRepository experiments, ProjectAccess access) {
        this.experiments = experiments;
        this.access = access;
    }

    @Transactional
    public ExperimentResponse create(Caller caller, long projectId, CreateExperimentRequest request) {
        access.require(caller, projectId, ProjectRole.EDITOR);
        if (experiments.existsByProjectIdAndName(projectId, request.name())) {
            throw ApiException.conflict("project " + projectId + " already has an experiment named '"
                    + request.name() + "'");
        }
        return ExperimentResponse.of(experiments.save(
                new Experiment(projectId, request.name(), request.description(), caller.userId(), Times.now())));
    }

    @Transactional(readOnly = true)
    public List<ExperimentResponse> list(Caller caller, long projectId) {
        access.require(caller, projectId, ProjectRole.VIEWER);
        return experiments.findByProjectIdOrderById(projectId).stream().map(ExperimentResponse::of).toList();
    }

    @Transactional(readOnly = true)
    public ExperimentResponse get(Caller caller, long projectId, long experimentId) {
        access.require(caller, projectId, ProjectRole.VIEWER);
        return experiments.findByIdAndProjectId(experimentId, projectId).map(ExperimentResponse::of)
                .orElseThrow(() -> ApiException.notFound("no experiment " + experimentId + " in project " + projectId));
    }
}
