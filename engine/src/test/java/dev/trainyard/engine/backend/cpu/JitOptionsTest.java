package dev.trainyard.engine.backend.cpu;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
 * loops on CPUs without AVX-512 (BENCHMARKS.md, "Session 16"), and a JVM accepts them without printing anything.
 */
class JitOptionsTest {
    private static final Path REPO = Path.of("..");
    private static final List<String> FILES_WITH_OPTIONS = List.of("trainyard", "training-worker/docker-entrypoint.sh",
            "bench/lib/engine-jit-options.sh");
    private static final String STRIP_MINING = "-XX:+UseCountedLoopSafepoints -XX:LoopStripMiningIter=1000";
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
    void aJvmAcceptsTheOptionsSilently() throws Exception {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java"));
        command.add(backEdgeThreshold("trainyard"));
        command.addAll(List.of(STRIP_MINING.split(" ")));
        command.addAll(commands("trainyard"));
        command.add("-version");
        Process java = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(java.waitFor(60, TimeUnit.SECONDS), output);
        assertEquals(0, java.exitValue(), output);
        assertFalse(output.contains("CompileCommand"), output);
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
