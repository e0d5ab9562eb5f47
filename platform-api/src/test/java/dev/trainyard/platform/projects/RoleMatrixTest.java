package dev.trainyard.platform.projects;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.platform.testing.Api;
import dev.trainyard.platform.testing.IntegrationTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * Every endpoint inside a project, called by an outsider, a viewer, an editor and an admin of that project (all
 * with admin-scope tokens, so only the project role decides): outsiders get 404 as if the project did not exist,
 * members below the needed role 403, the others the endpoint's success status.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RoleMatrixTest extends IntegrationTest {

    enum Role { OUTSIDER, VIEWER, EDITOR, ADMIN }

    record Call(String method, String path, Object body) {}

    /** An endpoint, the least role that may call it, its success status, and how to make a fresh call to it. */
    record Endpoint(String name, Role least, int success, Function<RoleMatrixTest, Call> call) {
        @Override
        public String toString() {
            return name;
        }
    }

    private TestUser owner;
    private Map<Role, TestUser> callers;
    private long project;
    private long experiment;
    private long run;

    static List<Endpoint> endpoints() {
        return List.of(
                new Endpoint("GET project", Role.VIEWER, 200, t -> new Call("GET", t.p(""), null)),
                new Endpoint("GET members", Role.VIEWER, 200, t -> new Call("GET", t.p("/members"), null)),
                new Endpoint("POST member", Role.ADMIN, 201, t -> new Call("POST", t.p("/members"),
                        Map.of("username", t.newUser("m").username(), "role", "viewer"))),
                new Endpoint("PUT member", Role.ADMIN, 200, t -> new Call("PUT", t.p("/members/" + t.member().id()),
                        Map.of("role", "editor"))),
                new Endpoint("DELETE member", Role.ADMIN, 204, t -> new Call("DELETE",
                        t.p("/members/" + t.member().id()), null)),
                new Endpoint("POST experiment", Role.EDITOR, 201, t -> new Call("POST", t.p("/experiments"),
                        Map.of("name", "e" + System.nanoTime()))),
                new Endpoint("GET experiments", Role.VIEWER, 200, t -> new Call("GET", t.p("/experiments"), null)),
                new Endpoint("GET experiment", Role.VIEWER, 200, t -> new Call("GET",
                        t.p("/experiments/" + t.experiment), null)),
                new Endpoint("POST run", Role.EDITOR, 201, t -> new Call("POST", t.p("/runs"), runBody())),
                new Endpoint("GET runs", Role.VIEWER, 200, t -> new Call("GET", t.p("/runs?status=QUEUED"), null)),
                new Endpoint("GET run", Role.VIEWER, 200, t -> new Call("GET", t.p("/runs/" + t.run), null)),
                new Endpoint("POST cancel", Role.EDITOR, 200, t -> new Call("POST",
                        t.p("/runs/" + t.freshRun() + "/cancel"), null)),
                new Endpoint("POST retry", Role.EDITOR, 200, t -> new Call("POST",
                        t.p("/runs/" + t.cancelledRun() + "/retry"), null)),
                new Endpoint("POST clone", Role.EDITOR, 201, t -> new Call("POST", t.p("/runs/" + t.run + "/clone"),
                        Map.of("name", "clone"))),
                new Endpoint("DELETE run", Role.EDITOR, 204, t -> new Call("DELETE", t.p("/runs/" + t.freshRun()),
                        null)));
    }

    Stream<Arguments> matrix() {
        List<Arguments> out = new ArrayList<>();
        for (Endpoint e : endpoints()) {
            for (Role r : Role.values()) {
                out.add(Arguments.of(e, r));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} as {1}")
    @MethodSource("matrix")
    void roleDecides(Endpoint endpoint, Role role) {
        setUp();
        Call call = endpoint.call().apply(this);
        Api.Response r = api.send(call.method(), call.path(), callers.get(role).token(), Map.of(), call.body());
        if (role == Role.OUTSIDER) {
            JsonNode problem = assertProblem(r, 404);
            assertThat(problem.get("detail").stringValue()).contains("no project " + project);
        } else if (role.compareTo(endpoint.least()) < 0) {
            JsonNode problem = assertProblem(r, 403);
            assertThat(problem.get("detail").stringValue()).contains("your role in project " + project + " is "
                    + role.name().toLowerCase());
        } else {
            assertThat(r.status()).as(endpoint + " as " + role + ": " + r).isEqualTo(endpoint.success());
        }
    }

    private void setUp() {
        if (owner != null) {
            return;
        }
        owner = newUser("owner");
        project = newProject(owner);
        callers = Map.of(
                Role.OUTSIDER, newUser("outsider"),
                Role.VIEWER, member("viewer"),
                Role.EDITOR, member("editor"),
                Role.ADMIN, member("admin"));
        experiment = api.post(p("/experiments"), owner.token(), Map.of("name", "matrix")).json().get("id").longValue();
        run = freshRun();
    }

    private String p(String rest) {
        return "/api/v1/projects/" + project + rest;
    }

    private TestUser member(String role) {
        TestUser user = newUser(role);
        addMember(project, owner, user, role);
        return user;
    }

    private TestUser member() {
        return member("viewer");
    }

    private long freshRun() {
        return submitRun(project, owner, runBody()).get("id").longValue();
    }

    private long cancelledRun() {
        long id = freshRun();
        assertThat(api.post(p("/runs/" + id + "/cancel"), owner.token(), null).status()).isEqualTo(200);
        return id;
    }
}
