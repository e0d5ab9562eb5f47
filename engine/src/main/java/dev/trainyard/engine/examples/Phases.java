package dev.trainyard.engine.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

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
            long[] jitAndGc = jitAndGcTicks();
            System.err.printf(Locale.ROOT, "phase %-22s at %.3f, %.2f s after start, cpu %.2f s (main thread %.2f s, jit %.2f s, "
                    + "gc %.2f s, system %.2f s)%n", phase, nowNanos / 1e9, sinceStart, cpu(process) / TICKS_PER_SECOND,
                    cpu(thread) / TICKS_PER_SECOND, jitAndGc[0] / TICKS_PER_SECOND, jitAndGc[1] / TICKS_PER_SECOND,
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

    /** The CPU ticks of the C1/C2 compiler threads and of the collector's threads, as {@link ThreadCpu} sorts them. */
    private static long[] jitAndGcTicks() throws IOException {
        long[] ticks = new long[2];
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String line;
                try {
                    line = Files.readString(task.resolve("stat"));
                } catch (IOException gone) {
                    continue;
                }
                String comm = line.substring(line.indexOf('(') + 1, line.lastIndexOf(')'));
                String kind = ThreadCpu.kind(comm);
                if (kind.equals("jit") || kind.equals("gc")) {
                    ticks[kind.equals("jit") ? 0 : 1] += cpu(line.substring(line.lastIndexOf(')') + 2).split(" "));
                }
            }
        }
        return ticks;
    }

    private static long cpu(String[] f) {
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
}
