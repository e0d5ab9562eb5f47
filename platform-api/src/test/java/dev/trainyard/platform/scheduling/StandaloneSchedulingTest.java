package dev.trainyard.platform.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trainyard.platform.PlatformApplication;
import dev.trainyard.platform.testing.Api;
import dev.trainyard.platform.testing.Specs;
import dev.trainyard.platform.web.ApiException;
import dev.trainyard.platform.web.Times;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The scheduler on H2 (./trainyard standalone): the portable claim behind the single-instance lock, polling instead
 * of LISTEN/NOTIFY, and the same matching, fencing, rescue, cancellation and limits as on PostgreSQL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StandaloneSchedulingTest {

    @TempDir
    static Path home;

    private ConfigurableApplicationContext app;
    private Api api;
    private JdbcClient jdbc;
    private String admin;
    private String fleet;
    private long project;

    @BeforeAll
    void start() throws Exception {
        app = new SpringApplicationBuilder(PlatformApplication.class).profiles("standalone")
                .run("--trainyard.home=" + home.resolve(".trainyard"), "--server.port=0",
                        "--spring.main.banner-mode=off",
                        // the API alone: no embedded worker to take the runs, no demo project
                        "--trainyard.standalone.worker.enabled=false", "--trainyard.standalone.demo.enabled=false",
                        "--trainyard.scheduling.rescue-interval=300ms", "--trainyard.scheduling.startup-grace=0s", "--trainyard.scheduling.backoff-base=1s");
        api = new Api(((WebServerApplicationContext) app).getWebServer().getPort());
        jdbc = app.getBean(JdbcClient.class);
        admin = Files.readString(home.resolve(".trainyard/admin-token")).strip();
        fleet = api.post("/api/v1/worker-tokens", admin, Map.of("name", "local")).json().get("token").stringValue();
        project = api.post("/api/v1/projects", admin, Map.of("name", "h2")).json().get("id").longValue();
        assertThat(app.getBean(Database.class)).isEqualTo(Database.H2);
    }

    @AfterAll
    void stop() {
        app.close();
    }

    private SchedulingTest.Worker register(String name, int cpus, int gpus, Map<String, String> labels) {
        List<Map<String, Object>> devices = new ArrayList<>();
        for (int i = 0; i < gpus; i++) {
            devices.add(Map.of("model", "RTX 4090", "memoryMb", 24576));
        }
        Api.Response r = api.post("/api/v1/workers", fleet, Map.of("name", name, "labels", labels,
                "devices", Map.of("cpus", cpus, "memoryMb", 65536, "gpus", devices)));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return new SchedulingTest.Worker(r.json().get("id").stringValue(), fleet, api);
    }

    private long submit(int gpus, Map<String, String> labels, int maxAttempts) {
        Api.Response r = api.post("/api/v1/projects/" + project + "/runs", admin, Map.of(
                "spec", Specs.spec("sgd", 0.1, 1),
                "resources", Map.of("cpus", 1, "gpus", gpus, "memoryMb", 1024, "labels", labels),
                "maxAttempts", maxAttempts));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("id").longValue();
    }

    private String status(long runId) {
        return jdbc.sql("SELECT status FROM runs WHERE id = :id").param("id", runId).query(String.class).single();
    }

    /**
     * Leaves nothing queued or running for the next test: runs first, then allocations, the order a rescuer pass
     * locks them in (as in {@link SchedulingTest}), so a pass taking back an earlier test's runs cannot deadlock it.
     */
    private void drain() {
        jdbc.sql("UPDATE runs SET status = 'CANCELLED' WHERE status IN ('QUEUED', 'RUNNING')").update();
        jdbc.sql("DELETE FROM allocations").update();
    }

    @Test
    void matchingFencingAndCancellationOnH2() {
        drain();
        SchedulingTest.Worker small = register("small", 8, 1, Map.of("gpu", "4090"));
        SchedulingTest.Worker big = register("big", 8, 2, Map.of("gpu", "4090"));
        long needsTwo = submit(2, Map.of("gpu", "4090"), 2);
        long wantsA100 = submit(0, Map.of("gpu", "a100"), 1);
        assertThat(small.leaseNow(4)).isEmpty();
        List<JsonNode> got = big.leaseNow(4);
        assertThat(got).extracting(r -> r.get("runId").longValue()).containsExactly(needsTwo);
        assertThat(got.getFirst().get("gpuIndices")).extracting(JsonNode::intValue).containsExactly(0, 1);
        assertThat(got.getFirst().get("spec").get("optimizer").get("lr").doubleValue()).isEqualTo(0.1);
        assertThat(got.getFirst().get("resources").get("labels").get("gpu").stringValue()).isEqualTo("4090");
        assertThat(status(wantsA100)).isEqualTo("QUEUED");

        // the rescuer takes the run back from a silent worker; the other worker resumes it; the first is fenced off
        jdbc.sql("UPDATE runs SET lease_expires_at = :t WHERE id = :id")
                .param("t", Sql.ts(Times.now().minusSeconds(1))).param("id", needsTwo).update();
        SchedulingTest.await("the rescuer on H2", 10, () -> status(needsTwo).equals("QUEUED"));
        jdbc.sql("UPDATE runs SET not_before = NULL WHERE id = :id").param("id", needsTwo).update();
        SchedulingTest.Worker rescuer = register("rescuer", 8, 2, Map.of("gpu", "4090"));
        assertThat(rescuer.leaseNow(1).getFirst().get("attempt").intValue()).isEqualTo(2);
        assertThat(big.report(needsTwo, 1, "SUCCEEDED").status()).isEqualTo(409);
        assertThat(big.heartbeat(needsTwo, 1).json().get("stop").get(0).get("reason").stringValue())
                .isEqualTo("LEASE_LOST");
        LeaseGuard guard = app.getBean(LeaseGuard.class);
        assertThatThrownBy(() -> guard.check(needsTwo, big.id(), 1)).isInstanceOf(ApiException.class);
        guard.check(needsTwo, rescuer.id(), 2);

        // cancellation through the heartbeat
        api.post("/api/v1/projects/" + project + "/runs/" + needsTwo + "/cancel", admin, null);
        assertThat(rescuer.heartbeat(needsTwo, 2).json().get("stop").get(0).get("reason").stringValue())
                .isEqualTo("CANCELLED");
        assertThat(rescuer.report(needsTwo, 2, "CANCELLED").status()).isEqualTo(200);
        assertThat(rescuer.get().get("allocations")).isEmpty();
    }

    @Test
    void aWaitingLeaseOnH2IsWokenByPolling() throws Exception {
        drain();
        SchedulingTest.Worker w = register("poller", 4, 0, Map.of());
        assertThat(app.getBean(QueueSignal.class).listening()).isFalse();
        CompletableFuture<Api.Response> waiting = CompletableFuture.supplyAsync(() -> w.lease(10, 1));
        Thread.sleep(500);
        long submitted = System.nanoTime();
        long id = submit(0, Map.of(), 1);
        Api.Response r = waiting.get(15, TimeUnit.SECONDS);
        assertThat(r.json().get("runs").get(0).get("runId").longValue()).isEqualTo(id);
        assertThat(Duration.ofNanos(System.nanoTime() - submitted)).as("the 1 s poll")
                .isLessThan(Duration.ofMillis(2500));
        long start = System.nanoTime();
        assertThat(w.lease(1, 1).json().get("runs")).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(900));
    }

    @Test
    void concurrentWorkersOnH2LeaseEachRunOnceWithinTheProjectLimit() throws Exception {
        drain();
        api.put("/api/v1/projects/" + project + "/run-limit", admin, Map.of("maxRunning", 25));
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ids.add(submit(0, Map.of(), 1));
        }
        List<SchedulingTest.Worker> workers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            workers.add(register("h2w" + i, 64, 0, Map.of()));
        }
        ConcurrentLinkedQueue<Long> leased = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(workers.size());
        List<Future<?>> jobs = new ArrayList<>();
        for (SchedulingTest.Worker w : workers) {
            jobs.add(pool.submit(() -> {
                List<JsonNode> got;
                while (!(got = w.leaseNow(2)).isEmpty()) {
                    got.forEach(r -> leased.add(r.get("runId").longValue()));
                }
                return null;
            }));
        }
        for (Future<?> job : jobs) {
            job.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        Set<Long> unique = new HashSet<>(leased);
        assertThat(leased).hasSize(25);
        assertThat(unique).hasSize(25);
        assertThat(ids).containsAll(unique);
        api.delete("/api/v1/projects/" + project + "/run-limit", admin);
    }
}
