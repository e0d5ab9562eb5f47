package dev.trainyard.engine.backend.cpu;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The runs of two strided operands visit, in row-major order, exactly the storage positions {@link Strided#offsets} lists. */
class StridedRunsTest {

    @Test
    void contiguousOperandsAreOneRun() {
        List<int[]> runs = runs(new int[]{2, 3, 4}, new int[]{12, 4, 1}, 5, new int[]{12, 4, 1}, 0);
        assertEquals(1, runs.size());
        assertArrayEquals(new int[]{0, 5, 0, 24, 1, 1}, runs.get(0));
    }

    @Test
    void perChannelBiasRunsOverWholePlanes() {
        // [2, 3, 4, 4] activations plus a [3, 1, 1] bias broadcast (strides 0 along the plane)
        List<int[]> runs = runs(new int[]{2, 3, 4, 4}, new int[]{48, 16, 4, 1}, 0, new int[]{0, 1, 0, 0}, 7);
        assertEquals(6, runs.size());
        assertArrayEquals(new int[]{16, 16, 8, 16, 1, 0}, runs.get(1));
        assertArrayEquals(new int[]{48, 48, 7, 16, 1, 0}, runs.get(3));
        assertMatchesOffsets(new int[]{2, 3, 4, 4}, new int[]{48, 16, 4, 1}, 0, new int[]{0, 1, 0, 0}, 7);
    }

    @Test
    void visitsTheOffsetsOfTransposedBroadcastAndSizeOneViews() {
        assertMatchesOffsets(new int[]{3, 5}, new int[]{1, 3}, 2, new int[]{5, 1}, 0);
        assertMatchesOffsets(new int[]{4, 1, 3}, new int[]{3, 9, 1}, 0, new int[]{0, 0, 1}, 4);
        assertMatchesOffsets(new int[]{2, 3, 2, 2}, new int[]{1, 2, 12, 6}, 1, new int[]{12, 4, 2, 1}, 0);
        assertMatchesOffsets(new int[]{1, 1, 6}, new int[]{6, 6, 2}, 3, new int[]{0, 0, 0}, 9);
    }

    @Test
    void scalarIsOneRunOfOneAndEmptyShapeHasNone() {
        List<int[]> scalar = runs(new int[]{}, new int[]{}, 4, new int[]{}, 2);
        assertEquals(1, scalar.size());
        assertArrayEquals(new int[]{0, 4, 2, 1, 0, 0}, scalar.get(0));
        assertEquals(0, runs(new int[]{3, 0, 2}, new int[]{2, 2, 1}, 0, new int[]{2, 2, 1}, 0).size());
        assertEquals(0, runs(new int[]{0}, new int[]{1}, 0, new int[]{0}, 0).size());
    }

    private static void assertMatchesOffsets(int[] shape, int[] sa, int oa, int[] sb, int ob) {
        int[] expectedA = Strided.offsets(shape, sa, oa);
        int[] expectedB = Strided.offsets(shape, sb, ob);
        int[] gotA = new int[expectedA.length];
        int[] gotB = new int[expectedB.length];
        int visited = 0;
        for (int[] run : runs(shape, sa, oa, sb, ob)) {
            assertEquals(visited, run[0], "runs are consecutive in the output");
            for (int j = 0; j < run[3]; j++) {
                gotA[run[0] + j] = run[1] + j * run[4];
                gotB[run[0] + j] = run[2] + j * run[5];
            }
            visited += run[3];
        }
        assertEquals(expectedA.length, visited);
        assertArrayEquals(expectedA, gotA);
        assertArrayEquals(expectedB, gotB);
    }

    /** Each run as {out, a, b, len, aStride, bStride}. */
    private static List<int[]> runs(int[] shape, int[] sa, int oa, int[] sb, int ob) {
        List<int[]> runs = new ArrayList<>();
        for (Strided.Runs r = Strided.runs(shape, sa, oa, sb, ob); r.next(); ) {
            runs.add(new int[]{r.out, r.a, r.b, r.len, r.aStride, r.bStride});
        }
        return runs;
    }
}
