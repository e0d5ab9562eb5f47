package dev.trainyard.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.platform.testing.Api;
import dev.trainyard.platform.testing.IntegrationTest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The dashboard app at {@code /}, here a small fake one under the test resources' {@code test-dashboard/}: its files
 * without authentication, the cache headers, precompressed siblings, the client-route fallback and the security
 * headers; the API keeps answering problem+json around it.
 */
class DashboardTest extends IntegrationTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private HttpResponse<byte[]> get(String path, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(api.uri(path)).GET();
        headers.forEach(b::header);
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static byte[] file(String name) {
        try (InputStream in = DashboardTest.class.getResourceAsStream("/test-dashboard/" + name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String header(HttpResponse<?> r, String name) {
        return r.headers().firstValue(name).orElse(null);
    }

    private static void assertSecurityHeaders(HttpResponse<?> r) {
        assertThat(header(r, "Content-Security-Policy")).isEqualTo("default-src 'self'; script-src 'self'; "
                + "style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; "
                + "object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'");
        assertThat(header(r, "X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(header(r, "Referrer-Policy")).isEqualTo("no-referrer");
    }

    private static void assertIndex(HttpResponse<byte[]> r) {
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(header(r, "Content-Type")).startsWith("text/html");
        assertThat(header(r, "Cache-Control")).isEqualTo("no-cache");
        assertThat(header(r, "Content-Encoding")).isNull();
        assertThat(r.body()).isEqualTo(file("index.html"));
        assertSecurityHeaders(r);
    }

    @Test
    void theAppIsServedAtTheRootWithoutAuthenticationAndNeverCached() {
        assertIndex(get("/", Map.of()));
        assertIndex(get("/index.html", Map.of()));
        assertIndex(get("/", Map.of("Accept", "text/html,application/xhtml+xml,*/*;q=0.8")));
    }

    @Test
    void hashedAssetsAreCachedForAYear() {
        HttpResponse<byte[]> js = get("/assets/app-abc123.js", Map.of());
        assertThat(js.statusCode()).isEqualTo(200);
        assertThat(header(js, "Content-Type")).startsWith("text/javascript");
        assertThat(js.body()).isEqualTo(file("assets/app-abc123.js"));
        assertThat(header(js, "Cache-Control").split(",\\s*"))
                .containsExactlyInAnyOrder("max-age=31536000", "public", "immutable");
        assertSecurityHeaders(js);
    }

    @Test
    void precompressedSiblingsAreSentWhenTheClientAcceptsThem() {
        HttpResponse<byte[]> br = get("/assets/app-abc123.js", Map.of("Accept-Encoding", "gzip, deflate, br"));
        assertThat(br.statusCode()).isEqualTo(200);
        assertThat(header(br, "Content-Encoding")).isEqualTo("br");
        assertThat(header(br, "Content-Type")).startsWith("text/javascript");
        assertThat(header(br, "Vary")).contains("Accept-Encoding");
        assertThat(br.body()).isEqualTo(file("assets/app-abc123.js.br"));
        assertThat(header(br, "Cache-Control")).contains("immutable");

        HttpResponse<byte[]> gz = get("/assets/app-abc123.js", Map.of("Accept-Encoding", "gzip"));
        assertThat(header(gz, "Content-Encoding")).isEqualTo("gzip");
        assertThat(gz.body()).isEqualTo(file("assets/app-abc123.js.gz"));

        HttpResponse<byte[]> notBrotli = get("/assets/app-abc123.js", Map.of("Accept-Encoding", "br;q=0, gzip"));
        assertThat(header(notBrotli, "Content-Encoding")).isEqualTo("gzip");
        HttpResponse<byte[]> plain = get("/assets/app-abc123.js", Map.of("Accept-Encoding", "identity"));
        assertThat(header(plain, "Content-Encoding")).isNull();
        assertThat(plain.body()).isEqualTo(file("assets/app-abc123.js"));

        HttpResponse<byte[]> index = get("/", Map.of("Accept-Encoding", "br"));
        assertThat(header(index, "Content-Encoding")).isEqualTo("br");
        assertThat(header(index, "Content-Type")).startsWith("text/html");
        assertThat(header(index, "Cache-Control")).isEqualTo("no-cache");
        assertThat(index.body()).isEqualTo(file("index.html.br"));
    }

    @Test
    void clientRoutesFallBackToTheIndex() {
        assertIndex(get("/projects/3/runs", Map.of()));
        assertIndex(get("/login", Map.of()));
        assertIndex(get("/runs/v1.2", Map.of("Accept", "text/html")));
        HttpResponse<byte[]> compressed = get("/compare", Map.of("Accept-Encoding", "gzip"));
        assertThat(header(compressed, "Content-Encoding")).isEqualTo("gzip");
        assertThat(compressed.body()).isEqualTo(file("index.html.gz"));
    }

    @Test
    void missingFilesAreNotFoundProblemsNotTheIndex() {
        for (String path : new String[] {"/assets/app-old999.js", "/assets/nothing", "/favicon.ico"}) {
            HttpResponse<byte[]> r = get(path, Map.of());
            assertThat(r.statusCode()).as(path).isEqualTo(404);
            assertThat(header(r, "Content-Type")).as(path).startsWith("application/problem+json");
        }
    }

    @Test
    void unknownApiPathsStayProblemsAndNeedAToken() {
        TestUser alice = newUser("alice");
        for (String accept : new String[] {"application/json", "text/html"}) {
            Api.Response r = api.send("GET", "/api/v1/no-such-thing", alice.token(), Map.of("Accept", accept), null);
            assertProblem(r, 404);
            assertThat(r.body()).doesNotContain("fake dashboard");
        }
        assertProblem(api.get("/api/v1/no-such-thing", null), 401);
        assertProblem(api.send("GET", "/api/v1/projects/", null, Map.of("Accept", "text/html"), null), 401);
        assertProblem(api.get("/actuator/nothing", null), 401);
        // and a path that dresses the API up as the app is not the app
        assertThat(get("//api/v1/projects", Map.of()).statusCode()).isEqualTo(401);
        assertThat(get("/x/../api/v1/projects", Map.of()).statusCode()).isIn(400, 401);
    }

    @Test
    void apiResponsesCarryNosniffButNoPagePolicy() {
        TestUser alice = newUser("alice");
        Api.Response r = api.get("/api/v1/users/me", alice.token());
        assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(r.header("Referrer-Policy")).isEqualTo("no-referrer");
        assertThat(r.header("Content-Security-Policy")).isNull();
    }
}
