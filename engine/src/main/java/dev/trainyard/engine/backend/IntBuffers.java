package dev.trainyard.engine.backend;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * {@link FloatBuffers} for int arrays (max pooling's positions and relu's bit masks, which live from a forward to its
 * backward), with the same ownership rule: {@link #take} only for a kernel that writes every element,
 * {@link #giveBack} only by the op that took the array once no tensor it returned, saved or handed on views it; giving
 * back an array the cache already holds throws.
 */
public final class IntBuffers {
    /** Arrays shorter than this are cheaper to allocate than to look up. */
    static final int MIN_LENGTH = 1 << 12;
    private static final long CAPACITY_BYTES = Long.getLong("trainyard.engine.intCacheBytes", 64L << 20);
    private static final Map<Integer, ArrayDeque<int[]>> FREE = new HashMap<>();
    /** Written under the lock; read without it so that a step that never gives arrays back never takes the lock. */
    private static volatile long freeBytes;

    private IntBuffers() {
    }

    /** An array of {@code length} ints with unspecified contents: the caller must write every element. */
    public static int[] take(int length) {
        if (length >= MIN_LENGTH && freeBytes > 0) {
            synchronized (FREE) {
                ArrayDeque<int[]> same = FREE.get(length);
                int[] cached = same == null ? null : same.pollLast();
                if (cached != null) {
                    freeBytes -= 4L * length;
                    return cached;
                }
            }
        }
        return new int[length];
    }

    /** Returns an array no tensor views any more (see the ownership rule above); kept while the cache has room. */
    public static void giveBack(int[] array) {
        int length = array.length;
        if (length < MIN_LENGTH) {
            return;
        }
        synchronized (FREE) {
            ArrayDeque<int[]> same = FREE.computeIfAbsent(length, l -> new ArrayDeque<>());
            for (int[] held : same) {
                if (held == array) {
                    throw new IllegalStateException("IntBuffers: an array of " + length + " ints was given back twice");
                }
            }
            if (freeBytes + 4L * length <= CAPACITY_BYTES) {
                same.addLast(array);
                freeBytes += 4L * length;
            }
        }
    }

    /** Whether the cache holds {@code array} for reuse (for tests: no live tensor may view such an array). */
    public static boolean isFree(int[] array) {
        synchronized (FREE) {
            ArrayDeque<int[]> same = FREE.get(array.length);
            if (same != null) {
                for (int[] held : same) {
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
