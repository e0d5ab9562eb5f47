package dev.trainyard.platform.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.platform.PlatformApplication;
import dev.trainyard.platform.testing.Api;
import dev.trainyard.platform.testing.IntegrationTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * {@code ./trainyard standalone} prints a one-click sign-in link beside the admin token, on every start; the link's
 * code signs a browser in once, as the admin. Without the web-ui module on the classpath, {@code /} says so.
 */
@ExtendWith(OutputCaptureExtension.class)
class SignInLinkTest {

    private static final Pattern LINK = Pattern.compile("Sign in: http://127\\.0\\.0\\.1:(\\d+)/#/login\\?code=(tyl_\\S+)");

    @TempDir
    Path workDir;

    private ConfigurableApplicationContext start(Path home, String... more) {
        List<String> args = new ArrayList<>(List.of("--trainyard.home=" + home, "--server.port=0",
                "--spring.main.banner-mode=off", "--trainyard.standalone.worker.enabled=false",
                "--trainyard.standalone.demo.enabled=false"));
        args.addAll(List.of(more));
        return new SpringApplicationBuilder(PlatformApplication.class).profiles("standalone")
                .run(args.toArray(String[]::new));
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    /** The codes of the links printed so far, checking that the last names the running server's port. */
    private static List<String> codes(CapturedOutput output, int port) {
        List<String> codes = new ArrayList<>();
        Matcher m = LINK.matcher(output.getAll());
        int lastPort = -1;
        while (m.find()) {
            codes.add(m.group(2));
            lastPort = Integer.parseInt(m.group(1));
        }
        assertThat(lastPort).isEqualTo(port);
        return codes;
    }

    @Test
    void theLinkPrintedAtStartSignsTheAdminInOnce(CapturedOutput output) throws Exception {
        Path home = workDir.resolve(".trainyard");
        try (ConfigurableApplicationContext app = start(home,
                "--trainyard.dashboard.location=" + IntegrationTest.TEST_DASHBOARD)) {
            int port = port(app);
            String all = output.getAll();
            assertThat(all).contains("Its API token, shown only this once");
            // printed after the admin token
            assertThat(all.indexOf("Sign in: ")).isGreaterThan(all.indexOf("Its API token, shown only this once"));
            List<String> codes = codes(output, port);
            assertThat(codes).hasSize(1);

            Api api = new Api(port);
            Api.Response page = api.get("/", null);
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.body()).contains("fake dashboard");

            Api.Response signedIn = api.post("/api/v1/session", null, Map.of("code", codes.getFirst()));
            assertThat(signedIn.status()).as(signedIn.toString()).isEqualTo(200);
            JsonNode me = signedIn.json().get("user");
            assertThat(me.get("user").get("username").stringValue()).isEqualTo("admin");
            assertThat(me.get("user").get("siteAdmin").booleanValue()).isTrue();
            assertThat(me.get("tokenScope").stringValue()).isEqualTo("admin");
            String cookie = signedIn.headers().allValues("Set-Cookie").getFirst().split(";")[0];
            Api.Response created = api.send("POST", "/api/v1/projects", null, Map.of("Cookie", cookie,
                    "X-CSRF-Token", signedIn.json().get("csrfToken").stringValue()), Map.of("name", "from-browser"));
            assertThat(created.status()).as(created.toString()).isEqualTo(201);

            Api.Response again = api.post("/api/v1/session", null, Map.of("code", codes.getFirst()));
            assertThat(again.status()).isEqualTo(401);
            assertThat(again.json().get("detail").stringValue()).contains("already used");

            // POST /api/v1/login-codes with the admin token makes another
            String token = Files.readString(home.resolve("admin-token")).strip();
            Api.Response another = api.post("/api/v1/login-codes", token, null);
            assertThat(another.status()).as(another.toString()).isEqualTo(201);
            assertThat(api.post("/api/v1/session", null, Map.of("code", another.json().get("code").stringValue()))
                    .status()).isEqualTo(200);
        }

        // every start prints a fresh link; a jar without the dashboard says so at /
        try (ConfigurableApplicationContext app = start(home, "--trainyard.dashboard.location=classpath:/no-dashboard/")) {
            int port = port(app);
            List<String> codes = codes(output, port);
            assertThat(codes).hasSize(2).doesNotHaveDuplicates();
            Api api = new Api(port);
            assertThat(api.post("/api/v1/session", null, Map.of("code", codes.getLast())).status()).isEqualTo(200);

            Api.Response root = api.get("/", null);
            assertThat(root.status()).as(root.toString()).isEqualTo(404);
            assertThat(root.contentType()).startsWith("application/problem+json");
            assertThat(root.json().get("detail").stringValue()).contains("dashboard is not part of this build",
                    "web-ui");
            assertThat(api.get("/v3/api-docs", null).json().get("paths").has("/")).isFalse();
        }
    }
}
