package dev.trainyard.engine.backend;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Primitive arrays of one element type kept for reuse, keyed by length: the store behind {@link FloatBuffers} and
 * {@link IntBuffers}, whose javadoc states the ownership rule its callers follow. When an array given back would
 * overfill the cache, the arrays given back longest ago make room: an evaluation's large batches, given back once,
 * must not keep a training step's arrays out for the rest of the run.
 */
final class ArrayCache<A> {
    /** Arrays shorter than this are cheaper to allocate than to look up. */
    static final int MIN_LENGTH = 1 << 12;
    private final String name;
    private final IntFunction<A> allocate;
    private final long capacityBytes;
    private final Map<Integer, ArrayDeque<A>> free = new HashMap<>();
    /** Every array in {@code free}, given back longest ago first. */
    private final ArrayDeque<Held<A>> byAge = new ArrayDeque<>();
    /** Written under the lock; read without it so that a step that never gives arrays back never takes the lock. */
    private volatile long freeBytes;

    ArrayCache(String name, IntFunction<A> allocate, long capacityBytes) {
        this.name = name;
        this.allocate = allocate;
        this.capacityBytes = capacityBytes;
    }

    A take(int length, int elementBytes) {
        if (length >= MIN_LENGTH && freeBytes > 0) {
            synchronized (free) {
                ArrayDeque<A> same = free.get(length);
                A cached = same == null ? null : same.pollLast();
                if (cached != null) {
                    byAge.removeIf(h -> h.array == cached);
                    freeBytes -= (long) elementBytes * length;
                    return cached;
                }
            }
        }
        return allocate.apply(length);
    }

    void giveBack(A array, int length, int elementBytes) {
        if (length < MIN_LENGTH) {
            return;
        }
        synchronized (free) {
            ArrayDeque<A> same = free.computeIfAbsent(length, l -> new ArrayDeque<>());
            for (A held : same) {
                if (held == array) {
                    throw new IllegalStateException(name + ": an array of " + length + " elements was given back twice");
                }
            }
            long bytes = (long) elementBytes * length;
            if (bytes > capacityBytes) {
                return;
            }
            while (freeBytes + bytes > capacityBytes) {
                Held<A> oldest = byAge.pollFirst();
                free.get(oldest.length).removeFirstOccurrence(oldest.array);
                freeBytes -= oldest.bytes;
            }
            same.addLast(array);
            byAge.addLast(new Held<>(array, length, bytes));
            freeBytes += bytes;
        }
    }

    boolean isFree(A array, int length) {
        synchronized (free) {
            ArrayDeque<A> same = free.get(length);
            if (same != null) {
                for (A held : same) {
                    if (held == array) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    long freeBytes() {
        return freeBytes;
    }

    private record Held<A>(A array, int length, long bytes) {
    }
}
