package dev.trainyard.engine.backend;

/**
 * {@link FloatBuffers} for int arrays (max pooling's positions and relu's bit masks, which live from a forward to its
 * backward), with the same ownership rule: {@link #take} only for a kernel that writes every element,
 * {@link #giveBack} only by the op that took the array once no tensor it returned, saved or handed on views it; giving
 * back an array the cache already holds throws.
 */
public final class IntBuffers {
    /** Arrays shorter than this are cheaper to allocate than to look up. */
    static final int MIN_LENGTH = ArrayCache.MIN_LENGTH;
    private static final ArrayCache<int[]> CACHE = new ArrayCache<>("IntBuffers", int[]::new,
            Long.getLong("trainyard.engine.intCacheBytes", 64L << 20));

    private IntBuffers() {
    }

    /** An array of {@code length} ints with unspecified contents: the caller must write every element. */
    public static int[] take(int length) {
        return CACHE.take(length, Integer.BYTES);
    }

    /** Returns an array no tensor views any more (see the ownership rule above); kept while the cache has room. */
    public static void giveBack(int[] array) {
        CACHE.giveBack(array, array.length, Integer.BYTES);
    }

    /** Whether the cache holds {@code array} for reuse (for tests: no live tensor may view such an array). */
    public static boolean isFree(int[] array) {
        return CACHE.isFree(array, array.length);
    }

    /** The bytes of the arrays waiting for reuse. */
    public static long freeBytes() {
        return CACHE.freeBytes();
    }
}
