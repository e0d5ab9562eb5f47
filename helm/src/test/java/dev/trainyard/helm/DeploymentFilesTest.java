package dev.trainyard.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.trainyard.helm.Chart.Rendered;
import dev.trainyard.worker.WorkerProperties;
import dev.trainyard.worker.devices.GpuSetting;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The files that start Trainyard elsewhere than on this machine: the chart's containers, compose.yaml and the two
 * Dockerfiles. No container engine runs here, so what they would do is checked against the code that would run:
 * every TRAINYARD_ variable binds to a real setting of the process that gets it, and each Dockerfile copies what
 * Maven needs to build its jar.
 */
class DeploymentFilesTest {

    static final Path ROOT = Path.of(System.getProperty("trainyard.root", "..")).toAbsolutePath().normalize();

    @ParameterizedTest
    @ValueSource(strings = {"defaults", "external-s3-ingress", "pools-keda", "in-chart-postgresql", "minimal"})
    void everyChartVariableIsASettingOfTheProcessThatGetsIt(String valueSet) {
        Rendered r = Chart.template(valueSet);
        for (Deployment d : r.all(Deployment.class)) {
            Container c = d.getSpec().getTemplate().getSpec().getContainers().getFirst();
            Map<String, String> env = placeholders(c.getEnv());
            boolean platform = c.getName().equals("api");
            assertKnown(valueSet + ": " + d.getMetadata().getName(), env, platform);
            if (platform) {
                var settings = AppSettings.platform(env);
                assertEquals("ty_secret:TRAINYARD_BOOTSTRAP_ADMINTOKEN", AppSettings.get(settings.trainyard(), "bootstrap", "adminToken"));
                assertEquals("tyw_secret:TRAINYARD_BOOTSTRAP_WORKERTOKEN", AppSettings.get(settings.trainyard(), "bootstrap", "workerToken"));
                assertTrue(env.keySet().containsAll(AppSettings.databaseVariables()), valueSet + ": " + env.keySet());
            } else {
                WorkerProperties w = AppSettings.worker(env);
                assertEquals(URI.create("http://ty-trainyard-api.ml.svc:8080"), w.platformUrl());
                assertEquals(Duration.ofSeconds(60), w.shutdownTimeout());
                assertEquals(Path.of("/var/lib/trainyard-worker"), w.workDir());
                assertTrue(w.token().startsWith("tyw_secret:"), w.token());
            }
        }
    }

    @Test
    void s3SettingsOfTheChartBindToTheStoreItNames() {
        Container api = Chart.template("external-s3-ingress").one(Deployment.class, ChartTest.API).getSpec().getTemplate()
                .getSpec().getContainers().getFirst();
        Record store = AppSettings.platform(placeholders(api.getEnv())).artifacts();
        assertEquals("S3", AppSettings.get(store, "store").toString());
        assertEquals("trainyard-artifacts", AppSettings.get(store, "s3", "bucket"));
        assertEquals(URI.create("https://s3.eu-central-1.amazonaws.com"), AppSettings.get(store, "s3", "endpoint"));
        assertEquals("eu-central-1", AppSettings.get(store, "s3", "region"));
        assertEquals("prod", AppSettings.get(store, "s3", "prefix"));
        assertEquals(false, AppSettings.get(store, "s3", "pathStyle"));
        assertEquals("ty_secret:TRAINYARD_ARTIFACTS_S3_ACCESSKEY", AppSettings.get(store, "s3", "accessKey"));
        assertEquals("ty_secret:TRAINYARD_ARTIFACTS_S3_SECRETKEY", AppSettings.get(store, "s3", "secretKey"));
    }

