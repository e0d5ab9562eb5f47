package dev.trainyard.engine.backend.cpu;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CpuCachesTest {

    @Test
    void readsTheDataCachesOfLevelsOneAndTwoFromSysfs(@TempDir Path dir) throws IOException {
        cache(dir, 0, "1", "Data", "48K");
        cache(dir, 1, "1", "Instruction", "64K");
        cache(dir, 2, "2", "Unified", "2048K");
        cache(dir, 3, "3", "Unified", "491520K");
        assertEquals(new CpuCaches(48 * 1024, 2048 * 1024), CpuCaches.read(dir));
    }

    @Test
    void fallsBackToTheSmallerCachesOfCurrentCoresWhenSysfsHasNone(@TempDir Path dir) throws IOException {
        assertEquals(new CpuCaches(CpuCaches.DEFAULT_L1D, CpuCaches.DEFAULT_L2), CpuCaches.read(dir.resolve("missing")));
        cache(dir, 0, "1", "Data", "garbage");
        assertEquals(new CpuCaches(CpuCaches.DEFAULT_L1D, CpuCaches.DEFAULT_L2), CpuCaches.read(dir));
    }

    /** As glibc's {@code getconf -a} prints them on an AMD Zen 5 virtual machine with no cache directory in sysfs. */
    private static final String GETCONF = """
            LEVEL1_ICACHE_SIZE                 32768
            LEVEL1_ICACHE_ASSOC               \s
            LEVEL1_DCACHE_SIZE                 49152
            LEVEL1_DCACHE_ASSOC                12
            LEVEL2_CACHE_SIZE                  1048576
            LEVEL3_CACHE_SIZE                  532676608
            LEVEL4_CACHE_SIZE
            """;

    @Test
    void takesWhatSysfsDoesNotGiveFromGetconf(@TempDir Path dir) throws IOException {
        assertEquals(new CpuCaches(48 * 1024, 1024 * 1024), CpuCaches.read(dir.resolve("missing"), () -> GETCONF));
        cache(dir, 0, "1", "Data", "32K");
        assertEquals(new CpuCaches(32 * 1024, 1024 * 1024), CpuCaches.read(dir, () -> GETCONF));
        cache(dir, 1, "2", "Unified", "2048K");
        assertEquals(new CpuCaches(32 * 1024, 2048 * 1024), CpuCaches.read(dir, () -> {
            throw new AssertionError("getconf run although sysfs gave both sizes");
        }));
        assertEquals(new CpuCaches(CpuCaches.DEFAULT_L1D, CpuCaches.DEFAULT_L2),
                CpuCaches.read(dir.resolve("missing"), () -> "LEVEL1_DCACHE_SIZE\nLEVEL2_CACHE_SIZE 0\n"));
    }

    @Test
    void readsGetconfSizesByName() {
        assertEquals(49152, CpuCaches.getconfSize(GETCONF, "LEVEL1_DCACHE_SIZE"));
        assertEquals(532676608, CpuCaches.getconfSize(GETCONF, "LEVEL3_CACHE_SIZE"));
        assertEquals(-1, CpuCaches.getconfSize(GETCONF, "LEVEL4_CACHE_SIZE"));
        assertEquals(-1, CpuCaches.getconfSize(GETCONF, "LEVEL1_ICACHE_ASSOC"));
        assertEquals(-1, CpuCaches.getconfSize("", "LEVEL2_CACHE_SIZE"));
    }

    @Test
    void parsesSysfsSizes() {
        assertEquals(48 * 1024, CpuCaches.parseSize("48K"));
        assertEquals(1024 * 1024, CpuCaches.parseSize("1M\n"));
        assertEquals(32768, CpuCaches.parseSize("32768"));
        assertEquals(-1, CpuCaches.parseSize("0K"));
        assertEquals(-1, CpuCaches.parseSize(""));
        assertEquals(-1, CpuCaches.parseSize("12Q"));
    }

    @Test
    void theColumnBlockOfBFillsHalfOfL2InWholePanels() {
        int panelBytes = Gemm.KC * Gemm.NR * Float.BYTES;
        int nc = Gemm.columnBlock(2L * 1024 * 1024);
        assertEquals(0, nc % Gemm.NR);
        assertTrue((long) nc / Gemm.NR * panelBytes <= 1024 * 1024, "block of " + nc + " columns");
        assertTrue((long) (nc / Gemm.NR + 1) * panelBytes > 1024 * 1024, "block of " + nc + " columns");
        assertEquals(4 * Gemm.NR, Gemm.columnBlock(64 * 1024), "at least four panels");
    }

    private static void cache(Path dir, int index, String level, String type, String size) throws IOException {
        Path d = Files.createDirectories(dir.resolve("index" + index));
        Files.writeString(d.resolve("level"), level + "\n");
        Files.writeString(d.resolve("type"), type + "\n");
        Files.writeString(d.resolve("size"), size + "\n");
    }
}
