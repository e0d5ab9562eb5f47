package dev.trainyard.engine.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Start-up and warm-up timestamps for {@code -Dtrainyard.bench.phases=true}: at each mark, one line on stderr with the
 * wall-clock time (epoch seconds, to compare with the launcher's own clock before {@code java} and after it exits),
 * the seconds since the process started (Linux's start time, 10 ms resolution), and CPU seconds (user + system) so
 * far: the process's, the calling thread's, the JIT compilers', the collector's, and the process's system time (from
 * /proc; no JMX, which would load its own classes). Silent when not asked for.
 */
final class Phases {
    private static final double TICKS_PER_SECOND = 100.0;
    private final boolean enabled;

    Phases(boolean enabled) {
        this.enabled = enabled;
    }

    /** Whether marks print: callers test it before building a phase's name, so a run without it builds none. */
    boolean enabled() {
        return enabled;
    }

    void mark(String phase) {
        if (!enabled) {
            return;
        }
        long nowNanos = System.currentTimeMillis() * 1_000_000L + System.nanoTime() % 1_000_000L;
        try {
            String[] process = fields("/proc/self/stat");
            String[] thread = fields("/proc/thread-self/stat");
            double uptime = Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split(" ")[0]);
            double sinceStart = uptime - Long.parseLong(process[19]) / TICKS_PER_SECOND;
            Map<String, Long> byKind = ThreadCpu.byKind();
            System.err.printf(Locale.ROOT, "phase %-22s at %.3f, %.2f s after start, cpu %.2f s (main thread %.2f s, jit %.2f s, "
                    + "gc %.2f s, system %.2f s)%n", phase, nowNanos / 1e9, sinceStart, cpu(process) / TICKS_PER_SECOND,
                    cpu(thread) / TICKS_PER_SECOND, byKind.getOrDefault("jit", 0L) / TICKS_PER_SECOND,
                    byKind.getOrDefault("gc", 0L) / TICKS_PER_SECOND,
                    Long.parseLong(process[12]) / TICKS_PER_SECOND);
        } catch (IOException | RuntimeException e) {
            System.err.printf(Locale.ROOT, "phase %-22s at %.3f%n", phase, nowNanos / 1e9);
        }
    }

    /** The fields after the command name's closing paren: state is [0], utime [11], stime [12], starttime [19]. */
    private static String[] fields(String stat) throws IOException {
        String line = Files.readString(Path.of(stat));
        return line.substring(line.lastIndexOf(')') + 2).split(" ");
    }

    private static long cpu(String[] f) {
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
}
