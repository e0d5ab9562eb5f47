package dev.trainyard.engine.backend.cpu;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;

/** What the running JVM's JIT does that the kernels' shapes depend on. */
final class JitFlags {
    private JitFlags() {
    }

    /**
     * Whether C2 strip-mines counted loops (LoopStripMiningIter above 0: the default with G1, ZGC and Shenandoah, off
     * with ParallelGC and SerialGC unless -XX:+UseCountedLoopSafepoints -XX:LoopStripMiningIter=1000 are given).
     * False when the JVM does not say (another VM, or no jdk.management module).
     */
    static boolean stripMinesLoops() {
        try {
            HotSpotDiagnosticMXBean hotSpot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            return hotSpot != null && Long.parseLong(hotSpot.getVMOption("LoopStripMiningIter").getValue()) > 0;
        } catch (RuntimeException | LinkageError notHotSpot) {
            return false;
        }
    }
}
