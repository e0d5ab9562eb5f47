package dev.trainyard.engine.backend;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FloatBuffersTest {
    // a length no other test in this JVM asks for, so other tests' buffers never interfere
    private static final int LENGTH = FloatBuffers.MIN_LENGTH + 12_345;

    @Test
    void anArrayGivenBackIsHandedOutAgainOnceAndOnlyForItsLength() {
        float[] first = FloatBuffers.take(LENGTH);
        assertFalse(FloatBuffers.isFree(first));
        FloatBuffers.giveBack(first);
        assertTrue(FloatBuffers.isFree(first));
        assertEquals(LENGTH + 1, FloatBuffers.take(LENGTH + 1).length, "another length gets an array of its own");
        float[] again = FloatBuffers.take(LENGTH);
        assertSame(first, again);
        assertFalse(FloatBuffers.isFree(again), "a taken array is no longer in the cache");
        assertNotSame(again, FloatBuffers.take(LENGTH), "the cache held it once, so it is handed out once");
    }

    @Test
    void givingTheSameArrayBackTwiceFails() {
        float[] a = FloatBuffers.take(LENGTH + 7);
        FloatBuffers.giveBack(a);
        var e = assertThrows(IllegalStateException.class, () -> FloatBuffers.giveBack(a));
        assertTrue(e.getMessage().contains("given back twice"), e.getMessage());
        assertSame(a, FloatBuffers.take(LENGTH + 7));
    }

    @Test
    void smallArraysAreNotCached() {
        float[] small = new float[FloatBuffers.MIN_LENGTH - 1];
        FloatBuffers.giveBack(small);
        assertFalse(FloatBuffers.isFree(small));
    }
}
