package dev.trainyard.worker.devices;

/** {@code trainyard.worker.gpus}: whether the worker looks for CUDA GPUs. */
public enum GpuSetting {
    /** Probe for CUDA GPUs where the NVIDIA driver is installed. */
    AUTO,
    /** Offer no GPUs, without probing. */
    NONE
}
