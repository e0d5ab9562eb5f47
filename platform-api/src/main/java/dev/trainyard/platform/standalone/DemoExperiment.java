package dev.trainyard.platform.standalone;

import dev.trainyard.platform.TrainyardProperties;
import dev.trainyard.platform.auth.Caller;
import dev.trainyard.platform.experiments.ExperimentRecords.CreateExperimentRequest;
import dev.trainyard.platform.experiments.ExperimentRecords.ExperimentResponse;
import dev.trainyard.platform.experiments.ExperimentService;
import dev.trainyard.platform.projects.ProjectRecords.CreateProjectRequest;
import dev.trainyard.platform.projects.ProjectRecords.ProjectResponse;
import dev.trainyard.platform.projects.ProjectRepository;
import dev.trainyard.platform.projects.ProjectService;
import dev.trainyard.platform.runs.RunRecords.SubmitRunRequest;
import dev.trainyard.platform.runs.RunService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Profile;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * On the first standalone start (no projects yet), creates the project {@code demo} with the experiment
 * {@code fashion-mnist} and submits three small Fashion-MNIST runs for the embedded worker to train while you watch:
 * two MLPs that differ in learning rate and a small CNN, with params and tags so the run list compares them. The admin
 * it acts as exists by then: {@link dev.trainyard.platform.auth.BootstrapAdmin} creates it before the application starts.
 */
@Component
@Profile("standalone")
@ConditionalOnBooleanProperty(name = "trainyard.standalone.demo.enabled", matchIfMissing = true)
@Order(10)
class DemoExperiment implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(DemoExperiment.class);

    static final String PROJECT = "demo";
    static final String EXPERIMENT = "fashion-mnist";

    private final ProjectRepository projects;
    private final ProjectService projectService;
    private final ExperimentService experiments;
    private final RunService runs;
    private final LocalAdmin admin;
    private final JsonMapper json;
    private final Environment environment;
    private final StandaloneProperties settings;
    private final TrainyardProperties trainyard;

    DemoExperiment(ProjectRepository projects, ProjectService projectService, ExperimentService experiments,
            RunService runs, LocalAdmin admin, JsonMapper json, Environment environment, StandaloneProperties settings,
            TrainyardProperties trainyard) {
        this.projects = projects;
        this.projectService = projectService;
        this.experiments = experiments;
        this.runs = runs;
        this.admin = admin;
        this.json = json;
        this.environment = environment;
        this.settings = settings;
        this.trainyard = trainyard;
    }

    private record DemoRun(String name, Map<String, Object> model, double lr, List<String> tags) {}

    @Override
    public void run(ApplicationArguments args) {
        if (projects.count() > 0) {
            return;
        }
        Path dataRoot = settings.worker().dataRoot();
        if (!hasFashionMnist(dataRoot.resolve("fashion-mnist"))) {
            log.warn("""
                    The demo experiment needs Fashion-MNIST in {} and it is not there, so nothing was submitted. \
                    Install it with `sudo apt-get install dataset-fashion-mnist` (or put the four IDX files there, \
                    or point trainyard.standalone.worker.data-root at a directory holding fashion-mnist/) and \
                    restart with an empty .trainyard to get the demo.""", dataRoot.resolve("fashion-mnist"));
            return;
        }
        Caller caller = admin.caller();
        ProjectResponse project = projectService.create(caller, new CreateProjectRequest(PROJECT,
                "Runs submitted by ./trainyard standalone on its first start; delete it whenever you like."));
        ExperimentResponse experiment = experiments.create(caller, project.id(), new CreateExperimentRequest(
                EXPERIMENT, "Two MLP learning rates against a small CNN on a Fashion-MNIST subset."));
        List<Long> ids = demoRuns().stream()
                .map(run -> runs.submit(caller, project.id(), request(run, experiment.id()), "demo-" + run.name())
                        .run().id())
                .toList();
        printWhereToLook(project.id(), experiment.id(), ids);
    }

    private List<DemoRun> demoRuns() {
        Map<String, Object> mlp = Map.of("builtin", "mlp");
        Map<String, Object> cnn = Map.of("builtin", "cnn", "args", Map.of("channels", List.of(8, 16), "hidden",
                List.of(64)));
        return List.of(
                new DemoRun("mlp-lr1e-3", mlp, 1e-3, List.of("demo", "mlp")),
                new DemoRun("mlp-lr3e-3", mlp, 3e-3, List.of("demo", "mlp")),
                new DemoRun("cnn-small", cnn, 1e-3, List.of("demo", "cnn")));
    }

    private SubmitRunRequest request(DemoRun run, long experimentId) {
        StandaloneProperties.Demo demo = settings.demo();
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("name", "demo " + run.name());
        spec.put("seed", 0);
        spec.put("dataset", Map.of("name", "fashion-mnist", "trainSubset", demo.trainSubset(), "testSubset",
                demo.testSubset()));
        spec.put("model", run.model());
        spec.put("optimizer", Map.of("type", "adam", "lr", run.lr()));
        spec.put("batchSize", 64);
        spec.put("epochs", demo.epochs());
        spec.put("logging", Map.of("everySteps", 10));
        spec.put("checkpoint", Map.of("everyEpochs", 1));
        Map<String, JsonNode> params = Map.of(
                "model", json.valueToTree(run.model().get("builtin")),
                "optimizer", json.valueToTree("adam"),
                "lr", json.valueToTree(run.lr()),
                "epochs", json.valueToTree(demo.epochs()));
        // maxAttempts 3: stopping the platform mid-run ends an attempt; the next start resumes from its checkpoint
        return new SubmitRunRequest(run.name(), experimentId, json.valueToTree(spec), params, run.tags(),
                "Submitted by the standalone demo.", null, null, 3);
    }

    private void printWhereToLook(long projectId, long experimentId, List<Long> runIds) {
        String base = "http://localhost:" + environment.getProperty("local.server.port", "8080") + "/api/v1";
        Path tokenFile = trainyard.bootstrap().tokenFile();
        String token = tokenFile == null ? "$TOKEN" : "$(cat " + tokenFile.toAbsolutePath().normalize() + ")";
        String runsUrl = base + "/projects/" + projectId + "/runs";
        log.info("""
                Demo experiment: project '{}' ({}), experiment '{}' ({}), runs {} queued for the embedded worker.
                    Watch them:
                      TOKEN={}
                      curl -s '{}?experimentId={}' -H "Authorization: Bearer $TOKEN"     # status, params, latest metrics
                      curl -sN {}/experiments/{}/events -H "Authorization: Bearer $TOKEN"     # every run's status
                      curl -sN {}/{}/events -H "Authorization: Bearer $TOKEN"     # one run: status, metrics, logs
                      curl -s '{}/projects/{}/metrics/query?runs={}&keys=train/loss,test/accuracy' \
                -H "Authorization: Bearer $TOKEN\"""",
                PROJECT, projectId, EXPERIMENT, experimentId, runIds, token, runsUrl, experimentId,
                base + "/projects/" + projectId, experimentId, runsUrl, runIds.getFirst(), base, projectId,
                String.join(",", runIds.stream().map(String::valueOf).toList()));
    }

    /** The IDX files the engine's FashionMNIST reads, gzipped or not. */
    static boolean hasFashionMnist(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<String> names = files.map(p -> p.getFileName().toString()).toList();
            return Stream.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                    "t10k-labels-idx1-ubyte").allMatch(n -> names.contains(n) || names.contains(n + ".gz"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }
}
