package dev.trainyard.engine.backend;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IntBuffersTest {
    // a length no other test in this JVM asks for, so other tests' buffers never interfere
    private static final int LENGTH = IntBuffers.MIN_LENGTH + 12_345;

    @Test
    void anArrayGivenBackIsHandedOutAgainOnceAndOnlyForItsLength() {
        int[] first = IntBuffers.take(LENGTH);
        assertFalse(IntBuffers.isFree(first));
        long free = IntBuffers.freeBytes();
        IntBuffers.giveBack(first);
        assertTrue(IntBuffers.isFree(first));
        assertEquals(free + 4L * LENGTH, IntBuffers.freeBytes());
        assertEquals(LENGTH + 1, IntBuffers.take(LENGTH + 1).length, "another length gets an array of its own");
        int[] again = IntBuffers.take(LENGTH);
        assertSame(first, again);
        assertFalse(IntBuffers.isFree(again), "a taken array is no longer in the cache");
        assertEquals(free, IntBuffers.freeBytes());
        assertNotSame(again, IntBuffers.take(LENGTH), "the cache held it once, so it is handed out once");
    }

    @Test
    void givingTheSameArrayBackTwiceFails() {
        int[] a = IntBuffers.take(LENGTH + 7);
        IntBuffers.giveBack(a);
        var e = assertThrows(IllegalStateException.class, () -> IntBuffers.giveBack(a));
        assertTrue(e.getMessage().contains("given back twice"), e.getMessage());
        assertSame(a, IntBuffers.take(LENGTH + 7));
    }

    @Test
    void smallArraysAreNotCached() {
        int[] small = new int[IntBuffers.MIN_LENGTH - 1];
        IntBuffers.giveBack(small);
        assertFalse(IntBuffers.isFree(small));
    }
}
