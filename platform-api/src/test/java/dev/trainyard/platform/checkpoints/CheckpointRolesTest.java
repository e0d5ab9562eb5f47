package dev.trainyard.platform.checkpoints;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.platform.auth.Scope;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Viewers list and download; editors also upload and delete; outsiders get 404 for everything. */
class CheckpointRolesTest extends CheckpointTesting {

    private TestUser owner;
    private TestUser viewer;
    private TestUser editor;
    private TestUser outsider;
    private long project;
    private long run;
    private long experiment;
    private String content;
    private String path;

    @BeforeEach
    void setUp() {
        owner = newUser("owner");
        project = newProject(owner);
        viewer = newUser("viewer");
        addMember(project, owner, viewer, "viewer");
        editor = newUser("editor");
        addMember(project, owner, editor, "editor");
        outsider = newUser("outsider");
        experiment = api.post("/api/v1/projects/" + project + "/experiments", owner.token(), Map.of("name", "e"))
                .json().get("id").longValue();
        run = newRun(project, owner, experiment);
        path = checkpoints(project, run);
        content = uploaded(owner, project, run, "?step=1", bytes(1000, 1)).get("content").stringValue();
    }

    @Test
    void viewersListAndDownloadButCannotUploadOrDelete() {
        assertThat(api.get(path, viewer.token()).status()).isEqualTo(200);
        assertThat(api.get(path + "/latest", viewer.token()).status()).isEqualTo(200);
        assertThat(download(content, viewer.token(), Map.of()).statusCode()).isEqualTo(200);
        JsonNode problem = assertProblem(upload(viewer, project, run, "?step=2", bytes(10, 2)), 403);
        assertThat(problem.get("detail").stringValue()).contains("your role in project " + project + " is viewer");
        long id = api.get(path + "/latest", viewer.token()).json().get("id").longValue();
        assertProblem(api.delete(path + "/" + id, viewer.token()), 403);
        assertProblem(api.put(retention(), viewer.token(), Map.of("keepLast", 1)), 403);
        assertThat(api.get(retention(), viewer.token()).status()).isEqualTo(200);
        assertThat(storedFiles(project, run)).hasSize(1);
    }

    @Test
    void editorsUploadDeleteAndSetRetention() {
        assertThat(upload(editor, project, run, "?step=2", bytes(10, 2)).status()).isEqualTo(201);
        assertThat(api.put(retention(), editor.token(), Map.of("keepLast", 5)).status()).isEqualTo(200);
        long id = api.get(path + "/latest", editor.token()).json().get("id").longValue();
        assertThat(api.delete(path + "/" + id, editor.token()).status()).isEqualTo(204);
    }

    @Test
    void outsidersGet404ForEverything() {
        for (var r : java.util.List.of(api.get(path, outsider.token()), api.get(path + "/latest", outsider.token()),
                upload(outsider, project, run, "?step=2", bytes(10, 2)), api.delete(path + "/1", outsider.token()),
                api.get(retention(), outsider.token()))) {
            assertThat(assertProblem(r, 404).get("detail").stringValue()).contains("no project " + project);
        }
        assertThat(download(content, outsider.token(), Map.of()).statusCode()).isEqualTo(404);
        assertThat(storedFiles(project, run)).hasSize(1);
    }

    @Test
    void aReadTokenCannotUploadEvenForAnEditor() {
        String readOnly = token(editor.id(), Scope.READ);
        JsonNode problem = assertProblem(upload(readOnly, project, run, "?step=2", bytes(10, 2), Map.of()), 403);
        assertThat(problem.get("detail").stringValue()).contains("scope");
        assertThat(download(content, readOnly, Map.of()).statusCode()).isEqualTo(200);
    }

    @Test
    void noTokenIs401() {
        assertProblem(upload(null, project, run, "?step=2", bytes(10, 2), Map.of()), 401);
    }

    private String retention() {
        return "/api/v1/projects/" + project + "/experiments/" + experiment + "/checkpoint-retention";
    }
}
