package dev.trainyard.engine.backend.cpu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The data cache sizes of the CPU the engine runs on, read once from Linux's {@code /sys/devices/system/cpu/cpu0/cache}
 * (each {@code index*} directory's level, type and size); a cache that cannot be read is taken to be of the size given
 * as its default (32 KiB L1d, 1 MiB L2: the smaller of current x86 cores).
 */
record CpuCaches(long l1d, long l2) {
    static final long DEFAULT_L1D = 32 * 1024;
    static final long DEFAULT_L2 = 1024 * 1024;
    static final CpuCaches CURRENT = read(Path.of("/sys/devices/system/cpu/cpu0/cache"));

    static CpuCaches read(Path dir) {
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
        return new CpuCaches(l1d > 0 ? l1d : DEFAULT_L1D, l2 > 0 ? l2 : DEFAULT_L2);
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
