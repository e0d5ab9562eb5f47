package dev.trainyard.platform.checkpoints;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class RetentionTest extends CheckpointTesting {

    private TestUser alice;
    private long project;
    private long experiment;
    private String retention;

    @BeforeEach
    void setUp() {
        alice = newUser("alice");
        project = newProject(alice);
        experiment = api.post("/api/v1/projects/" + project + "/experiments", alice.token(), Map.of("name", "exp"))
                .json().get("id").longValue();
        retention = "/api/v1/projects/" + project + "/experiments/" + experiment + "/checkpoint-retention";
    }

    @Test
    void keepsTheLastNAndTheBestByAMetricAndDeletesTheOthersFiles() {
        JsonNode set = api.put(retention, alice.token(),
                Map.of("keepLast", 2, "keepBest", Map.of("metric", "test_acc", "mode", "max"))).json();
        assertThat(set.get("keepLast").intValue()).isEqualTo(2);
        assertThat(set.get("keepBest").get("metric").stringValue()).isEqualTo("test_acc");
        assertThat(set.get("keepBest").get("mode").stringValue()).isEqualTo("max");

        long run = newRun(project, alice, experiment);
        double[] acc = {0.70, 0.93, 0.80, 0.85, 0.90};
        int[] kept = {1, 2, 2, 3, 3}; // the last two, plus the best so far (step 200) once it is not among them
        for (int i = 0; i < acc.length; i++) {
            uploaded(alice, project, run, "?step=" + (i + 1) * 100 + "&metric.test_acc=" + acc[i], bytes(1000, i));
            assertThat(storedFiles(project, run)).as("files after upload " + (i + 1)).hasSize(kept[i]);
        }
        JsonNode list = api.get(checkpoints(project, run), alice.token()).json().get("items");
        assertThat(list).extracting(c -> c.get("step").longValue()).containsExactly(200L, 400L, 500L);
        assertThat(storedFiles(project, run)).hasSize(3);
        assertThat(pendingDeletions(project, run)).isZero();

        // the best by the experiment's metric is also what /best answers without parameters
        assertThat(api.get(checkpoints(project, run) + "/best", alice.token()).json().get("step").longValue())
                .isEqualTo(200);
    }

    @Test
    void minModeKeepsTheLowestAndCheckpointsWithoutTheMetricAreNeverBest() {
        api.put(retention, alice.token(),
                Map.of("keepLast", 1, "keepBest", Map.of("metric", "val/loss", "mode", "min")));
        long run = newRun(project, alice, experiment);
        uploaded(alice, project, run, "?step=1&metric.val/loss=0.5", bytes(10, 1));
        uploaded(alice, project, run, "?step=2&metric.val/loss=0.2", bytes(10, 2));
        uploaded(alice, project, run, "?step=3&metric.val/loss=0.3", bytes(10, 3));
        uploaded(alice, project, run, "?step=4", bytes(10, 4));
        JsonNode list = api.get(checkpoints(project, run), alice.token()).json().get("items");
        assertThat(list).extracting(c -> c.get("step").longValue()).containsExactly(2L, 4L);
    }

    @Test
    void withoutSettingsRunsGetThePlatformDefaultAndRunsOutsideTheExperimentAreUntouched() {
        JsonNode unset = api.get(retention, alice.token()).json();
        assertThat(unset.get("source").stringValue()).isEqualTo("platform");
        assertThat(unset.get("keepLast").intValue()).isEqualTo(5); // trainyard.checkpoints.retention.keep-last
        assertThat(unset.get("updatedAt").isNull()).isTrue();
        long run = newRun(project, alice, experiment);
        long loose = newRun(project, alice, null);
        for (int i = 0; i < 4; i++) {
            uploaded(alice, project, run, "?step=" + i, bytes(10, i));
            uploaded(alice, project, loose, "?step=" + i, bytes(10, i));
        }
        api.put(retention, alice.token(), Map.of("keepLast", 1));
        // applied at the next upload to a run of the experiment
        uploaded(alice, project, run, "?step=10", bytes(10, 10));
        uploaded(alice, project, loose, "?step=10", bytes(10, 10));
        assertThat(api.get(checkpoints(project, run), alice.token()).json().get("items")).hasSize(1);
        assertThat(api.get(checkpoints(project, loose), alice.token()).json().get("items")).hasSize(5);

        assertThat(api.delete(retention, alice.token()).status()).isEqualTo(204);
        assertThat(api.get(retention, alice.token()).json().get("source").stringValue()).isEqualTo("platform");
        uploaded(alice, project, run, "?step=11", bytes(10, 11));
        assertThat(api.get(checkpoints(project, run), alice.token()).json().get("items")).hasSize(2);
    }

    @Test
    void settingsAreValidated() {
        JsonNode problem = assertProblem(api.put(retention, alice.token(),
                Map.of("keepLast", 0, "keepBest", Map.of("metric", "bad name", "mode", "max"))), 400);
        assertThat(problem.get("errors")).extracting(e -> e.get("pointer").stringValue())
                .containsExactlyInAnyOrder("/keepLast", "/keepBest/metric");
        assertProblem(api.put(retention, alice.token(), Map.of("keepBest", Map.of("metric", "acc", "mode", "max"))),
                400);
        assertProblem(api.put(retention, alice.token(), Map.of("keepLast", 1, "keepBest", Map.of("metric", "acc"))),
                400);
        assertProblem(api.put(retention, alice.token(),
                Map.of("keepLast", 1, "keepBest", Map.of("metric", "acc", "mode", "highest"))), 400);
        assertProblem(api.put("/api/v1/projects/" + project + "/experiments/99999999/checkpoint-retention",
                alice.token(), Map.of("keepLast", 1)), 404);
    }
}
