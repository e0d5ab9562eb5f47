package dev.trainyard.engine.backend.cpu;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The data cache sizes of the CPU the engine runs on, read once from Linux's {@code /sys/devices/system/cpu/cpu0/cache}
 * (each {@code index*} directory's level, type and size), else from {@code getconf -a} (glibc reads them from CPUID;
 * virtual machines often have no cache directory in sysfs); a cache neither gives is taken to be of the size given as
 * its default (32 KiB L1d, 1 MiB L2: the smaller of current x86 cores).
 */
record CpuCaches(long l1d, long l2) {
    static final long DEFAULT_L1D = 32 * 1024;
    static final long DEFAULT_L2 = 1024 * 1024;
    static final CpuCaches CURRENT = read(Path.of("/sys/devices/system/cpu/cpu0/cache"), CpuCaches::getconf);

    static CpuCaches read(Path dir) {
        return read(dir, () -> "");
    }

    /** From sysfs's cache directory {@code dir}, then from {@code getconf}'s output for what sysfs did not give. */
    static CpuCaches read(Path dir, Supplier<String> getconf) {
        long l1d = 0;
        long l2 = 0;
        try (var entries = Files.newDirectoryStream(dir, "index*")) {
            for (Path index : entries) {
                String level = text(index.resolve("level"));
                String type = text(index.resolve("type"));
                long size = parseSize(text(index.resolve("size")));
                if (size <= 0) {
                    continue;
                }
                if ("1".equals(level) && ("Data".equals(type) || "Unified".equals(type))) {
                    l1d = size;
                } else if ("2".equals(level) && ("Data".equals(type) || "Unified".equals(type))) {
                    l2 = size;
                }
            }
        } catch (IOException | RuntimeException e) {
            // no sysfs (not Linux, a restricted container): the defaults below
        }
        if (l1d <= 0 || l2 <= 0) {
            String conf = getconf.get();
            l1d = l1d > 0 ? l1d : getconfSize(conf, "LEVEL1_DCACHE_SIZE");
            l2 = l2 > 0 ? l2 : getconfSize(conf, "LEVEL2_CACHE_SIZE");
        }
        return new CpuCaches(l1d > 0 ? l1d : DEFAULT_L1D, l2 > 0 ? l2 : DEFAULT_L2);
    }

    /** The bytes {@code getconf -a} gives for {@code name} (a line {@code NAME   49152}), or -1. */
    static long getconfSize(String output, String name) {
        for (String line : output.split("\n")) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length == 2 && fields[0].equals(name)) {
                return parseSize(fields[1]);
            }
        }
        return -1;
    }

    /** {@code getconf -a}'s output, or "" where it cannot run (no glibc getconf, no process spawning). */
    private static String getconf() {
        try {
            Process p = new ProcessBuilder("getconf", "-a").redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : "";
        } catch (IOException | RuntimeException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** A sysfs cache size ("48K", "2048K", "1M", "32768"): bytes, or -1 when it is not one. */
    static long parseSize(String text) {
        if (text == null || text.isBlank()) {
            return -1;
        }
        String s = text.trim().toUpperCase(Locale.ROOT);
        long unit = 1;
        char last = s.charAt(s.length() - 1);
        if (last == 'K' || last == 'M' || last == 'G') {
            unit = last == 'K' ? 1024L : last == 'M' ? 1024L * 1024 : 1024L * 1024 * 1024;
            s = s.substring(0, s.length() - 1);
        }
        try {
            long v = Long.parseLong(s);
            return v > 0 ? v * unit : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String text(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file).trim() : null;
    }
}
