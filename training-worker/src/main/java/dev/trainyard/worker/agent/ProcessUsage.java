package dev.trainyard.worker.agent;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** The worker process's CPU use since the previous sample (percent of one core, as top) and resident memory. */
final class ProcessUsage {
    private static final Path STATM = Path.of("/proc/self/statm");

    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private long lastCpuNanos = os.getProcessCpuTime();
    private long lastWallNanos = System.nanoTime();

    double cpuPercent() {
        long cpu = os.getProcessCpuTime();
        long wall = System.nanoTime();
        double percent = wall == lastWallNanos ? 0 : 100.0 * (cpu - lastCpuNanos) / (wall - lastWallNanos);
        lastCpuNanos = cpu;
        lastWallNanos = wall;
        return percent;
    }

    /** Resident set size from /proc on Linux; elsewhere the JVM heap in use. */
    double memoryMb() {
        try {
            String[] fields = Files.readString(STATM).trim().split("\\s+");
            return Long.parseLong(fields[1]) * 4096 / (1024.0 * 1024.0);
        } catch (IOException | RuntimeException e) {
            Runtime rt = Runtime.getRuntime();
            return (rt.totalMemory() - rt.freeMemory()) / (1024.0 * 1024.0);
        }
    }
}
