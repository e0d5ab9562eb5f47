package dev.trainyard.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * README promises that the build refuses an older JDK with a message saying to use JDK 25. The Maven JVM options
 * (.mvn/jvm.config) must not make an old JVM die before that ("Unrecognized option: --sun-misc-unsafe-memory-access").
 */
class OldJdkBuildTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void theWrapperOnAnOldJdkPrintsTheJdk25Message() throws Exception {
        Optional<Path> old = olderJdk();
        if (old.isPresent()) {
            Result r = run(List.of(ROOT.resolve("mvnw").toString(), "-q", "-N", "validate"), old.get());
            assertFalse(r.output.contains("Unrecognized option"), r.output);
            assertTrue(r.output.contains("Trainyard builds with JDK 25 or newer"), r.output);
            assertTrue(r.exit != 0, r.output);
        } else {
            // no older JDK on this machine: at least the options this JVM gets must be ones an old one may ignore
            String options = Files.readString(ROOT.resolve(".mvn/jvm.config")).strip();
            assertTrue(options.startsWith("-XX:+IgnoreUnrecognizedVMOptions"), options);
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>(List.of(java));
        command.addAll(List.of(Files.readString(ROOT.resolve(".mvn/jvm.config")).strip().split("\\s+")));
        command.add("-version");
        assertEquals(0, run(command, null).exit, "this JDK starts with .mvn/jvm.config");
    }

    /** A JDK older than 25 installed next to this one (Debian's default java 17, say). */
    private static Optional<Path> olderJdk() throws IOException {
        Path jvms = Path.of(System.getProperty("java.home")).getParent();
        try (Stream<Path> homes = Files.list(jvms)) {
            return homes.filter(h -> Files.isExecutable(h.resolve("bin/java")) && Files.isRegularFile(h.resolve("release")))
                    .filter(h -> feature(h) > 0 && feature(h) < 25)
                    .findFirst();
        }
    }

    private static int feature(Path home) {
        try {
            for (String line : Files.readAllLines(home.resolve("release"))) {
                if (line.startsWith("JAVA_VERSION=")) {
                    String v = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                    return Integer.parseInt(v.split("[.+-]")[0]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    private record Result(int exit, String output) {}

    private static Result run(List<String> command, Path javaHome) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
        if (javaHome != null) {
            pb.environment().put("JAVA_HOME", javaHome.toString());
            pb.environment().put("PATH", javaHome.resolve("bin") + ":" + System.getenv("PATH"));
        }
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "finished");
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
