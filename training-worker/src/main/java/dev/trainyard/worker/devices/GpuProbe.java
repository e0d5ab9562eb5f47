package dev.trainyard.worker.devices;

import dev.trainyard.worker.client.ClientRecords.Gpu;

import java.util.List;
import java.util.Objects;

/** Finds the CUDA GPUs this machine can offer to runs. */
@FunctionalInterface
public interface GpuProbe {

    /** Never throws: a machine without GPUs, driver or native library answers {@link Discovery#none}. */
    Discovery discover();

    /**
     * What a probe found: the GPUs (device order, so list index = CUDA device ordinal), or none with the reason.
     *
     * @param gpus    the GPUs found
     * @param whyNone why there are none; null when some were found
     */
    record Discovery(List<Gpu> gpus, String whyNone) {
        public Discovery {
            gpus = List.copyOf(gpus);
            if (gpus.isEmpty()) {
                Objects.requireNonNull(whyNone, "a discovery without GPUs needs the reason");
            }
        }

        public static Discovery found(List<Gpu> gpus) {
            if (gpus.isEmpty()) {
                throw new IllegalArgumentException("found(...) needs at least one GPU; use none(reason)");
            }
            return new Discovery(gpus, null);
        }

        public static Discovery none(String why) {
            return new Discovery(List.of(), why);
        }

        /** One line for the worker's start log. */
        public String summary() {
            if (gpus.isEmpty()) {
                return "no CUDA devices: " + whyNone;
            }
            StringBuilder b = new StringBuilder(gpus.size() + " CUDA device" + (gpus.size() == 1 ? "" : "s") + ": ");
            for (int i = 0; i < gpus.size(); i++) {
                b.append(i == 0 ? "" : ", ").append("GPU ").append(i).append(" (").append(gpus.get(i).model()).append(", ")
                        .append(gpus.get(i).memoryMb()).append(" MB)");
            }
            return b.append(" (the engine has no CUDA backend yet: runs given GPUs train on the CPU)").toString();
        }
    }
}
