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
