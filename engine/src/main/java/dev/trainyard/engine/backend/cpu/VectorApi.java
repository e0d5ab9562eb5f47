package dev.trainyard.engine.backend.cpu;

/**
 * Whether the CPU kernels use the JDK's Vector API. It lives in an incubator module that a JVM resolves only when
 * started with {@code --add-modules jdk.incubator.vector}; without it, or with {@code -Dtrainyard.engine.vector=false},
 * every kernel takes its plain Java loop (several times slower for matrix products) and a warning says so once. As in
 * Lucene's Panama vector code, the classes that touch {@code jdk.incubator.vector} are loaded only when it is enabled.
 */
public final class VectorApi {
    static final boolean ENABLED = decide();

    private VectorApi() {
    }

    /** Whether kernels may use {@code jdk.incubator.vector}; decided once, at first use. */
    public static boolean enabled() {
        return ENABLED;
    }

    private static boolean decide() {
        System.Logger log = System.getLogger("dev.trainyard.engine");
        if (!Boolean.parseBoolean(System.getProperty("trainyard.engine.vector", "true"))) {
            log.log(System.Logger.Level.INFO, "trainyard.engine.vector=false: the CPU kernels use plain Java loops");
            return false;
        }
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            log.log(System.Logger.Level.WARNING, "the JDK's Vector API is not available to Trainyard: start the JVM with "
                    + "--add-modules jdk.incubator.vector for SIMD kernels; until then the CPU kernels use plain Java "
                    + "loops, several times slower for matrix products and convolutions");
            return false;
        }
        return true;
    }
}
