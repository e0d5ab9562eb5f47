package dev.trainyard.platform.projects;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.platform.testing.Api;
import dev.trainyard.platform.testing.IntegrationTest;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ProjectsTest extends IntegrationTest {

    @Test
    void createGetAndListMine() {
        TestUser alice = newUser("alice");
        TestUser bob = newUser("bob");
        Api.Response created = api.post("/api/v1/projects", alice.token(),
                Map.of("name", "mnist", "description", "digits"));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        long id = created.json().get("id").longValue();
        assertThat(created.header("Location")).isEqualTo("/api/v1/projects/" + id);
        assertThat(created.json().get("role").stringValue()).isEqualTo("admin");

        JsonNode got = api.get("/api/v1/projects/" + id, alice.token()).json();
        assertThat(got.get("name").stringValue()).isEqualTo("mnist");
        assertThat(got.get("description").stringValue()).isEqualTo("digits");

        long bobs = newProject(bob);
        JsonNode mine = api.get("/api/v1/projects", alice.token()).json();
        assertThat(mine.get("items")).extracting(p -> p.get("id").longValue()).contains(id).doesNotContain(bobs);
        assertThat(mine.has("nextCursor")).isTrue();
    }

    @Test
    void aNameIsUniquePerCreatorOnly() {
        TestUser alice = newUser("alice");
        TestUser bob = newUser("bob");
        assertThat(api.post("/api/v1/projects", alice.token(), Map.of("name", "shared")).status()).isEqualTo(201);
        assertProblem(api.post("/api/v1/projects", alice.token(), Map.of("name", "shared")), 409);
        assertThat(api.post("/api/v1/projects", bob.token(), Map.of("name", "shared")).status()).isEqualTo(201);
    }

    @Test
    void invalidProjectsAre400WithTheField() {
        TestUser alice = newUser("alice");
        JsonNode problem = assertProblem(api.post("/api/v1/projects", alice.token(),
                Map.of("name", " ", "description", "x".repeat(2001))), 400);
        assertThat(problem.get("errors")).extracting(e -> e.get("pointer").stringValue())
                .containsExactlyInAnyOrder("/name", "/description");
    }

    @Test
    void membersAreAddedChangedAndRemoved() {
        TestUser alice = newUser("alice");
        TestUser bob = newUser("bob");
        long project = newProject(alice);

        Api.Response added = api.post("/api/v1/projects/" + project + "/members", alice.token(),
                Map.of("username", bob.username(), "role", "viewer"));
        assertThat(added.status()).as(added.toString()).isEqualTo(201);
        assertThat(added.header("Location")).isEqualTo("/api/v1/projects/" + project + "/members/" + bob.id());
        assertThat(api.get("/api/v1/projects/" + project, bob.token()).json().get("role").stringValue())
                .isEqualTo("viewer");
        assertThat(api.get("/api/v1/projects", bob.token()).json().get("items"))
                .extracting(p -> p.get("id").longValue()).contains(project);

        // twice is a conflict
        assertProblem(api.post("/api/v1/projects/" + project + "/members", alice.token(),
                Map.of("username", bob.username(), "role", "editor")), 409);

        Api.Response changed = api.put("/api/v1/projects/" + project + "/members/" + bob.id(), alice.token(),
                Map.of("role", "editor"));
        assertThat(changed.json().get("role").stringValue()).isEqualTo("editor");

        JsonNode members = api.get("/api/v1/projects/" + project + "/members", bob.token()).json();
        assertThat(members.get("items")).extracting(m -> m.get("username").stringValue() + ":" + m.get("role").stringValue())
                .containsExactly(alice.username() + ":admin", bob.username() + ":editor");

        assertThat(api.delete("/api/v1/projects/" + project + "/members/" + bob.id(), alice.token()).status())
                .isEqualTo(204);
        assertProblem(api.get("/api/v1/projects/" + project, bob.token()), 404);
        assertProblem(api.delete("/api/v1/projects/" + project + "/members/" + bob.id(), alice.token()), 404);
    }

    @Test
    void addingAnUnknownUserOrRoleIs400() {
        TestUser alice = newUser("alice");
        long project = newProject(alice);
        JsonNode unknown = assertProblem(api.post("/api/v1/projects/" + project + "/members", alice.token(),
                Map.of("username", "nobody-" + System.nanoTime(), "role", "viewer")), 400);
        assertThat(unknown.get("errors").get(0).get("pointer").stringValue()).isEqualTo("/username");
        JsonNode badRole = assertProblem(api.post("/api/v1/projects/" + project + "/members", alice.token(),
                Map.of("username", alice.username(), "role", "owner")), 400);
        assertThat(badRole.get("errors").get(0).get("pointer").stringValue()).isEqualTo("/role");
    }

    @Test
    void theLastAdminCannotLeaveOrBeDemoted() {
        TestUser alice = newUser("alice");
        TestUser bob = newUser("bob");
        long project = newProject(alice);
        assertProblem(api.put("/api/v1/projects/" + project + "/members/" + alice.id(), alice.token(),
                Map.of("role", "editor")), 409);
        assertProblem(api.delete("/api/v1/projects/" + project + "/members/" + alice.id(), alice.token()), 409);

        addMember(project, alice, bob, "admin");
        assertThat(api.put("/api/v1/projects/" + project + "/members/" + alice.id(), bob.token(),
                Map.of("role", "viewer")).status()).isEqualTo(200);
        assertThat(api.get("/api/v1/projects/" + project, alice.token()).json().get("role").stringValue())
                .isEqualTo("viewer");
    }

    @Test
    void managingMembersNeedsAnAdminScopeToken() {
        TestUser alice = newUser("alice");
        TestUser bob = newUser("bob");
        long project = newProject(alice);
        String writeToken = token(alice.id(), dev.trainyard.platform.auth.Scope.WRITE);
        JsonNode problem = assertProblem(api.post("/api/v1/projects/" + project + "/members", writeToken,
                Map.of("username", bob.username(), "role", "viewer")), 403);
        assertThat(problem.get("detail").stringValue()).contains("scope admin");
    }
}
