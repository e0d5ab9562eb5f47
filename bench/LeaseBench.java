import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The driver of bench/leases (run it through that script): registers WORKERS workers, queues runs with SQL, and lets
 * every worker lease one run per request (no waiting) until the queue is empty, once to warm up and once measured.
 * Checks that every run was leased exactly once, then prints one line. Needs only the JDK and the PostgreSQL driver.
 * Setup calls use the JDK's HttpClient; the timed leasing uses {@link KeepAlive}, a bare HTTP/1.1 client.
 *
 * <p>Arguments: base URL, admin token, JDBC URL, database user, password, runs, workers.
 */
public class LeaseBench {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private static final Pattern ID = Pattern.compile("\"id\":(\\d+)");
    private static final Pattern WORKER_ID = Pattern.compile("\"id\":\"([^\"]+)\"");
    private static final Pattern TOKEN = Pattern.compile("\"token\":\"(tyw_[^\"]+)\"");
    private static final Pattern RUN_ID = Pattern.compile("\"runId\":(\\d+)");

    private static String base;

    public static void main(String[] args) throws Exception {
        base = args[0];
        String admin = args[1];
        int runs = Integer.parseInt(args[5]);
        int workerCount = Integer.parseInt(args[6]);
        try (Connection db = DriverManager.getConnection(args[2], args[3], args[4])) {
            long user = single(db, "SELECT id FROM users WHERE username = 'admin'");
            String fleet = find(TOKEN, post("/api/v1/worker-tokens", admin, "{\"name\":\"bench\"}"));
            List<String> workers = new ArrayList<>();
            for (int i = 0; i < workerCount; i++) {
                workers.add(find(WORKER_ID, post("/api/v1/workers", fleet, "{\"name\":\"bench-" + i
                        + "\",\"devices\":{\"cpus\":1024,\"memoryMb\":16777216}}")));
            }
            long warmup = Long.parseLong(find(ID, post("/api/v1/projects", admin, "{\"name\":\"warm-up\"}")));
            queue(db, warmup, user, Math.max(5000, runs / 2)); // long enough for the JIT to settle
            drain(fleet, workers);
            // the workers put the warm-up runs down again, so that both rounds start from empty workers
            db.createStatement().execute("DELETE FROM allocations");
            db.createStatement().execute("UPDATE runs SET status = 'SUCCEEDED' WHERE project_id = " + warmup);

            long project = Long.parseLong(find(ID, post("/api/v1/projects", admin, "{\"name\":\"measured\"}")));
            queue(db, project, user, runs);
            long start = System.nanoTime();
            List<Long> leased = drain(fleet, workers);
            double seconds = (System.nanoTime() - start) / 1e9;

            Set<Long> unique = new HashSet<>(leased);
            // claims, not statuses: on a slow machine a lease may run out (and the run be re-queued) before this
            long claims = single(db, "SELECT count(*) FROM run_attempts a JOIN runs r ON r.id = a.run_id"
                    + " WHERE r.project_id = " + project);
            if (leased.size() != runs || unique.size() != runs || claims != runs) {
                throw new IllegalStateException("expected each of " + runs + " runs leased once: got " + leased.size()
                        + " leases of " + unique.size() + " runs, " + claims + " claims recorded");
            }
            System.out.printf(Locale.ROOT, "leases: %d workers leased %d runs in %.1f s = %.0f leases/s (each run"
                    + " exactly once)%n", workerCount, runs, seconds, runs / seconds);
        }
    }

    private static void queue(Connection db, long project, long user, int n) throws Exception {
        try (PreparedStatement s = db.prepareStatement("""
                INSERT INTO runs (project_id, name, spec, status, cpus, gpus, memory_mb, labels, created_by)
                SELECT ?, 'bench-' || g, CAST('{"dataset": "fashion-mnist", "model": "mlp", "epochs": 1}' AS jsonb),
                       'QUEUED', 1, 0, 0, CAST('{}' AS jsonb), ?
                FROM generate_series(1, ?) AS g""")) {
            s.setLong(1, project);
            s.setLong(2, user);
            s.setInt(3, n);
            s.executeUpdate();
        }
        db.createStatement().execute("ANALYZE runs");
    }

    /** Every worker leases one run per request until it gets none; returns the runs leased. */
    private static List<Long> drain(String token, List<String> workers) throws Exception {
        ConcurrentLinkedQueue<Long> leased = new ConcurrentLinkedQueue<>();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(workers.size());
        List<Future<?>> jobs = new ArrayList<>();
        for (String worker : workers) {
            jobs.add(pool.submit(() -> {
                try (KeepAlive http = new KeepAlive(URI.create(base))) {
                    go.await();
                    while (true) {
                        String body = http.post("/api/v1/workers/" + worker + "/lease", token, "{\"maxRuns\":1}");
                        Matcher m = RUN_ID.matcher(body);
                        if (!m.find()) {
                            return null;
                        }
                        leased.add(Long.parseLong(m.group(1)));
                    }
                }
            }));
        }
        go.countDown();
        for (Future<?> job : jobs) {
            job.get();
        }
        pool.shutdown();
        return new ArrayList<>(leased);
    }

    /**
     * A bare HTTP/1.1 client on one kept-alive connection: the simulated workers share the machine with the server
     * and PostgreSQL, so the load generator should cost as little CPU as possible (the JDK's HttpClient costs several
     * times more per request). Understands Content-Length and chunked responses, which is all Tomcat sends here.
     */
    static final class KeepAlive implements AutoCloseable {
        private final URI base;
        private Socket socket;
        private OutputStream out;
        private InputStream in;

        KeepAlive(URI base) throws IOException {
            this.base = base;
            connect();
        }

        private void connect() throws IOException {
            socket = new Socket(base.getHost(), base.getPort());
            socket.setTcpNoDelay(true);
            out = new BufferedOutputStream(socket.getOutputStream());
            in = new BufferedInputStream(socket.getInputStream());
        }

        String post(String path, String token, String json) throws IOException {
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            out.write(("POST " + path + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                    + "\r\nAuthorization: Bearer " + token
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            String status = line();
            int length = -1;
            boolean chunked = false;
            boolean close = false;
            for (String h = line(); !h.isEmpty(); h = line()) {
                String lower = h.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Integer.parseInt(h.substring(15).trim());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                } else if (lower.startsWith("connection:") && lower.contains("close")) {
                    close = true; // Tomcat ends a connection after 100 requests
                }
            }
            ByteArrayOutputStream content = new ByteArrayOutputStream();
            if (chunked) {
                for (int size = Integer.parseInt(line().trim(), 16); size > 0; size = Integer.parseInt(line().trim(), 16)) {
                    content.write(in.readNBytes(size));
                    line();
                }
                line();
            } else if (length > 0) {
                content.write(in.readNBytes(length));
            }
            String text = content.toString(StandardCharsets.UTF_8);
            if (close) {
                socket.close();
                connect();
            }
            if (!status.contains(" 200 ")) {
                throw new IllegalStateException("POST " + path + ": " + status + " " + text);
            }
            return text;
        }

        private String line() throws IOException {
            StringBuilder sb = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new IOException("connection closed");
                }
                if (c != '\r') {
                    sb.append((char) c);
                }
            }
            return sb.toString();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static String post(String path, String token, String json) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException("POST " + path + ": " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    private static String find(Pattern p, String text) {
        Matcher m = p.matcher(text);
        if (!m.find()) {
            throw new IllegalStateException(p + " not in " + text);
        }
        return m.group(1);
    }

    private static long single(Connection db, String sql) throws Exception {
        try (ResultSet rs = db.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
