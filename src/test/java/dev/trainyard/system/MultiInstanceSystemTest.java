package dev.trainyard.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Two platform-api processes on one PostgreSQL database behind a round-robin load balancer, two workers reaching them
 * through it. A worker killed with SIGKILL while both instances run their rescuers: its run is taken back once, not
 * once per instance. Then one API process killed with SIGKILL while runs train: no run is leased twice, every metric
 * point is stored once, and a client of the killed instance's event stream reconnects to the other and catches up.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MultiInstanceSystemTest {
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(4);
    private static final ObjectMapper JSON = new ObjectMapper();

    private Cluster cluster;
    private RoundRobinProxy proxy;

    @RegisterExtension
    final TestWatcher printLogsOnFailure = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            if (cluster != null) {
                System.err.println("[" + context.getDisplayName() + " failed] the processes' logs:\n" + cluster.describeAll());
            }
        }
    };

    @AfterAll
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void runsTrainOnceWhileOneOfTwoApiInstancesIsKilled() throws Exception {
        cluster = new Cluster("multi-instance", Cluster.freshDatabase("multi")).start();
        String survivor = cluster.startSecondPlatform();
        proxy = new RoundRobinProxy(List.of(cluster.port(), cluster.secondPort()));
        cluster.pointWorkersAt(proxy.url());
        var launched = Map.of("worker-1", cluster.launchWorker("worker-1"), "worker-2", cluster.launchWorker("worker-2"));
        Map<String, String> ids = new LinkedHashMap<>();
        launched.forEach((name, at) -> ids.put(name, cluster.awaitWorker(name, at)));
        Runs runs = new Runs(cluster);

        // runs of 375 steps: worker-2 is still training its run when the test, having seen it hold one, kills it
        Map<Long, Map<String, Object>> submitted = new LinkedHashMap<>();
        for (int i = 1; i <= 2; i++) {
            Map<String, Object> spec = Specs.quick(24_000, 1, Specs.adam(0.001), List.of(128), i);
            submitted.put(runs.submit("multi-" + i, spec, 3), spec);
        }
        // worker-2 dies holding a run while both instances' rescuers look for expired leases
        long rescued = Poll.until("worker-2 to hold a run", RUN_TIMEOUT, Duration.ofMillis(100), () -> {
            JsonNode allocations = cluster.workerInfo(ids.get("worker-2")).get("allocations");
            return allocations.isEmpty() ? null : allocations.get(0).get("runId").asLong();
        }, cluster::describeAll);
        cluster.worker("worker-2").kill();
        runs.awaitStatus(rescued, RUN_TIMEOUT, "QUEUED");
        cluster.launchWorker("worker-2");

        // more runs, and one that trains until it is cancelled, which a dashboard follows on the instance about to
        // die until it has seen metrics arrive (a run that ends on its own may have sent its last step by the time
        // the dashboard connects: 94 steps train within one flush interval of the worker on a fast machine)
        for (int i = 3; i <= 4; i++) {
            Map<String, Object> spec = Specs.quick(6000, 1, Specs.adam(0.001), List.of(128), i);
            submitted.put(runs.submit("multi-" + i, spec, 3), spec);
        }
        long watched = runs.submit("multi-watched", Specs.untilCancelled(5), 3);
        runs.awaitStatus(watched, RUN_TIMEOUT, "RUNNING");
        EventStream first = EventStream.open(cluster.baseUrl() + cluster.runPath(watched, "/events"), cluster.api().token());
        assertEquals("snapshot", first.next(Duration.ofSeconds(30)).name());
        Event metrics = first.await(RUN_TIMEOUT, e -> e.name().equals("metrics") && lossStep(e) > 0);
        long seenStep = lossStep(metrics);
        assertTrue(proxy.forwardedTo(cluster.port()) > 0 && proxy.forwardedTo(cluster.secondPort()) > 0,
                "the workers' requests went to both instances");

        cluster.killPlatform();
        cluster.useApiAt(survivor);
        assertTrue(first.awaitEnd(Duration.ofSeconds(30)), "the killed instance's stream ends");

        // the client reconnects to the other instance: a fresh snapshot, then the run as it trains on
        EventStream second = EventStream.open(survivor + cluster.runPath(watched, "/events"), cluster.api().token());
        Event snapshot = second.next(Duration.ofSeconds(30));
        assertEquals("snapshot", snapshot.name());
        JsonNode caughtUp = snapshot.json();
        assertTrue(caughtUp.get("metrics").get("train/loss").get("step").asLong() >= seenStep,
                "the snapshot has caught up with what the first stream showed: " + caughtUp);
        second.await(RUN_TIMEOUT, e -> e.name().equals("metrics") && lossStep(e) > seenStep);
        cluster.api().post(cluster.runPath(watched, "/cancel"), null).expect(200);
        second.await(RUN_TIMEOUT, e -> e.name().equals("status") && e.data().contains("CANCELLED"));
        second.close();

        for (var e : submitted.entrySet()) {
            long run = e.getKey();
            JsonNode done = runs.awaitStatus(run, RUN_TIMEOUT, "SUCCEEDED");
            int attempts = run == rescued ? 2 : 1;
            assertEquals(attempts, done.get("attempt").asInt(), "run " + run + " was leased " + attempts + " time(s)\n" + done);
            assertEquals(attempts, done.get("attempts").size(), "run " + run + "'s attempts\n" + done);
            int steps = Specs.steps(e.getValue());
            assertEquals(Runs.oneTo(steps), runs.steps(run, "train/loss"), "run " + run + ": each step's loss once");
        }
        JsonNode cancelled = runs.get(watched);
        assertEquals("CANCELLED", cancelled.get("status").asText(), cancelled::toString);
        assertEquals(1, cancelled.get("attempts").size(), () -> "the watched run was leased once\n" + cancelled);
        List<Long> watchedSteps = runs.steps(watched, "train/loss");
        assertEquals(Runs.oneTo(watchedSteps.size()), watchedSteps, "the watched run: each step's loss once");
        assertTrue(watchedSteps.size() > seenStep, "the watched run trained on after the kill");
    }

    /** The step of train/loss in a metrics event. */
    private static long lossStep(Event metrics) {
        JsonNode loss = metrics.json().get("keys").get("train/loss");
        return loss == null ? -1 : loss.get("step").asLong();
    }

    record Event(String name, String data) {
        JsonNode json() {
            try {
                return JSON.readTree(data);
            } catch (IOException e) {
                throw new AssertionError("event " + name + " is not JSON: " + data, e);
            }
        }
    }

    /** A Server-Sent Event stream read on a thread of its own; its events and its end arrive on a queue. */
    static final class EventStream implements AutoCloseable {
        private static final Event END = new Event("", "");
        private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        private final Thread reader;
        private volatile boolean ended;

        private EventStream(HttpResponse<java.util.stream.Stream<String>> response) {
            reader = Thread.ofVirtual().start(() -> {
                String name = "message";
                List<String> data = new ArrayList<>();
                try {
                    for (String line : (Iterable<String>) response.body()::iterator) {
                        if (line.isEmpty()) {
                            if (!data.isEmpty()) {
                                events.add(new Event(name, String.join("\n", data)));
                            }
                            name = "message";
                            data.clear();
                        } else if (line.startsWith("event:")) {
                            name = line.substring(6).strip();
                        } else if (line.startsWith("data:")) {
                            data.add(line.substring(5).strip());
                        }
                    }
                } catch (RuntimeException broken) {
                    // the connection broke (a killed server): the stream ended
                } finally {
                    ended = true;
                    events.add(END);
                }
            });
        }

        static EventStream open(String url, String token) throws IOException, InterruptedException {
            HttpResponse<java.util.stream.Stream<String>> r = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                    .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream").GET().build(),
                    HttpResponse.BodyHandlers.ofLines());
            assertEquals(200, r.statusCode(), url);
            return new EventStream(r);
        }

        Event next(Duration timeout) throws InterruptedException {
            Event e = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (e == null || e == END) {
                throw new AssertionError(e == null ? "no event within " + timeout : "the stream ended");
            }
            return e;
        }

        Event await(Duration timeout, java.util.function.Predicate<Event> match) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                Event e = next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
                if (match.test(e)) {
                    return e;
                }
            }
        }

        boolean awaitEnd(Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!ended && System.nanoTime() < deadline) {
                events.poll(100, TimeUnit.MILLISECONDS);
            }
            return ended;
        }

        @Override
        public void close() {
            reader.interrupt();
        }
    }
}
