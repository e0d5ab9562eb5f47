package dev.trainyard.worker.devices;

import dev.trainyard.worker.client.ClientRecords;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What this machine offers to runs: CPU cores, memory and (not yet) CUDA GPUs. */
public final class Devices {
    private static final List<String> CUDA_LIBRARY_DIRS = List.of("/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib",
            "/usr/local/cuda/lib64", "/usr/lib/wsl/lib");

    private Devices() {
    }

    /** The devices to register: {@code cpus}/{@code memoryMb} when given (> 0), otherwise detected; no GPUs yet. */
    public static ClientRecords.Devices detect(int cpus, int memoryMb) {
        return new ClientRecords.Devices(cpus > 0 ? cpus : Runtime.getRuntime().availableProcessors(),
                memoryMb > 0 ? memoryMb : physicalMemoryMb(), List.of());
    }

    static int physicalMemoryMb() {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        return (int) Math.min(Integer.MAX_VALUE, os.getTotalMemorySize() / (1024 * 1024));
    }

    /** Why no GPU is offered, for the log at start. */
    public static String whyNoGpus() {
        for (String dir : CUDA_LIBRARY_DIRS) {
            Path lib = Path.of(dir, "libcuda.so.1");
            if (Files.exists(lib)) {
                return "no CUDA devices offered: " + lib + " is present, but this worker has no CUDA backend yet "
                        + "(the engine runs on the CPU)";
            }
        }
        return "no CUDA devices: libcuda.so.1 not found in " + String.join(", ", CUDA_LIBRARY_DIRS);
    }
}
