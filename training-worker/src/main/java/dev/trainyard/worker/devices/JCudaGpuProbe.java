package dev.trainyard.worker.devices;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Discovers CUDA GPUs through JCuda's driver API, but only where the NVIDIA driver (libcuda.so.1) is installed:
 * without it loading JCuda's native library fails. Whatever goes wrong (no driver, a driver JCuda cannot load, a CUDA
 * error, JCuda missing from the class path) becomes the reason there are none; the worker never fails over it.
 */
public final class JCudaGpuProbe implements GpuProbe {
    static final String DRIVER_LIBRARY = "libcuda.so.1";
    private static final List<Path> DRIVER_DIRS = List.of(Path.of("/usr/lib/x86_64-linux-gnu"), Path.of("/usr/lib64"),
            Path.of("/usr/lib"), Path.of("/usr/local/cuda/lib64"), Path.of("/usr/lib/wsl/lib"));

    private final List<Path> driverDirs;

    /** Looks for the driver in LD_LIBRARY_PATH and the usual library directories. */
    public JCudaGpuProbe() {
        this(defaultDriverDirs());
    }

    /** Looks for the driver in these directories only. */
    JCudaGpuProbe(List<Path> driverDirs) {
        this.driverDirs = List.copyOf(driverDirs);
    }

    @Override
    public Discovery discover() {
        Optional<Path> driver = driverDirs.stream().map(d -> d.resolve(DRIVER_LIBRARY)).filter(Files::exists).findFirst();
        if (driver.isEmpty()) {
            return Discovery.none(DRIVER_LIBRARY + " (the NVIDIA driver) not found in "
                    + String.join(", ", driverDirs.stream().map(Path::toString).toList()));
        }
        try {
            return CudaDriverQuery.devices();
        } catch (LinkageError e) {
            // UnsatisfiedLinkError: the binding or the driver does not load; NoClassDefFoundError: JCuda is not on the
            // class path, or its native library failed to load on an earlier probe
            return Discovery.none(driver.get() + " is present, but JCuda's driver binding cannot be loaded: " + briefly(e));
        } catch (RuntimeException e) {
            return Discovery.none(driver.get() + " is present, but querying the CUDA devices failed: " + e);
        }
    }

    /**
     * JCuda's UnsatisfiedLinkError message holds the stack trace of each way it tried to load its library; the last
     * nested error is the telling one (e.g. "libcuda.so.1: cannot open shared object file").
     */
    static String briefly(Throwable e) {
        String message = String.valueOf(e.getMessage());
        String nested = "java.lang.UnsatisfiedLinkError: ";
        String brief = message.lines().filter(l -> l.startsWith(nested)).reduce((first, last) -> last)
                .map(l -> l.substring(nested.length())).orElse(message.lines().findFirst().orElse(message));
        return e.getClass().getSimpleName() + ": " + brief;
    }

    private static List<Path> defaultDriverDirs() {
        List<Path> dirs = new ArrayList<>();
        String ld = System.getenv("LD_LIBRARY_PATH");
        if (ld != null) {
            for (String d : ld.split(":")) {
                if (!d.isBlank()) {
                    dirs.add(Path.of(d));
                }
            }
        }
        DRIVER_DIRS.stream().filter(d -> !dirs.contains(d)).forEach(dirs::add);
        return dirs;
    }
}
