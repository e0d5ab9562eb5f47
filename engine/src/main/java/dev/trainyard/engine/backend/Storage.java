package dev.trainyard.engine.backend;

import dev.trainyard.engine.DType;

/**
 * A flat, typed block of elements that tensors view through shape, strides and offset. The version counter is shared
 * by every view of the storage, so autograd can tell when a saved tensor was modified in place.
 */
public final class Storage {
    private final DType dtype;
    private final Object data;
    private final int size;
    private int version;

    private Storage(DType dtype, Object data, int size) {
        this.dtype = dtype;
        this.data = data;
        this.size = size;
    }

    public static Storage allocate(DType dtype, int size) {
        Object data = switch (dtype) {
            case FLOAT32 -> new float[size];
            case FLOAT64 -> new double[size];
            case INT64 -> new long[size];
            case INT32 -> new int[size];
            case UINT8, BOOL -> new byte[size];
        };
        return new Storage(dtype, data, size);
    }

    /**
     * float32 storage whose contents are unspecified (a reused array from {@link FloatBuffers}): for kernels that write
     * every element.
     */
    public static Storage uninitializedFloats(int size) {
        return new Storage(DType.FLOAT32, FloatBuffers.take(size), size);
    }

    public static Storage wrap(float[] data) {
        return new Storage(DType.FLOAT32, data, data.length);
    }

    public static Storage wrap(double[] data) {
        return new Storage(DType.FLOAT64, data, data.length);
    }

    public static Storage wrap(long[] data) {
        return new Storage(DType.INT64, data, data.length);
    }

    public static Storage wrap(int[] data) {
        return new Storage(DType.INT32, data, data.length);
    }

    /** Wraps bytes as uint8 or bool (bools must be 0 or 1). */
    public static Storage wrap(byte[] data, DType dtype) {
        if (dtype != DType.UINT8 && dtype != DType.BOOL) {
            throw new IllegalArgumentException("byte storage must be uint8 or bool, got " + dtype);
        }
        return new Storage(dtype, data, data.length);
    }

    public DType dtype() {
        return dtype;
    }

    public int size() {
        return size;
    }

    /** The backing array whatever the dtype ({@code float[]}, {@code double[]}, ...), for System.arraycopy. */
    public Object array() {
        return data;
    }

    public float[] floats() {
        return (float[]) data;
    }

    public double[] doubles() {
        return (double[]) data;
    }

    public long[] longs() {
        return (long[]) data;
    }

    public int[] ints() {
        return (int[]) data;
    }

    public byte[] bytes() {
        return (byte[]) data;
    }

    public int version() {
        return version;
    }

    public void bumpVersion() {
        version++;
    }

    public double getDouble(int i) {
        return switch (dtype) {
            case FLOAT32 -> ((float[]) data)[i];
            case FLOAT64 -> ((double[]) data)[i];
            case INT64 -> ((long[]) data)[i];
            case INT32 -> ((int[]) data)[i];
            case UINT8 -> ((byte[]) data)[i] & 0xFF;
            case BOOL -> ((byte[]) data)[i];
        };
    }

    public long getLong(int i) {
        return switch (dtype) {
            case FLOAT32 -> (long) ((float[]) data)[i];
            case FLOAT64 -> (long) ((double[]) data)[i];
            case INT64 -> ((long[]) data)[i];
            case INT32 -> ((int[]) data)[i];
            case UINT8 -> ((byte[]) data)[i] & 0xFF;
            case BOOL -> ((byte[]) data)[i];
        };
    }

    public void setDouble(int i, double v) {
        switch (dtype) {
            case FLOAT32 -> ((float[]) data)[i] = (float) v;
            case FLOAT64 -> ((double[]) data)[i] = v;
            case INT64 -> ((long[]) data)[i] = (long) v;
            case INT32 -> ((int[]) data)[i] = (int) (long) v;
            case UINT8 -> ((byte[]) data)[i] = (byte) (long) v;
            case BOOL -> ((byte[]) data)[i] = (byte) (v != 0 ? 1 : 0);
        }
    }

    public void setLong(int i, long v) {
        switch (dtype) {
            case FLOAT32 -> ((float[]) data)[i] = v;
            case FLOAT64 -> ((double[]) data)[i] = v;
            case INT64 -> ((long[]) data)[i] = v;
            case INT32 -> ((int[]) data)[i] = (int) v;
            case UINT8 -> ((byte[]) data)[i] = (byte) v;
            case BOOL -> ((byte[]) data)[i] = (byte) (v != 0 ? 1 : 0);
        }
    }
}
