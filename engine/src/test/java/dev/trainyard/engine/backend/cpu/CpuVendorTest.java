package dev.trainyard.engine.backend.cpu;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CpuVendorTest {

    @Test
    void theFirstVendorIdOfCpuinfoOrNothing(@TempDir Path dir) throws IOException {
        Path cpuinfo = dir.resolve("cpuinfo");
        Files.writeString(cpuinfo, "processor\t: 0\nvendor_id\t: GenuineIntel\ncpu family\t: 6\n\nprocessor\t: 1\n"
                + "vendor_id\t: GenuineIntel\n");
        assertEquals(CpuVendor.INTEL, CpuVendor.read(cpuinfo));
        Files.writeString(cpuinfo, "processor\t: 0\nvendor_id\t: AuthenticAMD\n");
        assertEquals("AuthenticAMD", CpuVendor.read(cpuinfo));
        // aarch64's cpuinfo names no vendor_id; a missing file is another OS
        Files.writeString(cpuinfo, "processor\t: 0\nBogoMIPS\t: 50.00\nCPU implementer\t: 0x41\n");
        assertEquals("", CpuVendor.read(cpuinfo));
        assertEquals("", CpuVendor.read(dir.resolve("missing")));
    }
}
