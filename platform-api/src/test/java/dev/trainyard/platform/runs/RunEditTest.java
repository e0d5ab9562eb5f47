package dev.trainyard.platform.runs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.platform.auth.Scope;
import dev.trainyard.platform.testing.Api;
import dev.trainyard.platform.testing.IntegrationTest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** PATCH /api/v1/projects/{p}/runs/{r}: a merge patch of name, tags and notes. */
class RunEditTest extends IntegrationTest {

    private static final Map<String, String> MERGE_PATCH = Map.of("Content-Type", "application/merge-patch+json");

    private TestUser alice;
    private TestUser editor;
    private TestUser viewer;
    private long project;
    private String run;

    @BeforeEach
    void submit() {
        alice = newUser("alice");
        editor = newUser("ed", Scope.WRITE);
        viewer = newUser("vic");
        project = newProject(alice);
        addMember(project, alice, editor, "editor");
        addMember(project, alice, viewer, "viewer");
        long id = submitRun(project, alice, with(runBody(), "notes", "first try")).get("id").longValue();
        run = "/api/v1/projects/" + project + "/runs/" + id;
    }

    @Test
    void namesTagsAndNotesChangeAndWhatIsLeftOutStays() {
        long versionBefore = version();
        Api.Response r = patch(editor, MERGE_PATCH, Map.of("name", "renamed", "tags", List.of("b", "a", "b")));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("name").stringValue()).isEqualTo("renamed");
        assertThat(tags(r.json())).containsExactly("a", "b");
        assertThat(r.json().get("notes").stringValue()).isEqualTo("first try");
        assertThat(version()).isGreaterThan(versionBefore);
        JsonNode stored = api.get(run, viewer.token()).json();
        assertThat(stored).isEqualTo(r.json());
        JsonNode listed = api.get("/api/v1/projects/" + project + "/runs?tag=a", viewer.token()).json().get("items");
        assertThat(listed).extracting(i -> i.get("name").stringValue()).containsExactly("renamed");

        Map<String, Object> clear = new HashMap<>();
        clear.put("notes", null);
        JsonNode cleared = patch(editor, MERGE_PATCH, clear).json();
        assertThat(cleared.get("notes").isNull()).isTrue();
        assertThat(tags(cleared)).containsExactly("a", "b");
        assertThat(cleared.get("name").stringValue()).isEqualTo("renamed");

        Map<String, Object> noTags = new HashMap<>();
        noTags.put("tags", null);
        assertThat(patch(editor, MERGE_PATCH, noTags).json().get("tags")).isEmpty();

        Api.Response plainJson = patch(alice, Map.of(), Map.of("notes", "as application/json"));
        assertThat(plainJson.status()).as(plainJson.toString()).isEqualTo(200);
        assertThat(plainJson.json().get("notes").stringValue()).isEqualTo("as application/json");
    }

    @Test
    void badPatchesAre400NamingEveryFieldAndChangeNothing() {
        JsonNode unknown = assertProblem(patch(editor, MERGE_PATCH,
                Map.of("name", "x", "status", "SUCCEEDED", "spec", Map.of())), 400);
        assertThat(pointers(unknown)).containsExactlyInAnyOrder("/status", "/spec");
        assertThat(unknown.get("detail").stringValue()).contains("unknown field");

        JsonNode badTag = assertProblem(patch(editor, MERGE_PATCH, Map.of("tags", List.of("ok", "not ok!"))), 400);
        assertThat(pointers(badTag)).containsExactly("/tags/1");
        assertThat(pointers(assertProblem(patch(editor, MERGE_PATCH, Map.of("tags", "a")), 400)))
                .containsExactly("/tags");
        assertThat(pointers(assertProblem(patch(editor, MERGE_PATCH, Map.of("name", " ")), 400)))
                .containsExactly("/name");
        Map<String, Object> nullName = new HashMap<>();
        nullName.put("name", null);
        assertThat(pointers(assertProblem(patch(editor, MERGE_PATCH, nullName), 400))).containsExactly("/name");
        assertThat(pointers(assertProblem(patch(editor, MERGE_PATCH, Map.of("notes", "n".repeat(10_001))), 400)))
                .containsExactly("/notes");
        assertProblem(api.send("PATCH", run, editor.token(), MERGE_PATCH, "[1]"), 400);

        JsonNode unchanged = api.get(run, alice.token()).json();
        assertThat(unchanged.get("name").stringValue()).isEqualTo("baseline");
        assertThat(tags(unchanged)).containsExactly("baseline");
    }

    @Test
    void onlyEditorsOfTheProjectMayEdit() {
        assertProblem(patch(viewer, MERGE_PATCH, Map.of("name", "x")), 403);
        assertProblem(patch(newUser("mallory"), MERGE_PATCH, Map.of("name", "x")), 404);
        assertProblem(api.send("PATCH", "/api/v1/projects/" + project + "/runs/99999999", alice.token(), MERGE_PATCH,
                Map.of("name", "x")), 404);
        assertThat(api.get(run, alice.token()).json().get("name").stringValue()).isEqualTo("baseline");
    }

    private Api.Response patch(TestUser user, Map<String, String> headers, Object body) {
        return api.send("PATCH", run, user.token(), headers, body);
    }

    private long version() {
        return jdbc.sql("SELECT version FROM runs WHERE id = :id")
                .param("id", Long.parseLong(run.substring(run.lastIndexOf('/') + 1))).query(Long.class).single();
    }

    private static List<String> tags(JsonNode run) {
        List<String> tags = new ArrayList<>();
        run.get("tags").forEach(t -> tags.add(t.stringValue()));
        return tags;
    }

    private static List<String> pointers(JsonNode problem) {
        List<String> pointers = new ArrayList<>();
        problem.get("errors").forEach(e -> pointers.add(e.get("pointer").stringValue()));
        return pointers;
    }
}
