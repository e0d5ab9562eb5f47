package dev.trainyard.engine.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The column layout's short runs (an output row of positions: 11 floats for the cnn's second conv, 26 for its first)
 * moved by whole vectors: as an arraycopy per run, the call cost more than the copy, and a scalar loop of 11 never
 * reached its vectorised body. Masked loads and stores were no better (their lane-by-lane range check ran in plain
 * Java: 14% of conv2's samples), so a run's last partial vector is written whole, and only where the caller says the
 * floats past the run are its own ({@code limit}). Loaded only with the Vector API ({@link VectorApi}).
 */
final class FloatVectorColumns {
    private static final VectorSpecies<Float> FLOATS = FloatVector.SPECIES_PREFERRED;
    private static final int V = FLOATS.length();

    private FloatVectorColumns() {
    }

    /**
     * {@code dst[to + i] = src[from + i]} for {@code i < len}; {@code dst} from {@code to + len} up to {@code limit} may
     * be overwritten with anything (the caller writes it later).
     */
    static void copy(float[] src, int from, float[] dst, int to, int len, int limit) {
        int i = 0;
        for (; i <= len - V; i += V) {
            FloatVector.fromArray(FLOATS, src, from + i).intoArray(dst, to + i);
        }
        if (i == len) {
            return;
        }
        if (to + i + V <= limit && from + i + V <= src.length) {
            FloatVector.fromArray(FLOATS, src, from + i).intoArray(dst, to + i);
            return;
        }
        for (; i < len; i++) {
            dst[to + i] = src[from + i];
        }
    }

    /**
     * {@code dst[to + i] += src[from + i]} for {@code i < len}, one addition per element; the floats of {@code dst}
     * past the run, up to {@code limit}, are read and written back unchanged (no other thread may write them).
     */
    static void add(float[] src, int from, float[] dst, int to, int len, int limit) {
        int i = 0;
        for (; i <= len - V; i += V) {
            FloatVector.fromArray(FLOATS, dst, to + i).add(FloatVector.fromArray(FLOATS, src, from + i)).intoArray(dst, to + i);
        }
        if (i == len) {
            return;
        }
        if (to + i + V <= limit && from + i + V <= src.length) {
            VectorMask<Float> run = VectorMask.fromLong(FLOATS, (1L << (len - i)) - 1);
            FloatVector d = FloatVector.fromArray(FLOATS, dst, to + i);
            d.blend(d.add(FloatVector.fromArray(FLOATS, src, from + i)), run).intoArray(dst, to + i);
            return;
        }
        for (; i < len; i++) {
            dst[to + i] += src[from + i];
        }
    }
}
