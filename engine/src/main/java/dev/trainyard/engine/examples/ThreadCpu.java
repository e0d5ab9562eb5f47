package dev.trainyard.engine.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The CPU time of this process's threads by kind (the JIT compilers, the garbage collector, the threads that compute,
 * the rest), read from Linux's /proc/self/task: it tells warm-up's compiling from its running slow code. Empty
 * elsewhere or when not asked for.
 */
final class ThreadCpu {
    private static final Path TASKS = Path.of("/proc/self/task");
    private static final double TICKS_PER_SECOND = 100.0;
    private final boolean enabled;
    private Map<String, Long> start = Map.of();
    private long startFaults;

    ThreadCpu(boolean enabled) {
        this.enabled = enabled && Files.isDirectory(TASKS);
    }

    void mark() {
        if (enabled) {
            start = byKind();
            startFaults = pageFaults();
        }
    }

    /**
     * {@code " (jit A s, gc B s, compute C s, other D s, system E s, page faults F (jit a, gc b, compute c))"} since
     * {@link #mark()} (system: the part of all in the kernel; the faults also by the kind of thread that took them), or
     * "" when disabled.
     */
    String since() {
        if (!enabled) {
            return "";
        }
        Map<String, Long> now = byKind();
        StringBuilder out = new StringBuilder(" (");
        for (String kind : new String[] {"jit", "gc", "compute", "other", "system"}) {
            long ticks = now.getOrDefault(kind, 0L) - start.getOrDefault(kind, 0L);
            out.append(kind.equals("jit") ? "" : ", ").append(String.format(Locale.ROOT, "%s %.2f s", kind, ticks / TICKS_PER_SECOND));
        }
        out.append(", page faults ").append(pageFaults() - startFaults).append(" (");
        for (String kind : new String[] {"jit", "gc", "compute"}) {
            String key = "faults " + kind;
            out.append(kind.equals("jit") ? "" : ", ").append(kind).append(' ')
                    .append(now.getOrDefault(key, 0L) - start.getOrDefault(key, 0L));
        }
        return out.append("))").toString();
    }

    /** The process's minor page faults: first touches of memory the kernel then zeroes (system time). */
    private static long pageFaults() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[7]);
        } catch (IOException e) {
            return 0;
        }
    }

    /** CPU ticks (user + system) by thread kind ({@link #kind}), with "system" and "faults <kind>" besides. */
    static Map<String, Long> byKind() {
        Map<String, Long> ticks = new TreeMap<>();
        try (Stream<Path> tasks = Files.list(TASKS)) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (IOException gone) {
                    continue;
                }
                // pid (comm) state ...: utime and stime are fields 14 and 15, counted after the comm's closing paren
                int open = stat.indexOf('(');
                int close = stat.lastIndexOf(')');
                String comm = stat.substring(open + 1, close);
                String[] f = stat.substring(close + 2).split(" ");
                ticks.merge(kind(comm), Long.parseLong(f[11]) + Long.parseLong(f[12]), Long::sum);
                ticks.merge("system", Long.parseLong(f[12]), Long::sum);
                ticks.merge("faults " + kind(comm), Long.parseLong(f[7]), Long::sum);
            }
        } catch (IOException e) {
            return ticks;
        }
        return ticks;
    }

    static String kind(String comm) {
        if (comm.contains("CompilerThre")) {
            return "jit";
        }
        if (comm.startsWith("GC Thread") || comm.startsWith("VM Thread") || comm.startsWith("ParGC")) {
            return "gc";
        }
        if (comm.equals("main") || comm.startsWith("java") || comm.startsWith("ForkJoinPool")
                || comm.startsWith("trainyard-paral")) { // the engine's helpers (a thread's comm is 15 characters)
            return "compute";
        }
        return "other";
    }
}
