package dev.trainyard.engine.backend;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ArrayCacheTest {
    private static final int N = ArrayCache.MIN_LENGTH;

    /** Room for three arrays of N floats. */
    private final ArrayCache<float[]> cache = new ArrayCache<>("test", float[]::new, 3L * N * Float.BYTES);

    private float[] give(int length) {
        float[] a = new float[length];
        cache.giveBack(a, length, Float.BYTES);
        return a;
    }

    @Test
    void aFullCacheDropsTheArraysGivenBackLongestAgoToMakeRoom() {
        float[] evaluation = give(2 * N);
        float[] first = give(N);
        assertEquals(3L * N * Float.BYTES, cache.freeBytes());
        float[] second = give(N);
        assertFalse(cache.isFree(evaluation, 2 * N), "the oldest array made room");
        assertTrue(cache.isFree(first, N));
        assertTrue(cache.isFree(second, N));
        assertEquals(2L * N * Float.BYTES, cache.freeBytes());
        assertSame(second, cache.take(N, Float.BYTES), "the array given back last is handed out first");
        assertSame(first, cache.take(N, Float.BYTES));
        assertEquals(0, cache.freeBytes());
    }

    @Test
    void anArrayTakenAgainNoLongerCountsTowardsItsAge() {
        float[] a = give(N);
        float[] b = give(N);
        assertSame(b, cache.take(N, Float.BYTES));
        float[] c = give(N);
        float[] d = give(N);
        // a, c, d fill the cache; one more pushes out a, the oldest still held
        float[] e = give(N);
        assertFalse(cache.isFree(a, N));
        assertTrue(cache.isFree(c, N) && cache.isFree(d, N) && cache.isFree(e, N));
        assertEquals(3L * N * Float.BYTES, cache.freeBytes());
    }

    @Test
    void anArrayLargerThanTheWholeCacheIsNotKeptAndEvictsNothing() {
        float[] small = give(N);
        float[] huge = give(4 * N);
        assertFalse(cache.isFree(huge, 4 * N));
        assertTrue(cache.isFree(small, N));
    }
}
