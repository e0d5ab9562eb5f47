package dev.trainyard.worker.devices;

import dev.trainyard.worker.client.ClientRecords.Gpu;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JCuda probe without an NVIDIA driver (and without a GPU): no GPUs, a reason, never an exception. */
class JCudaGpuProbeTest {
    @TempDir
    Path dir;

    @Test
    void withoutTheDriverThereAreNoGpusAndTheReasonNamesLibcuda() {
        // directories without the driver, so the test means the same on a machine that has one
        GpuProbe.Discovery d = new JCudaGpuProbe(List.of(dir, dir.resolve("lib64"))).discover();

        assertEquals(List.of(), d.gpus());
        assertTrue(d.whyNone().startsWith("libcuda.so.1 (the NVIDIA driver) not found in "), d.whyNone());
        assertTrue(d.whyNone().contains(dir.resolve("lib64").toString()), d.whyNone());
        assertTrue(d.summary().startsWith("no CUDA devices: libcuda.so.1"), d.summary());
    }

    @Test
    void theDefaultProbeNeverThrowsAndEitherFindsGpusOrSaysWhyNot() {
        GpuProbe.Discovery d = new JCudaGpuProbe().discover();

        assertTrue(d.gpus().isEmpty() != (d.whyNone() == null), d.summary());
        if (d.gpus().isEmpty()) {
            assertTrue(d.whyNone().contains("libcuda.so.1"), d.whyNone());
        }
    }

    @Test
    void aDriverLibraryJCudaCannotLoadBecomesTheReasonEveryTime() throws Exception {
        // an empty libcuda.so.1: the probe goes on to load JCuda's native binding, which cannot link against it
        Path fake = Files.createFile(dir.resolve("libcuda.so.1"));
        JCudaGpuProbe probe = new JCudaGpuProbe(List.of(dir));

        GpuProbe.Discovery first = probe.discover();
        assertEquals(List.of(), first.gpus());
        // JCuda found its binding (unpacked from jcuda-natives into the class path), which then needs the real driver
        assertTrue(first.whyNone().startsWith(fake + " is present, but JCuda's driver binding cannot be loaded: "
                + "UnsatisfiedLinkError: "), first.whyNone());
        assertTrue(first.whyNone().endsWith("libJCudaDriver-12.6.0-linux-x86_64.so: libcuda.so.1: cannot open shared "
                + "object file: No such file or directory"), first.whyNone());

        GpuProbe.Discovery second = probe.discover(); // JCudaDriver is now a class that failed to initialise
        assertEquals(List.of(), second.gpus());
        assertEquals(fake + " is present, but JCuda's driver binding cannot be loaded: NoClassDefFoundError: "
                + "Could not initialize class jcuda.driver.JCudaDriver", second.whyNone());
    }

    @Test
    void theSummaryNamesEachGpuByOrdinal() {
        GpuProbe.Discovery d = GpuProbe.Discovery.found(List.of(new Gpu("NVIDIA A100", 40_536), new Gpu("NVIDIA L4", 22_491)));

        assertNull(d.whyNone());
        assertEquals("2 CUDA devices: GPU 0 (NVIDIA A100, 40536 MB), GPU 1 (NVIDIA L4, 22491 MB) "
                + "(the engine has no CUDA backend yet: runs given GPUs train on the CPU)", d.summary());
    }

    @Test
    void noneNeedsAReasonAndFoundNeedsAGpu() {
        assertThrows(NullPointerException.class, () -> GpuProbe.Discovery.none(null));
        assertThrows(IllegalArgumentException.class, () -> GpuProbe.Discovery.found(List.of()));
    }
}
