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
 * scripts, which also give the JIT the same on-stack threshold (BENCHMARKS.md, "Session 15, eng-jit") and strip-mine
 * loops on CPUs without AVX-512 (BENCHMARKS.md, "Session 16"), and pass the compiler directives that keep C2 from
 * compiling the Vector API's own methods apart from the kernels (BENCHMARKS.md, "Session 21"); a JVM accepts them
 * printing only that it added the directives, and then C2 compiles the GEMM's kernel but no Vector API method.
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
    private static final Pattern BACK_EDGE_THRESHOLD = Pattern.compile("-XX:Tier4BackEdgeThreshold=\\d+");
    private static final Pattern SCALED_CLASS =
            Pattern.compile("-XX:CompileCommand=CompileThresholdScaling,([\\w.]+?)\\*?::\\*,0\\.05");

    @Test
    void everyVectorApiClassIsCompiledEarlyByEveryLauncher() throws IOException {
        Set<String> vectorClasses = vectorApiClasses();
        assertTrue(vectorClasses.contains("dev.trainyard.engine.backend.cpu.Gemm"), vectorClasses.toString());
        for (String file : FILES_WITH_OPTIONS) {
            List<String> commands = commands(file);
            assertEquals("-XX:CompileCommand=quiet", commands.getFirst(), file + ": quiet first, or the JVM prints each command");
            Set<String> scaled = new TreeSet<>();
            for (String command : commands.subList(1, commands.size())) {
                Matcher m = SCALED_CLASS.matcher(command);
                assertTrue(m.matches(), file + ": unexpected " + command);
                scaled.add(m.group(1));
            }
            assertEquals(vectorClasses, scaled, file);
        }
    }

    @Test
    void everyLauncherGivesTheSameOnStackThreshold() throws IOException {
        String expected = backEdgeThreshold("bench/lib/engine-jit-options.sh");
        for (String file : FILES_WITH_OPTIONS) {
            assertEquals(expected, backEdgeThreshold(file), file);
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

    /** The launcher's JVM options (its CPU's strip mining aside), the directives file from this checkout. */
    private static List<String> launcherOptions() throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java"));
        command.add(backEdgeThreshold("trainyard"));
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

    private static String backEdgeThreshold(String file) throws IOException {
        Matcher m = BACK_EDGE_THRESHOLD.matcher(Files.readString(REPO.resolve(file)));
        assertTrue(m.find(), file + " gives no -XX:Tier4BackEdgeThreshold");
        String option = m.group();
        assertFalse(m.find(), file + " gives -XX:Tier4BackEdgeThreshold twice");
        return option;
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
