package dev.trainyard.engine.backend.cpu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The CPU's vendor as Linux's {@code /proc/cpuinfo} names it ({@code vendor_id}: {@link #INTEL}, {@code AuthenticAMD},
 * ...), read once; empty where it names none (another OS, another architecture). For choices measured to go
 * different ways on different vendors' cores.
 */
final class CpuVendor {
    static final String INTEL = "GenuineIntel";
    static final String CURRENT = read(Path.of("/proc/cpuinfo"));

    private CpuVendor() {
    }

    /** The first {@code vendor_id} in a cpuinfo file, or "" (no such line, no file). */
    static String read(Path cpuinfo) {
        try (var lines = Files.lines(cpuinfo)) {
            return lines.filter(line -> line.startsWith("vendor_id"))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim())
                    .findFirst().orElse("");
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
