package dev.trainyard.engine.backend.cpu;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JVM options that have C2 compile the Vector API kernels early (BENCHMARKS.md, "Session 7, eng-warmup") name
 * every engine class that imports jdk.incubator.vector, the same way in the launcher, the worker's image and the bench
 * scripts, which also give C2 the same thresholds (ten times the defaults, the CPU backend scaled back to them;
 * BENCHMARKS.md, "Session 15, eng-jit" and "Session 22") and strip-mine loops on CPUs without AVX-512 (BENCHMARKS.md,
 * "Session 16"), and pass the compiler directives that keep C2 from compiling the Vector API's own methods apart from
 * the kernels (BENCHMARKS.md, "Session 21"); a JVM accepts them printing only that it added the directives, and then
 * C2 compiles the GEMM's kernel but no Vector API method, and compiles a kernel class's method sooner than the rest of
 * the backend's and the engine's glue later than both.
 */
class JitOptionsTest {
    private static final Path REPO = Path.of("..");
    private static final List<String> FILES_WITH_OPTIONS = List.of("trainyard", "training-worker/docker-entrypoint.sh",
            "bench/lib/engine-jit-options.sh");
    private static final String STRIP_MINING = "-XX:+UseCountedLoopSafepoints -XX:LoopStripMiningIter=1000";
    private static final Path DIRECTIVES = REPO.resolve("engine/jit-directives.json");
    private static final String UNLOCK = "-XX:+UnlockDiagnosticVMOptions";
    private static final String DIRECTIVES_ADDED = "1 compiler directives added";
    private static final Pattern COMMAND = Pattern.compile("-XX:CompileCommand=[^'\"\\s]+");
    private static final Pattern C2_THRESHOLD = Pattern.compile("-XX:Tier4\\w+Threshold=\\d+");
    /** Ten times the JVM's defaults, and the on-stack one ten times the 2,000,000 the launchers gave before. */
    private static final List<String> C2_THRESHOLDS = List.of("-XX:Tier4InvocationThreshold=50000",
            "-XX:Tier4MinInvocationThreshold=6000", "-XX:Tier4CompileThreshold=150000", "-XX:Tier4BackEdgeThreshold=20000000");
    /** The CPU backend's classes back at the JVM's default thresholds; first, as HotSpot takes the last that matches. */
    private static final String BACKEND_SCALED = "-XX:CompileCommand=CompileThresholdScaling,dev.trainyard.engine.backend.cpu.*::*,0.1";
    private static final Pattern SCALED_CLASS =
            Pattern.compile("-XX:CompileCommand=CompileThresholdScaling,([\\w.]+?)\\*?::\\*,0\\.005");

    @Test
    void everyVectorApiClassIsCompiledEarlyByEveryLauncher() throws IOException {
        Set<String> vectorClasses = vectorApiClasses();
        assertTrue(vectorClasses.contains("dev.trainyard.engine.backend.cpu.Gemm"), vectorClasses.toString());
        for (String file : FILES_WITH_OPTIONS) {
            List<String> commands = commands(file);
            assertEquals("-XX:CompileCommand=quiet", commands.getFirst(), file + ": quiet first, or the JVM prints each command");
            assertEquals(BACKEND_SCALED, commands.get(1), file + ": the backend's scaling before the kernels'");
            Set<String> scaled = new TreeSet<>();
            for (String command : commands.subList(2, commands.size())) {
                Matcher m = SCALED_CLASS.matcher(command);
                assertTrue(m.matches(), file + ": unexpected " + command);
                scaled.add(m.group(1));
            }
            assertEquals(vectorClasses, scaled, file);
        }
    }

    @Test
    void everyLauncherGivesTheSameC2Thresholds() throws IOException {
        for (String file : FILES_WITH_OPTIONS) {
            assertEquals(C2_THRESHOLDS, c2Thresholds(file), file);
        }
    }

    @Test
    void everyLauncherStripMinesLoopsOnCpusWithoutAvx512() throws IOException {
        for (String file : List.of("trainyard", "bench/lib/engine-jit-options.sh")) {
            String text = Files.readString(REPO.resolve(file));
            assertTrue(text.contains("if ! grep -qw avx512f /proc/cpuinfo"), file + ": not chosen by the CPU");
            assertTrue(text.contains("+=(" + STRIP_MINING + ")"), file + ": no " + STRIP_MINING);
        }
        // the worker image's entrypoint reads the node's CPU where the container starts (DeploymentFilesTest runs it)
        String entrypoint = Files.readString(REPO.resolve("training-worker/docker-entrypoint.sh"));
        assertTrue(entrypoint.contains("if ! grep -qw avx512f \"$cpuinfo\""), "entrypoint: not chosen by the CPU");
        assertTrue(entrypoint.contains("node_options=\"" + STRIP_MINING + "\""), "entrypoint: no " + STRIP_MINING);
    }

