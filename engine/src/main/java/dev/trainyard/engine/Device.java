package dev.trainyard.engine;

import dev.trainyard.engine.backend.Kernels;
import dev.trainyard.engine.backend.cpu.CpuKernels;

/**
 * Where a tensor's storage lives, as in {@code torch.device}: {@code cpu} now, {@code cuda:N} once a CUDA backend
 * registers its kernels.
 */
public record Device(Type type, int index) {

    public enum Type { CPU, CUDA }

    public static final Device CPU = new Device(Type.CPU, -1);

    public Device {
        if (type == Type.CUDA && index < 0) {
            throw new IllegalArgumentException("cuda device index must be >= 0, got " + index);
        }
    }

    public static Device cuda(int index) {
        return new Device(Type.CUDA, index);
    }

    /** Parses {@code "cpu"}, {@code "cuda"} or {@code "cuda:1"}. */
    public static Device of(String spec) {
        String s = spec.trim().toLowerCase(java.util.Locale.ROOT);
        if (s.equals("cpu")) {
            return CPU;
        }
        if (s.equals("cuda")) {
            return cuda(0);
        }
        if (s.startsWith("cuda:")) {
            try {
                return cuda(Integer.parseInt(s.substring(5)));
            } catch (NumberFormatException e) {
                // fall through to the error below
            }
        }
        throw new IllegalArgumentException("unknown device '" + spec + "'; expected cpu, cuda or cuda:N");
    }

    /** The kernels that run ops for tensors on this device. */
    public Kernels kernels() {
        if (type == Type.CPU) {
            return CpuKernels.INSTANCE;
        }
        throw new UnsupportedOperationException("device " + this + " is not available: this build has no CUDA backend yet; use cpu");
    }

    @Override
    public String toString() {
        return type == Type.CPU ? "cpu" : "cuda:" + index;
    }
}
