package dev.trainyard.engine.backend;

import dev.trainyard.engine.DType;
import dev.trainyard.engine.Tensor;

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
    static final int MIN_LENGTH = ArrayCache.MIN_LENGTH;
    private static final ArrayCache<float[]> CACHE = new ArrayCache<>("FloatBuffers", float[]::new,
            Long.getLong("trainyard.engine.floatCacheBytes", 256L << 20));

    private FloatBuffers() {
    }

    /** An array of {@code length} floats with unspecified contents: the caller must write every element. */
    public static float[] take(int length) {
        return CACHE.take(length, Float.BYTES);
    }

    /** Returns an array no tensor views any more (see the ownership rule above); kept while the cache has room. */
    public static void giveBack(float[] array) {
        CACHE.giveBack(array, array.length, Float.BYTES);
    }

    /** {@link #giveBack(float[])} for a float32 tensor's array (see the ownership rule above); other dtypes: nothing. */
    public static void giveBack(Tensor t) {
        if (t.dtype() == DType.FLOAT32) {
            giveBack(t.storage().floats());
        }
    }

    /** Whether the cache holds {@code array} for reuse (for tests: no live tensor may view such an array). */
    public static boolean isFree(float[] array) {
        return CACHE.isFree(array, array.length);
    }

    /** The bytes of the arrays waiting for reuse. */
    public static long freeBytes() {
        return CACHE.freeBytes();
    }
}
