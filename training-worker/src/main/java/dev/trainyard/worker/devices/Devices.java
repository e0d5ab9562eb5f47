package dev.trainyard.worker.devices;

import dev.trainyard.worker.client.ClientRecords;

import java.lang.management.ManagementFactory;

/** What this machine offers to runs: CPU cores, memory and the CUDA GPUs a {@link GpuProbe} found. */
public final class Devices {

    private Devices() {
    }

    /** The devices to register: {@code cpus}/{@code memoryMb} when given (> 0), otherwise detected, and the GPUs found. */
    public static ClientRecords.Devices detect(int cpus, int memoryMb, GpuProbe.Discovery gpus) {
        return new ClientRecords.Devices(cpus > 0 ? cpus : Runtime.getRuntime().availableProcessors(),
                memoryMb > 0 ? memoryMb : physicalMemoryMb(), gpus.gpus());
    }

    static int physicalMemoryMb() {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        return (int) Math.min(Integer.MAX_VALUE, os.getTotalMemorySize() / (1024 * 1024));
    }
}
