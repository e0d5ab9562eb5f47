package dev.trainyard.platform.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.platform.testing.Api;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Two platform-api instances on one database, 50 simulated workers: every run is leased exactly once, project limits
 * hold across instances, and a submission on one instance wakes a worker waiting on the other.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MultiInstanceTest extends SchedulingTest {

    private ConfigurableApplicationContext second;
    private Api secondApi;
    private TestUser alice;
    private long project;
    private String fleet;

    @BeforeEach
    void setUp() {
        if (second == null) {
            second = startSecondInstance();
            secondApi = new Api(port(second));
        }
        alice = newUser("alice");
        project = newProject(alice);
        fleet = workerToken();
    }

    @AfterAll
    void stopSecondInstance() {
        if (second != null) {
            second.close();
        }
    }

    /** Queues {@code n} runs of the project in one statement (1 CPU, 0 GPUs, 64 MiB, no labels). */
    private List<Long> queueRuns(long projectId, int n) {
        return jdbc.sql("""
                        INSERT INTO runs (project_id, name, spec, status, cpus, gpus, memory_mb, labels, created_by)
                        SELECT :p, 'bulk-' || g, CAST('{"dataset": {"name": "fashion-mnist"}, "model": {"builtin": "mlp"},
                               "optimizer": {"type": "adam"}, "epochs": 1}' AS jsonb),
                               'QUEUED', 1, 0, 64, CAST('{}' AS jsonb), :u
                        FROM generate_series(1, :n) AS g
                        RETURNING id""")
                .param("p", projectId).param("u", alice.id()).param("n", n)
                .query(Long.class).list();
    }

    private record Lease(String workerId, long runId, int attempt) {}

    /** Each worker leases (no waiting, 1 to 3 runs at a time) until a request comes back empty. */
    private List<Lease> drain(List<Worker> workers) throws Exception {
        ConcurrentLinkedQueue<Lease> leases = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(workers.size());
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> jobs = new ArrayList<>();
        AtomicInteger turn = new AtomicInteger();
        for (Worker w : workers) {
            int maxRuns = 1 + turn.getAndIncrement() % 3;
            jobs.add(pool.submit(() -> {
                start.await();
                while (true) {
                    List<JsonNode> got = w.leaseNow(maxRuns);
                    if (got.isEmpty()) {
                        return null;
                    }
                    got.forEach(r -> leases.add(new Lease(w.id(), r.get("runId").longValue(),
                            r.get("attempt").intValue())));
                }
            }));
        }
        start.countDown();
        for (Future<?> job : jobs) {
            job.get(5, TimeUnit.MINUTES);
        }
        pool.shutdown();
        return new ArrayList<>(leases);
    }

    @Test
    void fiftyWorkersOnTwoInstancesLeaseAThousandRunsEachExactlyOnce() throws Exception {
        List<Long> queued = queueRuns(project, 1000);
        List<Worker> workers = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            workers.add(register(i % 2 == 0 ? api : secondApi, fleet, "sim" + i, 1024, 1_000_000, 0, Map.of()));
        }
        List<Lease> leases = drain(workers);

        Map<Long, Integer> times = new HashMap<>();
        leases.forEach(l -> times.merge(l.runId(), 1, Integer::sum));
        assertThat(times.entrySet().stream().filter(e -> e.getValue() > 1).toList()).as("runs leased twice").isEmpty();
        assertThat(times.keySet()).as("every run leased").containsExactlyInAnyOrderElementsOf(queued);
        assertThat(leases).allSatisfy(l -> assertThat(l.attempt()).isEqualTo(1));
        Set<String> busy = new HashSet<>();
        leases.forEach(l -> busy.add(l.workerId()));
        assertThat(busy.size()).as("workers that got runs").isGreaterThan(25);

        assertThat(jdbc.sql("SELECT count(*) FROM runs WHERE project_id = :p AND status = 'RUNNING' AND attempt = 1")
                .param("p", project).query(Long.class).single()).isEqualTo(1000);
        assertThat(jdbc.sql("SELECT count(*), count(DISTINCT run_id) FROM run_attempts a JOIN runs r ON r.id = a.run_id"
                        + " WHERE r.project_id = :p").param("p", project)
                .query((rs, i) -> List.of(rs.getLong(1), rs.getLong(2))).single()).containsExactly(1000L, 1000L);
        Map<String, String> holder = new HashMap<>();
        leases.forEach(l -> holder.put(String.valueOf(l.runId()), l.workerId()));
        jdbc.sql("SELECT id, worker_id FROM runs WHERE project_id = :p").param("p", project).query(rs -> {
            assertThat(rs.getString("worker_id")).isEqualTo(holder.get(rs.getString("id")));
        });
        assertThat(jdbc.sql("SELECT count(*) FROM allocations a JOIN runs r ON r.id = a.run_id WHERE r.project_id = :p")
                .param("p", project).query(Long.class).single()).isEqualTo(1000);
    }

    @Test
    void aProjectLimitHoldsAcrossInstancesUnderConcurrentClaims() throws Exception {
        api.put("/api/v1/projects/" + project + "/run-limit", alice.token(), Map.of("maxRunning", 3));
        long other = newProject(alice);
        queueRuns(project, 60);
        List<Long> unlimited = queueRuns(other, 40);
        List<Worker> workers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            workers.add(register(i % 2 == 0 ? api : secondApi, fleet, "lim" + i, 1024, 1_000_000, 0, Map.of()));
        }
        List<Lease> leases = drain(workers);
        long limitedLeased = leases.stream().filter(l -> !unlimited.contains(l.runId())).count();
        assertThat(limitedLeased).as("runs of the project limited to 3").isEqualTo(3);
        assertThat(leases.size() - limitedLeased).as("the other project's runs").isEqualTo(40);
        assertThat(jdbc.sql("SELECT count(*) FROM runs WHERE project_id = :p AND status = 'RUNNING'")
                .param("p", project).query(Long.class).single()).isEqualTo(3);
    }

    @Test
    void aSubmissionOnOneInstanceWakesAWorkerWaitingOnTheOther() throws Exception {
        Worker waiting = register(secondApi, fleet, "far", 8, 1_000_000, 0, Map.of());
        await("the second instance to LISTEN", 10, () -> second.getBean(QueueSignal.class).listening());
        CompletableFuture<Api.Response> lease = CompletableFuture.supplyAsync(() -> waiting.lease(20, 1));
        Thread.sleep(700);
        long submitted = System.nanoTime();
        long id = submit(project, alice, runBody());
        Api.Response r = lease.get(20, TimeUnit.SECONDS);
        assertThat(r.json().get("runs").get(0).get("runId").longValue()).isEqualTo(id);
        assertThat(Duration.ofNanos(System.nanoTime() - submitted)).isLessThan(Duration.ofMillis(1500));
    }

    @Test
    void aRunLostOnOneInstanceIsResumedThroughTheOther() {
        Worker dies = register(api, fleet, "dies", 8, 1_000_000, 0, Map.of());
        Worker takesOver = register(secondApi, fleet, "takes-over", 8, 1_000_000, 0, Map.of());
        long id = submit(project, alice, with(runBody(), "maxAttempts", 2));
        assertThat(dies.leaseNow(1)).hasSize(1);
        expireLease(id);
        await("a rescuer (either instance's) to re-queue the run", 10, () -> status(id).equals("QUEUED"));
        endBackoff(id);
        JsonNode again = takesOver.leaseNow(1).getFirst();
        assertThat(again.get("attempt").intValue()).isEqualTo(2);
        assertProblem(dies.report(id, 1, "SUCCEEDED"), 409);
        assertThat(takesOver.report(id, 2, "SUCCEEDED").status()).isEqualTo(200);
    }
}
