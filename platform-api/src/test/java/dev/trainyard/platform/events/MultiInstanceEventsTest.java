package dev.trainyard.platform.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.platform.runs.RunStatus;
import dev.trainyard.platform.scheduling.LeaseGuard;
import dev.trainyard.platform.scheduling.SchedulingTest;
import dev.trainyard.platform.testing.Api;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Two platform-api instances on one PostgreSQL database: a stream opened on one sees what a worker wrote through
 * the other (relayed with NOTIFY), and a stream on the instance that took the writes sees each event once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MultiInstanceEventsTest extends SchedulingTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @Autowired
    private RunEventRelay relay;

    @Autowired
    private ApplicationEventPublisher events;

    @Autowired
    private PlatformTransactionManager transactions;

    private ConfigurableApplicationContext second;
    private Api secondApi;
    private TestUser alice;
    private long project;
    private long run;
    private String runPath;

    @BeforeEach
    void setUp() {
        if (second == null) {
            second = startSecondInstance();
            secondApi = new Api(port(second));
        }
        await("both instances to LISTEN for run events", 10,
                () -> relay.listening() && second.getBean(RunEventRelay.class).listening());
        alice = newUser("alice");
        project = newProject(alice);
        // the submission's status event reaches the second instance through NOTIFY, in its own time: wait until it
        // has (a project stream there sees it), or a run stream opened there next may get it after its snapshot
        try (SseStream projectOnB = SseStream.open(secondApi, "/api/v1/projects/" + project + "/events",
                alice.token())) {
            assertThat(projectOnB.next(WAIT).name()).isEqualTo("snapshot");
            run = submit(project, alice, runBody());
            projectOnB.await(WAIT, e -> e.name().equals("status") && e.json().get("runId").longValue() == run);
        }
        runPath = "/api/v1/projects/" + project + "/runs/" + run;
    }

    @AfterAll
    void stopSecondInstance() {
        if (second != null) {
            second.close();
        }
    }

    private SseStream open(Api on) {
        SseStream stream = SseStream.open(on, runPath + "/events", alice.token());
        assertThat(stream.status()).isEqualTo(200);
        assertThat(stream.next(WAIT).name()).isEqualTo("snapshot");
        return stream;
    }

    private static Api.Response workerPost(Worker w, long runId, String what, Object body) {
        Api.Response r = w.api().send("POST", "/api/v1/workers/" + w.id() + "/runs/" + runId + "/" + what, w.token(),
                Map.of(LeaseGuard.ATTEMPT_HEADER, "1"), body);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r;
    }

    /** The events until the run's SUCCEEDED status, and whatever else arrives within a second after it. */
    private static List<SseStream.Event> untilSucceeded(SseStream stream) throws InterruptedException {
        List<SseStream.Event> got = new ArrayList<>();
        SseStream.Event e;
        do {
            e = stream.next(WAIT);
            got.add(e);
        } while (!(e.name().equals("status") && e.json().get("to").stringValue().equals("SUCCEEDED")));
        Thread.sleep(1_000);
        got.addAll(stream.drain());
        return got;
    }

    private static List<String> named(List<SseStream.Event> events, String name) {
        return events.stream().filter(e -> e.name().equals(name)).map(SseStream.Event::data).toList();
    }

    @Test
    void aStreamOnOneInstanceSeesWhatAWorkerWroteThroughTheOtherAndTheWritersStreamSeesItOnce() throws Exception {
        try (SseStream onB = open(secondApi); SseStream onA = open(api)) {
            Worker worker = register(api, workerToken(), "writer", 8, 1_000_000, 0, Map.of());
            assertThat(worker.leaseNow(1)).hasSize(1);
            for (int batch = 0; batch < 3; batch++) {
                List<Map<String, Object>> points = new ArrayList<>();
                for (int step = batch * 10; step < batch * 10 + 10; step++) {
                    points.add(Map.of("key", "loss", "step", step, "value", 1.0 / (step + 1)));
                }
                workerPost(worker, run, "metrics", Map.of("points", points));
            }
            workerPost(worker, run, "logs", Map.of("lines", List.of(Map.of("seq", 0, "text", "epoch 1"),
                    Map.of("seq", 1, "text", "epoch 2", "stream", "stderr"))));
            workerPost(worker, run, "logs", Map.of("lines", List.of(Map.of("seq", 2, "text", "done"))));
            assertThat(worker.report(run, 1, "SUCCEEDED").status()).isEqualTo(200);

            for (SseStream stream : List.of(onB, onA)) {
                List<SseStream.Event> got = untilSucceeded(stream);
                List<JsonNode> statuses = named(got, "status").stream().map(Api.JSON::readTree).toList();
                assertThat(statuses).extracting(s -> s.get("from").stringValue() + ">" + s.get("to").stringValue())
                        .as("status events").containsExactly("QUEUED>RUNNING", "RUNNING>SUCCEEDED");
                assertThat(statuses).allSatisfy(s -> assertThat(s.get("attempt").intValue()).isEqualTo(1));

                List<JsonNode> metrics = named(got, "metrics").stream().map(Api.JSON::readTree).toList();
                assertThat(metrics.stream().mapToInt(m -> m.get("points").intValue()).sum()).as("points")
                        .isEqualTo(30);
                JsonNode loss = metrics.getLast().get("keys").get("loss");
                assertThat(loss.get("step").longValue()).isEqualTo(29);
                assertThat(loss.get("last").doubleValue()).isEqualTo(1.0 / 30);
                assertThat(loss.get("max").doubleValue()).isEqualTo(1.0);

                List<String> lines = new ArrayList<>();
                named(got, "logs").stream().map(Api.JSON::readTree).forEach(l -> {
                    assertThat(l.get("attempt").intValue()).isEqualTo(1);
                    l.get("lines").forEach(line -> lines.add(line.get("seq").longValue() + " "
                            + line.get("stream").stringValue() + " " + line.get("text").stringValue()));
                });
                assertThat(lines).as("log lines").containsExactly("0 stdout epoch 1", "1 stderr epoch 2",
                        "2 stdout done");
            }
        }
    }

    @Test
    void aLogBatchTooBigForOneNotificationArrivesWholeAndOnce() throws Exception {
        List<Map<String, Object>> sent = new ArrayList<>();
        for (int seq = 0; seq < 300; seq++) {
            // every hundredth line is too long for a notification of its own: the other instance reads it back
            String text = seq % 100 == 50 ? "long " + seq + " " + "z".repeat(10_000) : "line " + seq + " " + "w".repeat(90);
            sent.add(Map.of("seq", seq, "text", text));
        }
        try (SseStream onB = open(secondApi); SseStream onA = open(api)) {
            Api.Response r = api.post(runPath + "/logs", alice.token(), Map.of("lines", sent));
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            for (SseStream stream : List.of(onB, onA)) {
                List<JsonNode> lines = new ArrayList<>();
                while (lines.size() < sent.size()) {
                    stream.await(WAIT, e -> e.name().equals("logs")).json().get("lines").forEach(lines::add);
                }
                Thread.sleep(800);
                assertThat(stream.drain()).noneMatch(e -> e.name().equals("logs"));
                assertThat(lines).extracting(l -> l.get("seq").intValue())
                        .containsExactlyInAnyOrderElementsOf(sent.stream().map(l -> (Integer) l.get("seq")).toList());
                assertThat(lines).filteredOn(l -> l.get("seq").intValue() == 150).singleElement()
                        .satisfies(l -> assertThat(l.get("text").stringValue()).isEqualTo("long 150 " + "z".repeat(10_000)));
            }
        }
    }

    @Test
    void streamsEndWhenListeningResumesSoTheirClientsCatchUpOnWhatTheGapMissed() throws Exception {
        RunEventRelay relayB = second.getBean(RunEventRelay.class);
        try (SseStream onB = open(secondApi)) {
            long killed = jdbc.sql("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                    + " WHERE application_name = 'trainyard-listener' AND datname = current_database()")
                    .query(Long.class).single();
            assertThat(killed).as("listening connections terminated").isEqualTo(2);
            assertThat(onB.awaitEnd(WAIT)).as("the stream ended once LISTEN worked again").isTrue();
            await("both instances to LISTEN again", 15, () -> relay.listening() && relayB.listening());
        }
        assertThat(api.post(runPath + "/cancel", alice.token(), null).status()).isEqualTo(200);
        try (SseStream again = SseStream.open(secondApi, runPath + "/events", alice.token())) {
            SseStream.Event snapshot = again.next(WAIT);
            assertThat(snapshot.name()).isEqualTo("snapshot");
            assertThat(snapshot.data()).contains("CANCELLED");
        }
    }

    @Test
    void aStatusChangeThatRolledBackReachesNoInstance() throws Exception {
        TransactionTemplate tx = new TransactionTemplate(transactions);
        try (SseStream onB = open(secondApi)) {
            tx.executeWithoutResult(status -> {
                events.publishEvent(new RunStatusChanged(project, null, run, RunStatus.QUEUED, RunStatus.FAILED, 0,
                        Instant.now()));
                status.setRollbackOnly();
            });
            tx.executeWithoutResult(status -> events.publishEvent(new RunStatusChanged(project, null, run,
                    RunStatus.QUEUED, RunStatus.CANCELLED, 0, Instant.now())));
            JsonNode first = onB.await(WAIT, e -> e.name().equals("status")).json();
            assertThat(first.get("to").stringValue()).isEqualTo("CANCELLED");
            Thread.sleep(800);
            assertThat(onB.drain()).noneMatch(e -> e.name().equals("status"));
        }
    }
}
