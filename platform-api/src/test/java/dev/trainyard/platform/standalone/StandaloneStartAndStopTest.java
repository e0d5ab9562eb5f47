package dev.trainyard.platform.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trainyard.platform.PlatformApplication;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./trainyard standalone} as a script sees it, in a child JVM: the admin token file exists when the "Started"
 * line README tells scripts to wait for is printed, and a SIGTERM stops it quietly, the embedded worker before the
 * database (no stack traces, no "Database is already closed", no 500 on the worker's deregistration).
 */
class StandaloneStartAndStopTest {

    @TempDir
    Path dir;

    @Test
    void theTokenIsWrittenBeforeStartedAndShutdownIsQuietWithTheWorkerStoppedFirst() throws Exception {
        Path home = dir.resolve(".trainyard");
        Path log = dir.resolve("standalone.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), PlatformApplication.class.getName(),
                "--spring.profiles.active=standalone", "--server.port=0", "--trainyard.home=" + home,
                "--trainyard.standalone.demo.enabled=false", "--spring.main.banner-mode=off")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            boolean tokenAtStarted = false;
            boolean started = false;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while (System.nanoTime() < deadline) {
                // one read of the log for both checks: on a fast machine "Started" and the worker's registration can
                // both appear between two reads, and the loop must not end before it has seen "Started"
                String text = Files.readString(log);
                if (!started && text.contains("Started PlatformApplication")) {
                    started = true;
                    tokenAtStarted = Files.exists(home.resolve("admin-token"));
                }
                if (text.contains("registered as worker")) {
                    break;
                }
                assertThat(p.isAlive()).as(text).isTrue();
                Thread.sleep(20);
            }
            assertThat(Files.readString(log)).contains("registered as worker");
            assertThat(started && tokenAtStarted).as("the admin token file exists when 'Started' is printed").isTrue();

            int before = Files.readAllLines(log).size();
            p.destroy(); // SIGTERM, as Ctrl-C or a service manager
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            List<String> all = Files.readAllLines(log);
            List<String> shutdown = all.subList(before, all.size());
            String text = "exit " + p.exitValue() + ", " + shutdown.size() + " lines after SIGTERM:\n"
                    + String.join("\n", shutdown);
            assertThat(text).doesNotContain("Exception", "ERROR", "already closed", "HTTP 500", "\tat ");
            assertThat(shutdown).as(text).noneMatch(l -> l.contains(" WARN "));
            int worker = indexOf(shutdown, "Stopping the embedded worker");
            int deregistered = indexOf(shutdown, "deregistered worker");
            int database = indexOf(shutdown, "HikariPool-1 - Shutdown initiated");
            assertThat(worker).as(text).isGreaterThanOrEqualTo(0);
            assertThat(deregistered).as(text).isGreaterThan(worker);
            assertThat(database).as(text).isGreaterThan(deregistered);
            assertThat(shutdown.size()).as(text).isLessThan(20);
        } finally {
            p.destroyForcibly();
        }
    }

    private static int indexOf(List<String> lines, String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i;
            }
        }
        return -1;
    }
}
