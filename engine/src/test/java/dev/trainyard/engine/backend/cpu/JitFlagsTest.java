package dev.trainyard.engine.backend.cpu;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The GEMM's register tile follows the JVM it runs in: strip mining read from the JVM agrees with the options it was
 * started with (the surefire executions start it with and without), and the tile's rows with both vector width and
 * strip mining.
 */
class JitFlagsTest {
    private static final List<String> JVM_OPTIONS = ManagementFactory.getRuntimeMXBean().getInputArguments();

    @Test
    void stripMiningIsReadFromTheJvmsOptions() {
        assertEquals(stripMiningExpected(), JitFlags.stripMinesLoops(), JVM_OPTIONS.toString());
    }

    @Test
    void registerTileRowsFollowTheVectorWidthAndStripMining() {
        int width = FloatVector.SPECIES_PREFERRED.length();
        int expected = width >= 16 || (width == 8 && stripMiningExpected()) ? 6 : 4;
        assertEquals(expected, Gemm.MR, "vectors of " + width + " floats, JVM options " + JVM_OPTIONS);
    }

    /** G1 (the default) strip-mines; the parallel and serial collectors only when told to. */
    private static boolean stripMiningExpected() {
        boolean toldTo = JVM_OPTIONS.contains("-XX:+UseCountedLoopSafepoints")
                && JVM_OPTIONS.stream().anyMatch(o -> o.matches("-XX:LoopStripMiningIter=[1-9][0-9]*"));
        boolean throughputCollector = JVM_OPTIONS.contains("-XX:+UseParallelGC") || JVM_OPTIONS.contains("-XX:+UseSerialGC");
        return toldTo || !throughputCollector;
    }
}
