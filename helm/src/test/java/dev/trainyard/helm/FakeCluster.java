package dev.trainyard.helm;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.json.JsonMapper;

/**
 * The few endpoints of a Kubernetes API server that the chart's {@code lookup} calls reach: the v1 discovery document
 * and GET of a Secret (404 unless the test put one there). helm-java's template, unlike the helm CLI's, runs
 * {@code lookup} against the kubeconfig's cluster, and without a kubeconfig that is http://localhost:8080, a port other
 * programs on a shared machine use. The surefire configuration points KUBECONFIG at the file this writes, so no
 * request leaves this JVM, and a test can also show that an upgrade keeps the tokens a first install generated.
 */
final class FakeCluster {

    private static final JsonMapper JSON = new JsonMapper();
    private static final Map<String, Map<String, Object>> SECRETS = new ConcurrentHashMap<>();
    private static volatile HttpServer server;

    private FakeCluster() {}

    /** Starts the server (once per JVM) on a free loopback port and writes the kubeconfig KUBECONFIG names. */
    static synchronized void start() {
        if (server != null) {
            return;
        }
        String kubeconfig = System.getenv("KUBECONFIG");
        if (kubeconfig == null || kubeconfig.isBlank()) {
            throw new IllegalStateException("KUBECONFIG must name a file for the fake cluster (the pom sets it): "
                    + "without it helm-java's lookup calls http://localhost:8080");
        }
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            s.createContext("/", FakeCluster::handle);
            s.start();
            Path file = Path.of(kubeconfig);
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, """
                    apiVersion: v1
                    kind: Config
                    clusters:
                      - name: fake
                        cluster: {server: "http://127.0.0.1:%d"}
                    contexts:
                      - name: fake
                        context: {cluster: fake, namespace: %s}
                    current-context: fake
                    users: []
                    """.formatted(s.getAddress().getPort(), Chart.NAMESPACE));
            server = s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Makes a Secret exist in the cluster, as a first install would have left it. */
    static void putSecret(String namespace, String name, Map<String, String> base64Data) {
        SECRETS.put(namespace + "/" + name, Map.of("apiVersion", "v1", "kind", "Secret", "type", "Opaque",
                "metadata", Map.of("name", name, "namespace", namespace), "data", base64Data));
    }

    static void removeSecret(String namespace, String name) {
        SECRETS.remove(namespace + "/" + name);
    }

    private static void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if (path.equals("/api/v1")) {
            send(exchange, 200, Map.of("kind", "APIResourceList", "groupVersion", "v1", "resources", java.util.List.of(
                    Map.of("name", "secrets", "singularName", "secret", "namespaced", true, "kind", "Secret",
                            "verbs", java.util.List.of("get", "list")))));
            return;
        }
        if (path.equals("/api")) {
            send(exchange, 200, Map.of("kind", "APIVersions", "versions", java.util.List.of("v1")));
            return;
        }
        String[] parts = path.split("/");
        // /api/v1/namespaces/{ns}/secrets/{name}
        if (parts.length == 7 && parts[3].equals("namespaces") && parts[5].equals("secrets")) {
            var secret = SECRETS.get(parts[4] + "/" + parts[6]);
            if (secret != null) {
                send(exchange, 200, secret);
                return;
            }
            send(exchange, 404, Map.of("kind", "Status", "apiVersion", "v1", "status", "Failure", "reason", "NotFound",
                    "code", 404, "message", "secrets \"" + parts[6] + "\" not found",
                    "details", Map.of("name", parts[6], "kind", "secrets")));
            return;
        }
        send(exchange, 404, Map.of("kind", "Status", "apiVersion", "v1", "status", "Failure", "reason", "NotFound",
                "code", 404, "message", "the fake cluster has no " + path));
    }

    private static void send(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
