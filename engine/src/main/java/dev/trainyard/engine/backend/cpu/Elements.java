package dev.trainyard.engine.backend.cpu;

import dev.trainyard.engine.DType;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.backend.Storage;

/**
 * Bulk conversion between strided tensors of any dtype and row-major long[] / double[] buffers, with the dtype
 * dispatch outside the loops. Generic kernels compute on these buffers.
 */
final class Elements {
    private Elements() {
    }

    /** The elements as longs (floats truncate toward zero; uint8 reads unsigned). */
    static long[] longs(Tensor t) {
        int n = t.numel();
        long[] out = new long[n];
        int[] offs = t.isContiguous() ? null : Strided.offsets(t);
        int base = t.storageOffset();
        Storage s = t.storage();
        switch (t.dtype()) {
            case INT64 -> {
                long[] a = s.longs();
                if (offs == null) {
                    System.arraycopy(a, base, out, 0, n);
                } else {
                    for (int i = 0; i < n; i++) out[i] = a[offs[i]];
                }
            }
            case INT32 -> {
                int[] a = s.ints();
                for (int i = 0; i < n; i++) out[i] = a[offs == null ? base + i : offs[i]];
            }
            case UINT8 -> {
                byte[] a = s.bytes();
                for (int i = 0; i < n; i++) out[i] = a[offs == null ? base + i : offs[i]] & 0xFF;
            }
            case BOOL -> {
                byte[] a = s.bytes();
                for (int i = 0; i < n; i++) out[i] = a[offs == null ? base + i : offs[i]];
            }
            case FLOAT32 -> {
                float[] a = s.floats();
                for (int i = 0; i < n; i++) out[i] = (long) a[offs == null ? base + i : offs[i]];
            }
            case FLOAT64 -> {
                double[] a = s.doubles();
                for (int i = 0; i < n; i++) out[i] = (long) a[offs == null ? base + i : offs[i]];
            }
        }
        return out;
    }

    static double[] doubles(Tensor t) {
        int n = t.numel();
        double[] out = new double[n];
        int[] offs = t.isContiguous() ? null : Strided.offsets(t);
        int base = t.storageOffset();
        Storage s = t.storage();
        switch (t.dtype()) {
            case FLOAT64 -> {
                double[] a = s.doubles();
                if (offs == null) {
                    System.arraycopy(a, base, out, 0, n);
                } else {
                    for (int i = 0; i < n; i++) out[i] = a[offs[i]];
                }
            }
            case FLOAT32 -> {
                float[] a = s.floats();
                for (int i = 0; i < n; i++) out[i] = a[offs == null ? base + i : offs[i]];
            }
            case INT64 -> {
                long[] a = s.longs();
                for (int i = 0; i < n; i++) out[i] = a[offs == null ? base + i : offs[i]];
            }
            case INT32 -> {
                int[] a = s.ints();
                for (int i = 0; i < n; i++) out[i] = a[offs == null ? base + i : offs[i]];
            }
            case UINT8 -> {
                byte[] a = s.bytes();
                for (int i = 0; i < n; i++) out[i] = a[offs == null ? base + i : offs[i]] & 0xFF;
            }
            case BOOL -> {
                byte[] a = s.bytes();
                for (int i = 0; i < n; i++) out[i] = a[offs == null ? base + i : offs[i]];
            }
        }
        return out;
    }

    /** A storage of {@code dtype} holding {@code v} (integers wrap like C casts; bool is v != 0). */
    static Storage fromLongs(long[] v, DType dtype) {
        int n = v.length;
        return switch (dtype) {
            case INT64 -> Storage.wrap(v);
            case INT32 -> {
                int[] o = new int[n];
                for (int i = 0; i < n; i++) o[i] = (int) v[i];
                yield Storage.wrap(o);
            }
            case UINT8 -> {
                byte[] o = new byte[n];
                for (int i = 0; i < n; i++) o[i] = (byte) v[i];
                yield Storage.wrap(o, DType.UINT8);
            }
            case BOOL -> {
                byte[] o = new byte[n];
                for (int i = 0; i < n; i++) o[i] = (byte) (v[i] != 0 ? 1 : 0);
                yield Storage.wrap(o, DType.BOOL);
            }
            case FLOAT32 -> {
                float[] o = new float[n];
                for (int i = 0; i < n; i++) o[i] = v[i];
                yield Storage.wrap(o);
            }
            case FLOAT64 -> {
                double[] o = new double[n];
                for (int i = 0; i < n; i++) o[i] = v[i];
                yield Storage.wrap(o);
            }
        };
    }

    /** A storage of {@code dtype} holding {@code v} (to integers: truncation; to bool: v != 0, NaN is true). */
    static Storage fromDoubles(double[] v, DType dtype) {
        int n = v.length;
        return switch (dtype) {
            case FLOAT64 -> Storage.wrap(v);
            case FLOAT32 -> {
                float[] o = new float[n];
                for (int i = 0; i < n; i++) o[i] = (float) v[i];
                yield Storage.wrap(o);
            }
            case BOOL -> {
                byte[] o = new byte[n];
                for (int i = 0; i < n; i++) o[i] = (byte) (v[i] != 0 ? 1 : 0);
                yield Storage.wrap(o, DType.BOOL);
            }
            default -> {
                long[] o = new long[n];
                for (int i = 0; i < n; i++) o[i] = (long) v[i];
                yield fromLongs(o, dtype);
            }
        };
    }
}