    @Test
    void composeStartsPostgresqlMinioTheApiAndTwoWorkersWithRealSettings() throws IOException {
        JsonNode compose = readCompose();
        JsonNode services = compose.path("services");
        assertEquals(Set.of("postgres", "minio", "minio-bucket", "api", "worker-1", "worker-2"), names(services));

        Map<String, String> api = environment(services.path("api"));
        assertKnown("compose api", api, true);
        var platform = AppSettings.platform(api);
        assertEquals("S3", AppSettings.get(platform.artifacts(), "store").toString());
        assertEquals(URI.create("http://minio:9000"), AppSettings.get(platform.artifacts(), "s3", "endpoint"));
        assertEquals("trainyard", AppSettings.get(platform.artifacts(), "s3", "bucket"));
        assertEquals(api.get("TRAINYARD_BOOTSTRAP_ADMINTOKEN"), AppSettings.get(platform.trainyard(), "bootstrap", "adminToken"));
        assertEquals("jdbc:postgresql://postgres:5432/trainyard", api.get("TRAINYARD_DB_URL"));
        assertTrue(api.keySet().containsAll(AppSettings.databaseVariables()));
        assertEquals("production", api.get("SPRING_PROFILES_ACTIVE"));
        assertEquals("service_healthy", services.path("api").path("depends_on").path("postgres").path("condition").asText());

        for (String name : List.of("worker-1", "worker-2")) {
            Map<String, String> env = environment(services.path(name));
            assertKnown("compose " + name, env, false);
            WorkerProperties w = AppSettings.worker(env);
            assertEquals(URI.create("http://api:8080"), w.platformUrl());
            assertEquals(name, w.name());
            assertEquals(GpuSetting.NONE, w.gpus());
            assertEquals(Duration.ofSeconds(30), w.shutdownTimeout());
            assertEquals(api.get("TRAINYARD_BOOTSTRAP_WORKERTOKEN").replace("ty_", "tyw_"), w.token(),
                    "the workers use the worker token the API adopts");
            assertEquals("training-worker/Dockerfile", services.path(name).path("build").path("dockerfile").asText());
            assertTrue(seconds(services.path(name).path("stop_grace_period").asText()) > w.shutdownTimeout().toSeconds(),
                    "compose waits longer than the worker's shutdown");
        }
        assertEquals(services.path("postgres").path("environment").path("POSTGRES_PASSWORD").asText(),
                services.path("api").path("environment").path("TRAINYARD_DB_PASSWORD").asText());
        assertTrue(services.path("api").path("ports").get(0).asText().startsWith("127.0.0.1:"),
                "published on this machine only");
    }

    @ParameterizedTest
    @ValueSource(strings = {"platform-api", "training-worker"})
    void dockerfilesBuildTheirJarFromWhatTheyCopyAndRunItAsANonRootUser(String module) throws IOException {
        String dockerfile = Files.readString(ROOT.resolve(module).resolve("Dockerfile"));
        List<String> stages = matches(dockerfile, "(?m)^FROM (\\S+)");
        assertEquals(List.of("eclipse-temurin:25-jdk", "eclipse-temurin:25-jre"), stages);

        // every module of the reactor has its pom copied (Maven reads them all), and every source COPY exists
        Set<String> copied = new TreeSet<>();
        for (String line : matches(dockerfile, "(?m)^COPY (?!--from)(.+)$")) {
            String[] parts = line.trim().split("\\s+");
            for (int i = 0; i < parts.length - 1; i++) {
                if (parts[i].startsWith("--")) {
                    continue; // --chmod=...
                }
                assertTrue(Files.exists(ROOT.resolve(parts[i])), module + ": COPY " + parts[i] + " does not exist");
                copied.add(parts[i]);
            }
        }
        String rootPom = Files.readString(ROOT.resolve("pom.xml"));
        for (String m : matches(rootPom, "<module>([^<]+)</module>")) {
            assertTrue(copied.contains(m + "/pom.xml"), module + " does not copy " + m + "/pom.xml");
        }
        String modulePom = Files.readString(ROOT.resolve(module).resolve("pom.xml"));
        for (String dep : matches(modulePom, "<artifactId>trainyard-([a-z-]+)</artifactId>")) {
            if (Files.isDirectory(ROOT.resolve(dep))) {
                assertTrue(copied.contains(dep + "/src"), module + " needs " + dep + "/src to build");
            }
        }
        assertTrue(copied.contains(module + "/src"));
        assertTrue(dockerfile.contains("-pl " + module + " -am package -DskipTests"));

        // the jar it copies out is the one the module builds (its executable jar)
        String jar = module.equals("training-worker") ? "trainyard-training-worker-*-SNAPSHOT-exec.jar"
                : "trainyard-platform-api-*-SNAPSHOT.jar";
        assertTrue(dockerfile.contains(module + "/target/" + jar), module + ": copies " + jar);

        assertTrue(dockerfile.contains("USER 10001:10001"), module + " runs as root");
        assertTrue(dockerfile.contains("--uid 10001"));
        String entrypoint = matches(dockerfile, "(?ms)^ENTRYPOINT (\\[.*?\\])\\s*$").getFirst();
        JsonNode argv = Chart.YAML.readTree(entrypoint.replace("\\\n", ""));
        List<String> args = new ArrayList<>();
        argv.forEach(a -> args.add(a.asText()));
        if (module.equals("training-worker")) {
            // its script chooses some of the JVM's options by the node (workerEntrypointChoosesByTheNode)
            assertEquals(List.of("/app/docker-entrypoint.sh"), args);
            assertTrue(dockerfile.contains("COPY --chmod=0755 training-worker/docker-entrypoint.sh /app/docker-entrypoint.sh"));
        } else {
            assertEquals("java", args.getFirst());
            assertFalse(args.contains("jdk.incubator.vector"), module + ": " + args);
            assertEquals("/app/" + module + ".jar", args.getLast());
        }

        String ignore = Files.readString(ROOT.resolve(".dockerignore"));
        assertTrue(ignore.contains("**/target/"), "local build output stays out of the build context");
        for (String m : List.of("helm", "system-tests")) {
            assertTrue(ignore.contains("!" + m + "/pom.xml"), ".dockerignore keeps " + m + "/pom.xml");
        }
    }

