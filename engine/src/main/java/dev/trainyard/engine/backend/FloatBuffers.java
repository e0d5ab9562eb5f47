package dev.trainyard.engine.backend;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * A cache of float arrays keyed by length, as PyTorch's CPU caching allocator reuses blocks: a training step asks for
 * the same sizes every time, and a reused array is neither zeroed by the JVM nor a new burden for the collector.
 *
 * <p>Ownership rule: {@link #take} may be called by any kernel that writes every element of what it gets (a taken
 * array holds old values). {@link #giveBack} may be called only by the op that took the array, once it has finished
 * with it and no tensor it returned, saved or handed to a hook views the array, or by a backward that was handed the
 * array as an owned gradient ({@code FunctionCtx.gradientOwned}) once it has read it; an op that cannot prove that
 * lets the collector have the array instead. Giving back an array the cache already holds is an error, so one array is never
 * handed out twice.
 */
public final class FloatBuffers {
    /** Arrays shorter than this are cheaper to allocate than to look up. */
    static final int MIN_LENGTH = 1 << 12;
    private static final long CAPACITY_BYTES = Long.getLong("trainyard.engine.floatCacheBytes", 256L << 20);
    private static final Map<Integer, ArrayDeque<float[]>> FREE = new HashMap<>();
    /** Written under the lock; read without it so that a step that never gives arrays back never takes the lock. */
    private static volatile long freeBytes;

    private FloatBuffers() {
    }

    /** An array of {@code length} floats with unspecified contents: the caller must write every element. */
    public static float[] take(int length) {
        if (length >= MIN_LENGTH && freeBytes > 0) {
            synchronized (FREE) {
                ArrayDeque<float[]> same = FREE.get(length);
                float[] cached = same == null ? null : same.pollLast();
                if (cached != null) {
                    freeBytes -= 4L * length;
                    return cached;
                }
            }
        }
        return new float[length];
    }

    /** Returns an array no tensor views any more (see the ownership rule above); kept while the cache has room. */
    public static void giveBack(float[] array) {
        int length = array.length;
        if (length < MIN_LENGTH) {
            return;
        }
        synchronized (FREE) {
            ArrayDeque<float[]> same = FREE.computeIfAbsent(length, l -> new ArrayDeque<>());
            for (float[] held : same) {
                if (held == array) {
                    throw new IllegalStateException("FloatBuffers: an array of " + length + " floats was given back twice");
                }
            }
            if (freeBytes + 4L * length <= CAPACITY_BYTES) {
                same.addLast(array);
                freeBytes += 4L * length;
            }
        }
    }

    /** Whether the cache holds {@code array} for reuse (for tests: no live tensor may view such an array). */
    public static boolean isFree(float[] array) {
        synchronized (FREE) {
            ArrayDeque<float[]> same = FREE.get(array.length);
            if (same != null) {
                for (float[] held : same) {
                    if (held == array) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    /** The bytes of the arrays waiting for reuse. */
    public static long freeBytes() {
        return freeBytes;
    }
}
