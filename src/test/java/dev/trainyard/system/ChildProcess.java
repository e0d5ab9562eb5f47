package dev.trainyard.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Java child process (the platform or a worker) started from an executable jar with this JVM's {@code java}, its
 * stdout and stderr appended to one log file, so a failing test can show what it printed.
 */
final class ChildProcess {
    private final String name;
    private final List<String> command;
    private final Path log;
    private final java.util.Map<String, String> environment;
    private Process process;

    ChildProcess(String name, Path jar, List<String> jvmOptions, List<String> arguments, java.util.Map<String, String> environment,
            Path log) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(name + ": " + jar + " does not exist; build it first (./mvnw verify builds "
                    + "every module before the system tests)");
        }
        this.name = name;
        this.log = log;
        this.environment = java.util.Map.copyOf(environment);
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-jar");
        cmd.add(jar.toString());
        cmd.addAll(arguments);
        this.command = List.copyOf(cmd);
    }

    String name() {
        return name;
    }

    Path log() {
        return log;
    }

    /** Starts (or restarts) the process, appending to the same log. */
    synchronized ChildProcess start() {
        if (isAlive()) {
            throw new IllegalStateException(name + " is already running (pid " + process.pid() + ")");
        }
        try {
            Files.createDirectories(log.getParent());
            Files.writeString(log, "\n===== " + java.time.Instant.now() + " starting: " + String.join(" ", command) + "\n",
                    StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            pb.environment().putAll(environment);
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + String.join(" ", command), e);
        }
        return this;
    }

    synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** SIGTERM, then waits for the process to exit on its own (a graceful shutdown). */
    void terminate(java.time.Duration timeout) {
        stop(false, timeout);
    }

    /** SIGKILL: the process gets no chance to clean up. */
    void kill() {
        stop(true, java.time.Duration.ofSeconds(10));
    }

    private synchronized void stop(boolean forcibly, java.time.Duration timeout) {
        if (process == null || !process.isAlive()) {
            return;
        }
        if (forcibly) {
            process.destroyForcibly();
        } else {
            process.destroy();
        }
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError(name + " did not exit within " + timeout + " of SIGTERM; killed it.\n" + tail(60));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping " + name, e);
        }
    }

    /** The process's exit code, or null while it runs. */
    synchronized Integer exitCode() {
        return process == null || process.isAlive() ? null : process.exitValue();
    }

    /** The last lines of its log, headed by its name, for failure messages. */
    String tail(int lines) {
        try {
            if (!Files.exists(log)) {
                return "--- " + name + ": no log yet (" + log + ")\n";
            }
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            List<String> last = all.subList(Math.max(0, all.size() - lines), all.size());
            return "--- last " + last.size() + " lines of " + name + " (" + log + ")\n" + String.join("\n", last) + "\n";
        } catch (IOException | UncheckedIOException e) {
            return "--- " + name + ": cannot read " + log + ": " + e.getMessage() + "\n";
        }
    }

    String logText() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