    @Test
    void everyLauncherPassesTheCompilerDirectives() throws IOException {
        Map<String, String> files = Map.of("trainyard", "\"-XX:CompilerDirectivesFile=$ROOT/engine/jit-directives.json\"",
                "bench/lib/engine-jit-options.sh", "/engine/jit-directives.json\"",
                "training-worker/docker-entrypoint.sh", UNLOCK + " -XX:CompilerDirectivesFile=/app/jit-directives.json \\");
        for (var file : files.entrySet()) {
            String text = Files.readString(REPO.resolve(file.getKey()));
            int directives = text.indexOf(file.getValue());
            assertTrue(directives > 0, file.getKey() + ": no " + file.getValue());
            int unlock = text.lastIndexOf(UNLOCK, directives);
            assertTrue(unlock > 0 && text.substring(unlock, directives).lines().count() <= 2,
                    file.getKey() + ": " + UNLOCK + " not right before the directives file");
        }
        assertTrue(Files.readString(REPO.resolve("training-worker/Dockerfile"))
                .contains("COPY engine/jit-directives.json /app/jit-directives.json\n"), "the worker image has the file");
        String json = Files.readString(DIRECTIVES);
        assertTrue(json.contains("match: [\"jdk/incubator/vector/*.*\", \"jdk/internal/vm/vector/*.*\"]"), json);
        assertTrue(json.contains("c2: { Exclude: true }") && !json.contains("c1:"), "C2 only: " + json);
    }

    @Test
    void aJvmAcceptsTheOptionsPrintingOnlyTheDirectivesAdded() throws Exception {
        List<String> command = launcherOptions();
        command.add("-version");
        String output = run(command);
        assertFalse(output.contains("CompileCommand"), output);
        // JAVA_TOOL_OPTIONS in the environment adds a line of its own
        List<String> lines = output.lines().filter(l -> !l.startsWith("Picked up JAVA_TOOL_OPTIONS")).toList();
        assertEquals(DIRECTIVES_ADDED, lines.getFirst(), output);
        assertEquals(1, lines.stream().filter(l -> !l.startsWith("openjdk") && !l.startsWith("OpenJDK")).count(), output);
    }

    /**
     * A JVM with the launcher's options running GEMMs until C2 compiles the micro-kernel: C2 compiles none of the
     * Vector API's methods on their own (the kernel inlines them), and without the directives it does. -Xbatch makes
     * each compile finish before the call goes on, so a loaded machine cannot end the JVM before C2 has got to them.
     */
    @Test
    void theDirectivesKeepC2ToTheKernels() throws Exception {
        List<String> command = launcherOptions();
        command.addAll(List.of("--add-modules", "jdk.incubator.vector", "-Xbatch", "-XX:+PrintCompilation", "-Dreps=300",
                "-Donly=square_128", "-Djava.util.concurrent.ForkJoinPool.common.parallelism=0", "-cp",
                System.getProperty("java.class.path"), GemmBench.class.getName()));
        Set<String> withDirectives = c2Compiled(run(command));
        assertTrue(withDirectives.contains("dev.trainyard.engine.backend.cpu.Gemm::microKernel"), withDirectives.toString());
        assertEquals(Set.of(), vectorApiMethods(withDirectives));

        command.remove("-XX:CompilerDirectivesFile=" + DIRECTIVES.toAbsolutePath().normalize());
        assertFalse(vectorApiMethods(c2Compiled(run(command))).isEmpty(), "without the directives C2 compiles them");
    }