    /**
     * The worker image's entrypoint, run by {@code sh} with a {@code java} on the PATH that prints its arguments: on an
     * AVX-512 node whose THP defrag mode is madvise (Debian's default) it starts the worker with the fixed options
     * only; on an AVX2 node set to defer+madvise it adds strip-mined loops and huge pages; the container's arguments
     * come last.
     */
    @Test
    void workerEntrypointChoosesByTheNode(@TempDir Path dir) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/bin/sh\nfor a in \"$@\"; do echo \"$a\"; done\n");
        assertTrue(java.toFile().setExecutable(true));
        Path avx512 = Files.writeString(dir.resolve("cpuinfo-avx512"),
                "processor\t: 0\nflags\t\t: fpu sse avx2 fma avx512f avx512dq avx512bw\n");
        Path avx2 = Files.writeString(dir.resolve("cpuinfo-avx2"), "processor\t: 0\nflags\t\t: fpu sse avx2 fma\n");
        Path madvise = Files.writeString(dir.resolve("defrag-madvise"), "always defer defer+madvise [madvise] never\n");
        Path deferMadvise = Files.writeString(dir.resolve("defrag-defer"), "always defer [defer+madvise] madvise never\n");

        List<String> plain = entrypoint(bin, avx512, madvise, "--spring.main.banner-mode=off");
        assertEquals(List.of("--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-XX:+UseParallelGC", "-XX:MaxNewSize=512m", "-XX:Tier4InvocationThreshold=50000",
                "-XX:Tier4MinInvocationThreshold=6000", "-XX:Tier4CompileThreshold=150000",
                "-XX:Tier4BackEdgeThreshold=20000000"), plain.subList(0, 9));
        assertEquals(List.of("-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-jar", "/app/training-worker.jar",
                "--spring.main.banner-mode=off"), plain.subList(plain.size() - 5, plain.size()));
        int backend = plain.indexOf("-XX:CompileCommand=CompileThresholdScaling,dev.trainyard.engine.backend.cpu.*::*,0.1");
        int kernels = plain.indexOf("-XX:CompileCommand=CompileThresholdScaling,dev.trainyard.engine.backend.cpu.Gemm*::*,0.005");
        assertTrue(backend > 0 && kernels > backend, "the kernels' scaling after the backend's: " + plain);
        int directives = plain.indexOf("-XX:CompilerDirectivesFile=/app/jit-directives.json");
        assertTrue(directives > 0 && plain.get(directives - 1).equals("-XX:+UnlockDiagnosticVMOptions"), plain.toString());
        assertFalse(plain.contains("-XX:+UseCountedLoopSafepoints") || plain.contains("-XX:+UseTransparentHugePages"),
                plain.toString());

        List<String> chosen = entrypoint(bin, avx2, deferMadvise);
        List<String> added = new ArrayList<>(chosen);
        added.removeAll(plain);
        assertEquals(List.of("-XX:+UseCountedLoopSafepoints", "-XX:LoopStripMiningIter=1000", "-XX:+UseTransparentHugePages"),
                added);
        assertEquals("/app/training-worker.jar", chosen.getLast());
    }

    private static List<String> entrypoint(Path bin, Path cpuinfo, Path thpDefrag, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("sh", ROOT.resolve("training-worker/docker-entrypoint.sh").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.environment().put("TRAINYARD_CPUINFO", cpuinfo.toString());
        pb.environment().put("TRAINYARD_THP_DEFRAG", thpDefrag.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        return out.lines().toList();
    }

    @Test
    void aMisspeltVariableIsFound() {
        var env = Map.of("TRAINYARD_WORKER_PLATFORMURL", "http://api:8080", "TRAINYARD_WORKER_MAXRUN", "2");
        assertEquals(List.of("TRAINYARD_WORKER_MAXRUN"), AppSettings.unread(env, false));
        assertEquals(List.of("TRAINYARD_WORKER_PLATFORMURL"), AppSettings.unread(Map.of("TRAINYARD_WORKER_PLATFORMURL", "x"), true),
                "a worker setting given to the platform");
        assertEquals(List.of(), AppSettings.unread(Map.of("TRAINYARD_ARTIFACTS_S3_PATHSTYLE", "true"), true),
                "a value equal to the default is still read");
    }

    /** The container's environment, each Secret reference replaced by a recognisable stand-in of the right form. */
    private static Map<String, String> placeholders(List<EnvVar> vars) {
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvVar v : vars) {
            if (v.getValue() != null) {
                env.put(v.getName(), v.getValue());
            } else if (v.getValueFrom().getSecretKeyRef() != null) {
                String prefix = v.getName().contains("WORKERTOKEN") || v.getName().equals("TRAINYARD_WORKER_TOKEN") ? "tyw_" : "ty_";
                env.put(v.getName(), prefix + "secret:" + v.getName());
            } else {
                env.put(v.getName(), "field:" + v.getValueFrom().getFieldRef().getFieldPath());
            }
        }
        return env;
    }

    private static void assertKnown(String where, Map<String, String> env, boolean platform) {
        assertEquals(List.of(), AppSettings.unread(env, platform), where + ": variables no setting reads");
        for (String name : env.keySet()) {
            assertTrue(name.startsWith("TRAINYARD_") || AppSettings.SPRING_SETTINGS.contains(name) || name.equals("PORT"),
                    where + ": " + name + " is neither Trainyard's nor a Spring Boot setting the files use");
        }
    }

    /** compose's environment, with ${VAR:?message} filled in as docker compose would from .env. */
    private static Map<String, String> environment(JsonNode service) {
        Map<String, String> env = new LinkedHashMap<>();
        for (var e : service.path("environment").properties()) {
            Matcher m = Pattern.compile("\\$\\{([A-Z_]+):\\?[^}]*}").matcher(e.getValue().asText());
            String value = m.replaceAll(r -> switch (r.group(1)) {
                case "TRAINYARD_ADMIN_TOKEN" -> "ty_" + "a".repeat(48);
                case "TRAINYARD_WORKER_TOKEN" -> "tyw_" + "a".repeat(48);
                default -> "password-" + r.group(1);
            });
            env.put(e.getKey(), value);
        }
        return env;
    }

    /**
     * compose.yaml as compose reads it: aliases resolved (snakeyaml-engine does; Jackson's tree keeps their names) and
     * merge keys applied.
     */
    private static JsonNode readCompose() throws IOException {
        var load = new org.snakeyaml.engine.v2.api.Load(org.snakeyaml.engine.v2.api.LoadSettings.builder().build());
        Object yaml = load.loadFromString(Files.readString(ROOT.resolve("compose.yaml")));
        return resolveMerges(Chart.YAML.valueToTree(yaml));
    }

    /** YAML merge keys (<<: *anchor), which compose applies and YAML 1.2 parsers leave as a plain key. */
    private static JsonNode resolveMerges(JsonNode node) {
        if (node instanceof ObjectNode o) {
            ObjectNode result = o.objectNode();
            JsonNode base = o.get("<<");
            if (base != null) {
                result.setAll((ObjectNode) resolveMerges(base));
            }
            for (var e : o.properties()) {
                if (!e.getKey().equals("<<")) {
                    result.set(e.getKey(), resolveMerges(e.getValue()));
                }
            }
            return result;
        }
        return node;
    }

    private static Set<String> names(JsonNode node) {
        return new TreeSet<>(node.propertyNames());
    }

    private static long seconds(String duration) {
        assertTrue(duration.matches("\\d+s"), duration);
        return Long.parseLong(duration.substring(0, duration.length() - 1));
    }

    private static List<String> matches(String text, String regex) {
        List<String> found = new ArrayList<>();
        Matcher m = Pattern.compile(regex).matcher(text);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }
}
