package dev.trainyard.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.trainyard.platform.testing.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole system for the dashboard's browser tests, shared by every test class of the JVM: the real platform-api
 * jar (serving the built web-ui) on its own fresh PostgreSQL database, one real worker once a test asks for it, and
 * helpers to sign in a browser, make users and projects, and park runs in the queue. Started on first use, stopped
 * when the JVM exits.
 */
final class Dashboard {
    static final String WORKER = "dashboard-worker";
    /** Runs that ask for this label stay QUEUED: no worker carries it. */
    static final Map<String, String> PARKED = Map.of("pool", "parked");

    private static Dashboard shared;

    private final Cluster cluster;
    private Instant workerLaunched;
    private String workerId;

    /** A user of the platform and their API token. */
    record User(long id, String username, String token, Api api) {}

    private Dashboard() {
        cluster = new Cluster("dashboard", freshDatabase());
        // stopped when the JVM exits, by the kill hook every Cluster registers
        cluster.start();
    }

    /** The shared system, started on the first call. */
    static synchronized Dashboard get() {
        if (shared == null) {
            shared = new Dashboard();
        }
        return shared;
    }

    Cluster cluster() {
        return cluster;
    }

    String baseUrl() {
        return cluster.baseUrl();
    }

    /** The site admin's API (bearer token). */
    Api admin() {
        return cluster.api();
    }

    /** The project and experiment {@link Cluster#start} made, where the admin is a project admin. */
    long projectId() {
        return cluster.projectId();
    }

    long experimentId() {
        return cluster.experimentId();
    }

    /** Starts the worker without waiting for it (tests that need it later call {@link #awaitWorker}). */
    synchronized void launchWorker() {
        if (workerLaunched == null) {
            workerLaunched = cluster.launchWorker(WORKER);
        }
    }

    /** Starts the worker if it is not running yet and waits until it has registered; returns its id. */
    synchronized String awaitWorker() {
        launchWorker();
        if (workerId == null) {
            workerId = cluster.awaitWorker(WORKER, workerLaunched);
        }
        return workerId;
    }

    // ------------------------------------------------------------------ signing in

    /** A one-time sign-in link for the admin, as {@code ./trainyard standalone} prints it. */
    String signInLink() {
        JsonNode code = admin().post("/api/v1/login-codes", Map.of()).expect(201);
        return baseUrl() + "/#/login?code=" + code.get("code").asText();
    }

    /** A new browser signed in as the admin through a one-time link, showing the projects. */
    Browser adminBrowser() {
        Browser b = new Browser(baseUrl());
        try {
            b.get(signInLink());
            b.awaitHeading("Projects");
            return b;
        } catch (RuntimeException | AssertionError e) {
            b.close();
            throw e;
        }
    }

    /** A new browser signed in as the user by pasting their API token into the sign-in form. */
    Browser browserAs(User user) {
        Browser b = new Browser(baseUrl());
        try {
            signIn(b, user.token());
            return b;
        } catch (RuntimeException | AssertionError e) {
            b.close();
            throw e;
        }
    }

    /** Signs the browser in with an API token through the sign-in form. */
    static void signIn(Browser b, String token) {
        b.open("/login");
        b.find("#token").sendKeys(token);
        b.find("form button[type=submit]").click();
        b.awaitHeading("Projects");
    }

    // ------------------------------------------------------------------ users, projects, runs

    /** A new user with a write token. */
    User newUser(String username) {
        JsonNode created = admin().post("/api/v1/users", Map.of("username", username)).expect(201);
        String token = created.get("token").get("token").asText();
        return new User(created.get("user").get("id").asLong(), username, token, new Api(baseUrl(), token));
    }

    /** A new project owned (role admin) by the user; returns its id. */
    long newProject(User owner, String name) {
        return owner.api().post("/api/v1/projects", Map.of("name", name)).expect(201).get("id").asLong();
    }

    long newExperiment(Api api, long projectId, String name) {
        return api.post("/api/v1/projects/" + projectId + "/experiments", Map.of("name", name)).expect(201)
                .get("id").asLong();
    }

    /** Adds the user to the project with the role (viewer, editor or admin), as the project admin {@code by}. */
    void addMember(Api by, long projectId, User user, String role) {
        by.post("/api/v1/projects/" + projectId + "/members", Map.of("username", user.username(), "role", role))
                .expect(201);
    }

    /**
     * Submits a run that stays QUEUED (it asks for a label no worker has), with the given params and tags; returns
     * it as the API answered.
     */
    JsonNode parkedRun(Api api, long projectId, Long experimentId, String name, Map<String, Object> params,
            List<String> tags) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        if (experimentId != null) {
            body.put("experimentId", experimentId);
        }
        body.put("spec", Specs.quick(640, 1, Specs.adam(0.001), List.of(32), 1));
        body.put("params", params);
        body.put("tags", tags);
        body.put("resources", Map.of("labels", PARKED));
        return api.post("/api/v1/projects/" + projectId + "/runs", body).expect(201);
    }

    /** Stores metric points for a run: values[i] at step i + 1. */
    void metric(Api api, long projectId, long runId, String key, double... values) {
        List<Map<String, Object>> points = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            points.add(Map.of("key", key, "step", i + 1, "value", values[i]));
        }
        api.post("/api/v1/projects/" + projectId + "/runs/" + runId + "/metrics", Map.of("points", points)).expect(200);
    }

    JsonNode cancel(Api api, long projectId, long runId) {
        return api.post("/api/v1/projects/" + projectId + "/runs/" + runId + "/cancel", null).expect(200);
    }

    /** Every run of a listing, following nextCursor: {@code query} as the API takes it (without limit/cursor). */
    List<JsonNode> listRuns(Api api, long projectId, String query) {
        List<JsonNode> all = new ArrayList<>();
        String cursor = null;
        do {
            String q = query + (query.isEmpty() ? "" : "&") + "limit=500"
                    + (cursor == null ? "" : "&cursor=" + java.net.URLEncoder.encode(cursor, java.nio.charset.StandardCharsets.UTF_8));
            JsonNode page = api.getJson("/api/v1/projects/" + projectId + "/runs?" + q);
            page.get("items").forEach(all::add);
            cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
        } while (cursor != null);
        return all;
    }

    static Duration waitLong() {
        return Duration.ofMinutes(3);
    }

    // ------------------------------------------------------------------ the database

    /** A database of its own on the tests' PostgreSQL server, dropped when the JVM exits. */
    private static TestDatabase.Coordinates freshDatabase() {
        TestDatabase.Coordinates base = TestDatabase.get();
        String url = base.url();
        int query = url.indexOf('?');
        String plain = query < 0 ? url : url.substring(0, query);
        int slash = plain.lastIndexOf('/');
        String name = plain.substring(slash + 1) + "_dashboard";
        String admin = plain.substring(0, slash + 1) + "postgres";
        try (Connection c = DriverManager.getConnection(admin, base.username(), base.password());
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the dashboard tests' database on " + admin + ": " + e, e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try (Connection c = DriverManager.getConnection(admin, base.username(), base.password());
                    Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            } catch (SQLException e) {
                System.err.println("[Dashboard] could not drop " + name + ": " + e.getMessage());
            }
        }, "drop-" + name));
        return new TestDatabase.Coordinates(plain.substring(0, slash + 1) + name, base.username(), base.password());
    }
}