    /**
     * A JVM with the launcher's options calling a kernel class's method, another backend method and one of the
     * engine's glue, each as often (not inlined, -Xbatch): after 3,000 calls C2 has compiled the kernel's (1/20 of the
     * JVM's thresholds) and not the backend's (the JVM's 5,000 calls); after 20,000 the backend's and not the glue's
     * (ten times the JVM's), which a JVM with its defaults compiles by then.
     */
    @Test
    void c2CompilesTheKernelsFirstAndTheGlueLast() throws Exception {
        String kernel = "dev.trainyard.engine.backend.cpu.Gemm::columnBlock";
        String backend = "dev.trainyard.engine.backend.cpu.CpuCaches::getconfSize";
        String glue = "dev.trainyard.engine.Shapes::numel";
        List<String> probe = new ArrayList<>(List.of("--add-modules", "jdk.incubator.vector", "-Xbatch",
                "-XX:+PrintCompilation", "-cp", System.getProperty("java.class.path")));
        for (String method : List.of(kernel, backend, glue)) {
            probe.add("-XX:CompileCommand=dontinline," + method);
        }
        probe.add(TierProbe.class.getName());

        Set<String> after3000 = c2Compiled(run(withArguments(launcherOptions(), probe, "3000")));
        assertTrue(after3000.contains(kernel), after3000.toString());
        assertFalse(after3000.contains(backend), after3000.toString());

        Set<String> after20000 = c2Compiled(run(withArguments(launcherOptions(), probe, "20000")));
        assertTrue(after20000.contains(backend), after20000.toString());
        assertFalse(after20000.contains(glue), after20000.toString());

        List<String> defaults = new ArrayList<>(List.of(javaCommand(), "-XX:CompileCommand=quiet"));
        Set<String> withDefaults = c2Compiled(run(withArguments(defaults, probe, "20000")));
        assertTrue(withDefaults.contains(glue), withDefaults.toString());
    }

    private static List<String> withArguments(List<String> options, List<String> probe, String calls) {
        List<String> command = new ArrayList<>(options);
        command.addAll(probe);
        command.add(calls);
        return command;
    }

    private static String javaCommand() {
        return ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
    }

    /** The launcher's JVM options (its CPU's strip mining aside), the directives file from this checkout. */
    private static List<String> launcherOptions() throws IOException {
        List<String> command = new ArrayList<>();
        command.add(javaCommand());
        command.addAll(c2Thresholds("trainyard"));
        command.add(UNLOCK);
        command.add("-XX:CompilerDirectivesFile=" + DIRECTIVES.toAbsolutePath().normalize());
        command.addAll(List.of(STRIP_MINING.split(" ")));
        command.addAll(commands("trainyard"));
        return command;
    }

    private static String run(List<String> command) throws Exception {
        Process java = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(java.waitFor(120, TimeUnit.SECONDS), output);
        assertEquals(0, java.exitValue(), output);
        return output;
    }

    /** The methods -XX:+PrintCompilation shows compiled at level 4 (C2): "time id [attributes] level name (size)". */
    private static Set<String> c2Compiled(String printCompilation) {
        Set<String> methods = new TreeSet<>();
        for (String line : printCompilation.lines().toList()) {
            String[] t = line.trim().split("\\s+");
            int i = 2;
            while (i < t.length && t[i].matches("[%sbn!]+")) {
                i++;
            }
            if (t.length > i + 1 && t[0].matches("\\d+") && t[1].matches("\\d+") && t[i].equals("4")) {
                methods.add(t[i + 1]);
            }
        }
        return methods;
    }

    private static Set<String> vectorApiMethods(Set<String> methods) {
        return methods.stream().filter(m -> m.startsWith("jdk.incubator.vector.") || m.startsWith("jdk.internal.vm.vector."))
                .collect(java.util.stream.Collectors.toCollection(TreeSet::new));
    }

    private static List<String> commands(String file) throws IOException {
        List<String> commands = new ArrayList<>();
        Matcher m = COMMAND.matcher(Files.readString(REPO.resolve(file)));
        while (m.find()) {
            commands.add(m.group());
        }
        assertFalse(commands.isEmpty(), file + " names no CompileCommand");
        return commands;
    }

    private static List<String> c2Thresholds(String file) throws IOException {
        List<String> options = new ArrayList<>();
        Matcher m = C2_THRESHOLD.matcher(Files.readString(REPO.resolve(file)));
        while (m.find()) {
            options.add(m.group());
        }
        return options;
    }

    private static Set<String> vectorApiClasses() throws IOException {
        Path main = Path.of("src/main/java");
        Set<String> classes = new TreeSet<>();
        try (Stream<Path> sources = Files.walk(main)) {
            for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                if (Files.readString(source).contains("\nimport jdk.incubator.vector.")) {
                    String name = main.relativize(source).toString();
                    classes.add(name.substring(0, name.length() - ".java".length()).replace('/', '.'));
                }
            }
        }
        return classes;
    }
}
