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
    /** The arrays waiting for reuse by length, each length's given back longest ago first. */
    private final Map<Integer, ArrayDeque<Held<A>>> free = new HashMap<>();
    /**
     * Every array in {@code free}, given back longest ago first: a list through {@link Held}'s links, so that a take
     * unlinks its array in constant time (a search of the list was up to 1.6% of the cnn step's CPU samples).
     */
    private final Held<A> byAge = new Held<>(null, 0, 0);
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
                ArrayDeque<Held<A>> same = free.get(length);
                Held<A> cached = same == null ? null : same.pollLast();
                if (cached != null) {
                    cached.unlink();
                    freeBytes -= cached.bytes;
                    return cached.array;
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
            ArrayDeque<Held<A>> same = free.computeIfAbsent(length, l -> new ArrayDeque<>());
            for (Held<A> held : same) {
                if (held.array == array) {
                    throw new IllegalStateException(name + ": an array of " + length + " elements was given back twice");
                }
            }
            long bytes = (long) elementBytes * length;
            if (bytes > capacityBytes) {
                return;
            }
            while (freeBytes + bytes > capacityBytes) {
                Held<A> oldest = byAge.next;
                // a length's arrays are in the order they were given back, so its oldest is its first
                free.get(oldest.length).pollFirst();
                oldest.unlink();
                freeBytes -= oldest.bytes;
            }
            Held<A> held = new Held<>(array, length, bytes);
            same.addLast(held);
            held.linkBefore(byAge);
            freeBytes += bytes;
        }
    }

    boolean isFree(A array, int length) {
        synchronized (free) {
            ArrayDeque<Held<A>> same = free.get(length);
            if (same != null) {
                for (Held<A> held : same) {
                    if (held.array == array) {
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

    /** An array waiting for reuse, linked into the list by age (the list's head links to itself when empty). */
    private static final class Held<A> {
        final A array;
        final int length;
        final long bytes;
        Held<A> prev = this;
        Held<A> next = this;

        Held(A array, int length, long bytes) {
            this.array = array;
            this.length = length;
            this.bytes = bytes;
        }

        /** Links this in before {@code at} (before the head: last in the list). */
        void linkBefore(Held<A> at) {
            prev = at.prev;
            next = at;
            at.prev.next = this;
            at.prev = this;
        }

        void unlink() {
            prev.next = next;
            next.prev = prev;
            prev = this;
            next = this;
        }
    }
}
