package dev.trainyard.platform.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.platform.testing.Api;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A lease request that finds nothing waits, up to 30 s: a submission wakes it at once through LISTEN/NOTIFY (the
 * re-poll while listening is every 3 s here, so a faster answer is the notification), and it answers with an empty
 * list when its wait is over.
 */
class LongPollTest extends SchedulingTest {

    @Autowired
    QueueSignal signal;

    private TestUser alice;
    private long project;
    private Worker worker;

    @BeforeEach
    void setUp() {
        alice = newUser("alice");
        project = newProject(alice);
        worker = register(workerToken(), "waiter", 8, 0, Map.of());
        await("LISTEN to be up", 10, signal::listening);
    }

    @Test
    void aWaitingLeaseWakesPromptlyWhenARunIsSubmitted() throws Exception {
        CompletableFuture<Api.Response> waiting = CompletableFuture.supplyAsync(() -> worker.lease(20, 1));
        Thread.sleep(700); // the request is waiting by now
        assertThat(waiting).isNotDone();
        long submitted = System.nanoTime();
        long id = submit(project, alice, runBody());
        Api.Response r = waiting.get(20, TimeUnit.SECONDS);
        Duration latency = Duration.ofNanos(System.nanoTime() - submitted);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("runs").get(0).get("runId").longValue()).isEqualTo(id);
        assertThat(latency).as("woken by NOTIFY, not by the 3 s re-poll").isLessThan(Duration.ofMillis(1500));
    }

    @Test
    void aWaitingLeaseAnswersEmptyWhenItsWaitIsOver() {
        long start = System.nanoTime();
        Api.Response r = worker.lease(2, 1);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("runs")).isEmpty();
        assertThat(took).isBetween(Duration.ofMillis(1900), Duration.ofMillis(4000));
    }

    @Test
    void twoWaitersOneRunOneGetsItTheOtherKeepsWaiting() throws Exception {
        Worker second = register(workerToken(), "waiter2", 8, 0, Map.of());
        CompletableFuture<Api.Response> a = CompletableFuture.supplyAsync(() -> worker.lease(3, 1));
        CompletableFuture<Api.Response> b = CompletableFuture.supplyAsync(() -> second.lease(3, 1));
        Thread.sleep(500);
        long id = submit(project, alice, runBody());
        List<Api.Response> answers = List.of(a.get(10, TimeUnit.SECONDS), b.get(10, TimeUnit.SECONDS));
        assertThat(answers).extracting(r -> r.json().get("runs").size()).containsExactlyInAnyOrder(0, 1);
        assertThat(answers.stream().filter(r -> r.json().get("runs").size() == 1).findFirst().orElseThrow()
                .json().get("runs").get(0).get("runId").longValue()).isEqualTo(id);
    }

    @Test
    void aRetriedRunWakesWaitersToo() throws Exception {
        long id = submit(project, alice, runBody());
        api.post("/api/v1/projects/" + project + "/runs/" + id + "/cancel", alice.token(), null);
        CompletableFuture<Api.Response> waiting = CompletableFuture.supplyAsync(() -> worker.lease(20, 1));
        Thread.sleep(700);
        long retried = System.nanoTime();
        api.post("/api/v1/projects/" + project + "/runs/" + id + "/retry", alice.token(), null);
        Api.Response r = waiting.get(20, TimeUnit.SECONDS);
        assertThat(r.json().get("runs").get(0).get("runId").longValue()).isEqualTo(id);
        assertThat(Duration.ofNanos(System.nanoTime() - retried)).isLessThan(Duration.ofMillis(1500));
    }
}
