package dev.trainyard.engine.backend.cpu;

import dev.trainyard.engine.DType;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.backend.BinaryOp;
import dev.trainyard.engine.backend.FloatBuffers;
import dev.trainyard.engine.backend.IntBuffers;
import dev.trainyard.engine.backend.Kernels;
import dev.trainyard.engine.backend.ReduceOp;
import dev.trainyard.engine.backend.Storage;
import dev.trainyard.engine.backend.UnaryOp;

import java.util.Arrays;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.LongBinaryOperator;
import java.util.function.LongUnaryOperator;

/**
 * Plain-Java CPU kernels. Floating-point elements are computed in double and rounded once to the output dtype;
 * integers and bools in long. Contiguous float32 inputs take direct array loops.
 */
public final class CpuKernels implements Kernels {
    public static final CpuKernels INSTANCE = new CpuKernels();

    private CpuKernels() {
    }

    // ---- copies ----

    @Override
    public Tensor copy(Tensor src, DType dtype) {
        int n = src.numel();
        Storage in = src.storage();
        // every float32-to-float32 path below writes each element, so it may start from a reused array
        Storage out = dtype == DType.FLOAT32 && in.dtype() == DType.FLOAT32 ? Storage.uninitializedFloats(n)
                : Storage.allocate(dtype, n);
        if (src.isContiguous() && in.dtype() == dtype) {
            System.arraycopy(in.array(), src.storageOffset(), out.array(), 0, n);
        } else if (in.dtype() == DType.FLOAT32 && dtype == DType.FLOAT32) {
            Strided.gatherFloats(in.floats(), src.shape(), src.stride(), src.storageOffset(), out.floats());
        } else if (src.isContiguous() && in.dtype() == DType.FLOAT32 && dtype == DType.FLOAT64) {
            floatsToDoubles(in.floats(), src.storageOffset(), out.doubles(), n);
        } else if (src.isContiguous() && in.dtype() == DType.UINT8 && dtype == DType.FLOAT32) {
            // images as they are loaded: one pass, not through a double[] eight times the bytes
            bytesToFloats(in.bytes(), src.storageOffset(), out.floats(), n);
        } else {
            boolean viaDouble = dtype.isFloatingPoint() || (dtype == DType.BOOL && in.dtype().isFloatingPoint());
            Storage converted = viaDouble ? Elements.fromDoubles(Elements.doubles(src), dtype)
                    : Elements.fromLongs(Elements.longs(src), dtype);
            return Tensor.wrap(converted, src.shape());
        }
        return Tensor.wrap(out, src.shape());
    }

    // The loops of copy() are methods of their own: loading's 47 M-element conversion compiles (on stack) only its loop,
    // and copy() itself, called at every step, is compiled once without it.

    private static void floatsToDoubles(float[] a, int from, double[] o, int n) {
        for (int i = 0; i < n; i++) {
            o[i] = a[from + i];
        }
    }

    private static void bytesToFloats(byte[] a, int from, float[] o, int n) {
        for (int i = 0; i < n; i++) {
            o[i] = a[from + i] & 0xFF;
        }
    }

    @Override
    public void copyInto(Tensor dst, Tensor src) {
        Storage out = dst.storage();
        Storage in = src.storage();
        int n = dst.numel();
        if (dst.isContiguous() && src.isContiguous() && in.dtype() == out.dtype()) {
            System.arraycopy(in.array(), src.storageOffset(), out.array(), dst.storageOffset(), n);
            return;
        }
        int[] dOff = Strided.offsets(dst);
        int[] sOff = Strided.offsets(src);
        if (out.dtype().isFloatingPoint()) {
            for (int i = 0; i < n; i++) {
                out.setDouble(dOff[i], in.getDouble(sOff[i]));
            }
        } else {
            boolean fromFloat = in.dtype().isFloatingPoint();
            for (int i = 0; i < n; i++) {
                out.setLong(dOff[i], fromFloat ? floatToIntegral(in.getDouble(sOff[i]), out.dtype()) : in.getLong(sOff[i]));
            }
        }
    }

    /** Float to integer conversion truncates toward zero, except to bool, where any nonzero (and NaN) is true. */
    private static long floatToIntegral(double v, DType target) {
        if (target == DType.BOOL) {
            return v != 0 ? 1 : 0;
        }
        return (long) v;
    }


    // ---- elementwise ----

    @Override
    public Tensor unary(UnaryOp op, Tensor x) {
        int n = x.numel();
        DType dtype = x.dtype();
        if (op == UnaryOp.LOGICAL_NOT) {
            return dtype.isFloatingPoint() ? map(x, DType.BOOL, v -> v == 0 ? 1 : 0) : mapLong(x, DType.BOOL, v -> v == 0 ? 1 : 0);
        }
        if (!dtype.isFloatingPoint()) {
            LongUnaryOperator f = switch (op) {
                case NEG -> v -> -v;
                case ABS -> Math::abs;
                case SIGN -> Long::signum;
                case RELU -> v -> Math.max(v, 0);
                case FLOOR, CEIL -> v -> v;
                default -> throw new IllegalArgumentException(op.name().toLowerCase() + ": not defined for " + dtype + " tensors");
            };
            return mapLong(x, dtype, f);
        }
        if (dtype == DType.FLOAT32 && x.isContiguous()) {
            float[] fast = fastUnaryFloat(op, x.storage().floats(), x.storageOffset(), n);
            if (fast != null) {
                return Tensor.wrap(Storage.wrap(fast), x.shape());
            }
        }
        if (dtype == DType.FLOAT32 && op == UnaryOp.RELU) {
            // not through double: a widening conversion may quiet a signalling NaN, which relu passes bit for bit
            return reluStrided(x);
        }
        if (dtype == DType.FLOAT32) {
            return mapFloat(x, unaryDouble(op));
        }
        return map(x, dtype, unaryDouble(op));
    }

    private static DoubleUnaryOperator unaryDouble(UnaryOp op) {
        return switch (op) {
            case NEG -> v -> -v;
            case EXP -> Math::exp;
            case LOG -> Math::log;
            case LOG1P -> Math::log1p;
            case EXPM1 -> Math::expm1;
            case SQRT -> Math::sqrt;
            case RSQRT -> v -> 1.0 / Math.sqrt(v);
            case ABS -> Math::abs;
            case SIGN -> v -> Double.isNaN(v) ? 0.0 : Math.signum(v);
            case SIN -> Math::sin;
            case COS -> Math::cos;
            case TANH -> Math::tanh;
            case SIGMOID -> v -> v >= 0 ? 1.0 / (1.0 + Math.exp(-v)) : Math.exp(v) / (1.0 + Math.exp(v));
            case RELU -> v -> v < 0 ? 0.0 : v;
            case ERF -> Erf::erf;
            case FLOOR -> Math::floor;
            case CEIL -> Math::ceil;
            case RECIPROCAL -> v -> 1.0 / v;
            case LOGICAL_NOT -> throw new AssertionError();
        };
    }

    /**
     * PyTorch's relu of one float ({@code clamp_min(x, 0)} on the CPU): +0 where x is negative, else x's own bits, so
     * -0 stays -0 and a NaN passes, payload and all. An int select and a bit AND, which C2 compiles without a branch
     * (a float ternary became one, mispredicted on random signs).
     */
    static float relu(float v) {
        int keep = v < 0f ? 0 : -1;
        return Float.intBitsToFloat(Float.floatToRawIntBits(v) & keep);
    }

    private static Tensor reluStrided(Tensor x) {
        float[] in = x.storage().floats();
        int n = x.numel();
        float[] out = FloatBuffers.take(n);
        int[] offs = Strided.offsets(x);
        for (int i = 0; i < n; i++) {
            out[i] = relu(in[offs[i]]);
        }
        return Tensor.wrap(Storage.wrap(out), x.shape());
    }

    private static Tensor mapFloat(Tensor x, DoubleUnaryOperator f) {
        float[] in = x.storage().floats();
        int n = x.numel();
        float[] out = FloatBuffers.take(n);
        if (x.isContiguous()) {
            int off = x.storageOffset();
            for (int i = 0; i < n; i++) {
                out[i] = (float) f.applyAsDouble(in[off + i]);
            }
        } else {
            int[] offs = Strided.offsets(x);
            for (int i = 0; i < n; i++) {
                out[i] = (float) f.applyAsDouble(in[offs[i]]);
            }
        }
        return Tensor.wrap(Storage.wrap(out), x.shape());
    }

    private static float[] fastUnaryFloat(UnaryOp op, float[] a, int off, int n) {
        if (op != UnaryOp.NEG && op != UnaryOp.RELU && op != UnaryOp.SIGN && op != UnaryOp.EXP && op != UnaryOp.ABS) {
            return null;
        }
        float[] o = FloatBuffers.take(n);
        inChunks(n, (from, to) -> {
            switch (op) {
                case NEG -> {
                    for (int i = from; i < to; i++) {
                        o[i] = -a[off + i];
                    }
                }
                case RELU -> {
                    int i = VectorApi.ENABLED ? FloatVectorKernels.relu(a, off, o, from, to) : from;
                    for (; i < to; i++) {
                        o[i] = relu(a[off + i]);
                    }
                }
                case SIGN -> {
                    // blends, because a branch on a random sign mispredicts half the time (Math.signum compiles to
                    // one). Signed zeros stay, NaN goes to 0, as in the double path.
                    int i = VectorApi.ENABLED ? FloatVectorKernels.sign(a, off, o, from, to) : from;
                    for (; i < to; i++) {
                        float v = a[off + i];
                        o[i] = v > 0f ? 1f : v < 0f ? -1f : v == 0f ? v : 0f;
                    }
                }
                case EXP -> {
                    for (int i = from; i < to; i++) {
                        o[i] = (float) Math.exp(a[off + i]);
                    }
                }
                default -> {
                    for (int i = from; i < to; i++) {
                        o[i] = Math.abs(a[off + i]);
                    }
                }
            }
        });
        return o;
    }

    /** float32 contiguous by the vector loop, else as composed. */
    @Override
    public boolean anyNegativeZero(Tensor x) {
        if (x.dtype() != DType.FLOAT32 || !x.isContiguous()) {
            return Kernels.super.anyNegativeZero(x);
        }
        float[] a = x.storage().floats();
        int off = x.storageOffset();
        int n = x.numel();
        int i = VectorApi.ENABLED ? FloatVectorKernels.firstNegativeZero(a, off, 0, n) : 0;
        for (; i < n; i++) {
            if (Float.floatToRawIntBits(a[off + i]) == Integer.MIN_VALUE) {
                return true;
            }
        }
        return false;
    }

    /**
     * float32 contiguous: relu's output and a bit per element, set where x is not <= 0 (positive or NaN: where relu's
     * backward passes the gradient), 32 to an int, from {@link IntBuffers}: relu's backward then reads 1/32 of the
     * output's bytes.
     */
    @Override
    public Tensor[] reluWithMask(Tensor x) {
        if (x.dtype() != DType.FLOAT32 || !x.isContiguous()) {
            return Kernels.super.reluWithMask(x);
        }
        float[] a = x.storage().floats();
        int off = x.storageOffset();
        int n = x.numel();
        float[] o = FloatBuffers.take(n);
        int[] bits = IntBuffers.take((n + 31) >>> 5);
        // chunks are whole words (CHUNK is a multiple of 32), so no two write into one
        inChunks(n, (from, to) -> {
            int i = VectorApi.ENABLED ? FloatVectorKernels.reluWithMask(a, off, o, bits, from, to) : from;
            for (; i < to; i += 32) {
                int word = 0;
                for (int b = 0; b < 32 && i + b < to; b++) {
                    float v = a[off + i + b];
                    o[i + b] = relu(v);
                    word |= (v <= 0f ? 0 : 1) << b;
                }
                bits[i >>> 5] = word;
            }
        });
        return new Tensor[] {Tensor.wrap(Storage.wrap(o), x.shape()), Tensor.wrap(Storage.wrap(bits), bits.length)};
    }

    /**
     * float32 contiguous: PyTorch's select, from the forward's bit mask when there is one, else from the output; other
     * dtypes and layouts as composed.
     */
    @Override
    public Tensor reluBackward(Tensor grad, Tensor output, Tensor mask, boolean inPlace) {
        boolean fromMask = mask != null && mask.dtype() == DType.INT32;
        if (grad.dtype() != DType.FLOAT32 || !grad.isContiguous() || (inPlace && grad.storageOffset() != 0)
                || (!fromMask && (output.dtype() != DType.FLOAT32 || !output.isContiguous()))) {
            return Kernels.super.reluBackward(grad, output, mask, inPlace);
        }
        float[] g = grad.storage().floats();
        int off = grad.storageOffset();
        int n = grad.numel();
        // in place, each element is read before it is written, at the same index
        float[] o = inPlace ? g : FloatBuffers.take(n);
        if (fromMask) {
            int[] bits = mask.storage().ints();
            inChunks(n, (from, to) -> {
                int i = VectorApi.ENABLED ? FloatVectorKernels.selectByMask(g, off, bits, o, from, to) : from;
                for (; i < to; i++) {
                    // all ones where the bit is set, else all zeros: g's bits or +0, without a branch
                    int keep = -(bits[i >>> 5] >>> (i & 31) & 1);
                    o[i] = Float.intBitsToFloat(Float.floatToRawIntBits(g[off + i]) & keep);
                }
            });
        } else {
            float[] y = output.storage().floats();
            int yOff = output.storageOffset();
            inChunks(n, (from, to) -> {
                int i = VectorApi.ENABLED ? FloatVectorKernels.selectWherePositive(g, off, y, yOff, o, from, to) : from;
                for (; i < to; i++) {
                    // an int select and a bit AND: C2 made a branch of the float ternary, which mispredicts on random
                    // signs (8.5 against 0.9 ms a call on conv1's output, plain Java)
                    int keep = y[yOff + i] <= 0f ? 0 : -1;
                    o[i] = Float.intBitsToFloat(Float.floatToRawIntBits(g[off + i]) & keep);
                }
            });
        }
        return inPlace ? grad : Tensor.wrap(Storage.wrap(o), grad.shape());
    }

    /** A range {@code [from, to)} of elements. */
    @FunctionalInterface
    interface Range {
        void run(int from, int to);
    }

    private static final int CHUNK = 1 << 15;

    /** Runs {@code body} over {@code [0, n)}: in chunks on all cores when n is large, else at once. */
    static void inChunks(int n, Range body) {
        if (n < 2 * CHUNK) {
            body.run(0, n);
            return;
        }
        Parallel.range((n + CHUNK - 1) / CHUNK)
                .forEach(c -> body.run(c * CHUNK, Math.min(n, (c + 1) * CHUNK)));
    }

    private static Tensor map(Tensor x, DType outType, DoubleUnaryOperator f) {
        int n = x.numel();
        Storage in = x.storage();
        Storage out = Storage.allocate(outType, n);
        if (x.isContiguous()) {
            int off = x.storageOffset();
            for (int i = 0; i < n; i++) {
                out.setDouble(i, f.applyAsDouble(in.getDouble(off + i)));
            }
        } else {
            int[] offs = Strided.offsets(x);
            for (int i = 0; i < n; i++) {
                out.setDouble(i, f.applyAsDouble(in.getDouble(offs[i])));
            }
        }
        return Tensor.wrap(out, x.shape());
    }

    private static Tensor mapLong(Tensor x, DType outType, LongUnaryOperator f) {
        int n = x.numel();
        Storage in = x.storage();
        Storage out = Storage.allocate(outType, n);
        int[] offs = x.isContiguous() ? null : Strided.offsets(x);
        int off = x.storageOffset();
        for (int i = 0; i < n; i++) {
            out.setLong(i, f.applyAsLong(in.getLong(offs == null ? off + i : offs[i])));
        }
        return Tensor.wrap(out, x.shape());
    }

    @Override
    public Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        DType dtype = a.dtype();
        DType outType = op.producesBool() ? DType.BOOL : dtype;
        int n = a.numel();
        if (dtype == DType.FLOAT32) {
            if (!op.producesBool()) {
                float[] fast = fastBinaryFloat(op, a, b, n);
                if (fast != null) {
                    return Tensor.wrap(Storage.wrap(fast), a.shape());
                }
            }
            return binaryFloatStrided(op, a, b, n);
        }
        if (dtype == DType.INT64) {
            return binaryLongStrided(op, a, b, n, outType);
        }
        if (dtype.isFloatingPoint()) {
            double[] x = Elements.doubles(a);
            double[] y = Elements.doubles(b);
            DoubleBinaryOperator f = doubleOp(op);
            for (int i = 0; i < n; i++) {
                x[i] = f.applyAsDouble(x[i], y[i]);
            }
            return Tensor.wrap(Elements.fromDoubles(x, outType), a.shape());
        }
        long[] x = Elements.longs(a);
        long[] y = Elements.longs(b);
        long[] o = new long[n];
        switch (op) {
            case ADD -> { for (int i = 0; i < n; i++) o[i] = x[i] + y[i]; }
            case SUB -> { for (int i = 0; i < n; i++) o[i] = x[i] - y[i]; }
            case MUL -> { for (int i = 0; i < n; i++) o[i] = x[i] * y[i]; }
            case EQ -> { for (int i = 0; i < n; i++) o[i] = x[i] == y[i] ? 1 : 0; }
            case NE -> { for (int i = 0; i < n; i++) o[i] = x[i] != y[i] ? 1 : 0; }
            case LT -> { for (int i = 0; i < n; i++) o[i] = x[i] < y[i] ? 1 : 0; }
            case GE -> { for (int i = 0; i < n; i++) o[i] = x[i] >= y[i] ? 1 : 0; }
            default -> {
                LongBinaryOperator f = longOp(op, dtype);
                for (int i = 0; i < n; i++) {
                    o[i] = f.applyAsLong(x[i], y[i]);
                }
            }
        }
        return Tensor.wrap(Elements.fromLongs(o, outType), a.shape());
    }

    /** Direct loops for the hot float32 ops when both inputs are contiguous or one is a broadcast scalar. */
    private static float[] fastBinaryFloat(BinaryOp op, Tensor a, Tensor b, int n) {
        if (op != BinaryOp.ADD && op != BinaryOp.SUB && op != BinaryOp.MUL && op != BinaryOp.DIV) {
            return null;
        }
        boolean aDense = a.isContiguous();
        boolean bDense = b.isContiguous();
        boolean bScalar = !bDense && isBroadcastScalar(b);
        if (!aDense || !(bDense || bScalar)) {
            return null;
        }
        float[] x = a.storage().floats();
        float[] y = b.storage().floats();
        int ox = a.storageOffset();
        int oy = b.storageOffset();
        float[] o = FloatBuffers.take(n);
        inChunks(n, (from, to) -> {
            if (bScalar) {
                float s = y[oy];
                switch (op) {
                    case ADD -> { for (int i = from; i < to; i++) o[i] = x[ox + i] + s; }
                    case SUB -> { for (int i = from; i < to; i++) o[i] = x[ox + i] - s; }
                    case MUL -> { for (int i = from; i < to; i++) o[i] = x[ox + i] * s; }
                    default -> { for (int i = from; i < to; i++) o[i] = x[ox + i] / s; }
                }
            } else {
                switch (op) {
                    case ADD -> { for (int i = from; i < to; i++) o[i] = x[ox + i] + y[oy + i]; }
                    case SUB -> { for (int i = from; i < to; i++) o[i] = x[ox + i] - y[oy + i]; }
                    case MUL -> { for (int i = from; i < to; i++) o[i] = x[ox + i] * y[oy + i]; }
                    default -> { for (int i = from; i < to; i++) o[i] = x[ox + i] / y[oy + i]; }
                }
            }
        });
        return o;
    }

    /** float32 with any strides (broadcast views included), one innermost run at a time. */
    private static Tensor binaryFloatStrided(BinaryOp op, Tensor a, Tensor b, int n) {
        float[] x = a.storage().floats();
        float[] y = b.storage().floats();
        if (op.producesBool()) {
            byte[] o = new byte[n];
            DoubleBinaryOperator f = doubleOp(op);
            for (Strided.Runs r = Strided.runs(a.shape(), a.stride(), a.storageOffset(), b.stride(), b.storageOffset());
                 r.next(); ) {
                int out = r.out, pa = r.a, pb = r.b, len = r.len, da = r.aStride, db = r.bStride;
                for (int j = 0; j < len; j++) {
                    float u = x[pa + j * da];
                    float v = y[pb + j * db];
                    o[out + j] = switch (op) {
                        case EQ -> (byte) (u == v ? 1 : 0);
                        case NE -> (byte) (u != v ? 1 : 0);
                        case LT -> (byte) (u < v ? 1 : 0);
                        case LE -> (byte) (u <= v ? 1 : 0);
                        case GT -> (byte) (u > v ? 1 : 0);
                        case GE -> (byte) (u >= v ? 1 : 0);
                        default -> (byte) f.applyAsDouble(u, v);
                    };
                }
            }
            return Tensor.wrap(Storage.wrap(o, DType.BOOL), a.shape());
        }
        float[] o = FloatBuffers.take(n);
        DoubleBinaryOperator f = doubleOp(op);
        int[] shape = a.shape();
        if (n >= 2 * CHUNK && shape.length >= 2 && shape[0] > 1) {
            // slices of the first dim on all cores (a conv's bias added to its transposed product)
            int[] inner = Arrays.copyOfRange(shape, 1, shape.length);
            int[] sa = Arrays.copyOfRange(a.stride(), 1, shape.length);
            int[] sb = Arrays.copyOfRange(b.stride(), 1, shape.length);
            int slice = n / shape[0];
            Parallel.range(shape[0]).forEach(i -> floatRuns(op, f,
                    Strided.runs(inner, sa, a.storageOffset() + i * a.stride()[0], sb, b.storageOffset() + i * b.stride()[0]),
                    x, y, o, i * slice));
            return Tensor.wrap(Storage.wrap(o), shape);
        }
        floatRuns(op, f, Strided.runs(a.shape(), a.stride(), a.storageOffset(), b.stride(), b.storageOffset()), x, y, o, 0);
        return Tensor.wrap(Storage.wrap(o), a.shape());
    }

    private static void floatRuns(BinaryOp op, DoubleBinaryOperator f, Strided.Runs r, float[] x, float[] y, float[] o,
                                  int outOffset) {
        while (r.next()) {
            floatRun(op, f, x, r.a, r.aStride, y, r.b, r.bStride, o, outOffset + r.out, r.len);
        }
    }

    /** int64 with any strides (index arithmetic, masks), one innermost run at a time. */
    private static Tensor binaryLongStrided(BinaryOp op, Tensor a, Tensor b, int n, DType outType) {
        long[] x = a.storage().longs();
        long[] y = b.storage().longs();
        long[] o = new long[n];
        LongBinaryOperator f = longOp(op, DType.INT64);
        for (Strided.Runs r = Strided.runs(a.shape(), a.stride(), a.storageOffset(), b.stride(), b.storageOffset());
             r.next(); ) {
            int out = r.out, pa = r.a, pb = r.b, len = r.len, da = r.aStride, db = r.bStride;
            switch (op) {
                case ADD -> { for (int j = 0; j < len; j++) o[out + j] = x[pa + j * da] + y[pb + j * db]; }
                case SUB -> { for (int j = 0; j < len; j++) o[out + j] = x[pa + j * da] - y[pb + j * db]; }
                case MUL -> { for (int j = 0; j < len; j++) o[out + j] = x[pa + j * da] * y[pb + j * db]; }
                case EQ -> { for (int j = 0; j < len; j++) o[out + j] = x[pa + j * da] == y[pb + j * db] ? 1 : 0; }
                default -> {
                    for (int j = 0; j < len; j++) {
                        o[out + j] = f.applyAsLong(x[pa + j * da], y[pb + j * db]);
                    }
                }
            }
        }
        return Tensor.wrap(Elements.fromLongs(o, outType), a.shape());
    }

    private static void floatRun(BinaryOp op, DoubleBinaryOperator f, float[] x, int pa, int da, float[] y, int pb, int db,
                                 float[] o, int out, int len) {
        if (da == 1 && db == 0) {
            float s = y[pb];
            switch (op) {
                case ADD -> { for (int j = 0; j < len; j++) o[out + j] = x[pa + j] + s; }
                case SUB -> { for (int j = 0; j < len; j++) o[out + j] = x[pa + j] - s; }
                case MUL -> { for (int j = 0; j < len; j++) o[out + j] = x[pa + j] * s; }
                case DIV -> { for (int j = 0; j < len; j++) o[out + j] = x[pa + j] / s; }
                default -> { for (int j = 0; j < len; j++) o[out + j] = (float) f.applyAsDouble(x[pa + j], s); }
            }
            return;
        }
        if (da == 0 && db == 1) {
            float s = x[pa];
            switch (op) {
                case ADD -> { for (int j = 0; j < len; j++) o[out + j] = s + y[pb + j]; }
                case SUB -> { for (int j = 0; j < len; j++) o[out + j] = s - y[pb + j]; }
                case MUL -> { for (int j = 0; j < len; j++) o[out + j] = s * y[pb + j]; }
                case DIV -> { for (int j = 0; j < len; j++) o[out + j] = s / y[pb + j]; }
                default -> { for (int j = 0; j < len; j++) o[out + j] = (float) f.applyAsDouble(s, y[pb + j]); }
            }
            return;
        }
        switch (op) {
            case ADD -> { for (int j = 0; j < len; j++) o[out + j] = x[pa + j * da] + y[pb + j * db]; }
            case SUB -> { for (int j = 0; j < len; j++) o[out + j] = x[pa + j * da] - y[pb + j * db]; }
            case MUL -> { for (int j = 0; j < len; j++) o[out + j] = x[pa + j * da] * y[pb + j * db]; }
            case DIV -> { for (int j = 0; j < len; j++) o[out + j] = x[pa + j * da] / y[pb + j * db]; }
            default -> { for (int j = 0; j < len; j++) o[out + j] = (float) f.applyAsDouble(x[pa + j * da], y[pb + j * db]); }
        }
    }

    private static boolean isBroadcastScalar(Tensor t) {
        for (int s : t.stride()) {
            if (s != 0) {
                return false;
            }
        }
        return true;
    }

    private static DoubleBinaryOperator doubleOp(BinaryOp op) {
        return switch (op) {
            case ADD -> Double::sum;
            case SUB -> (x, y) -> x - y;
            case MUL -> (x, y) -> x * y;
            case DIV -> (x, y) -> x / y;
            case POW -> Math::pow;
            case REMAINDER -> (x, y) -> {
                double r = x % y;
                return r != 0 && (r < 0) != (y < 0) ? r + y : r;
            };
            case MAXIMUM -> (x, y) -> Double.isNaN(x) || Double.isNaN(y) ? Double.NaN : Math.max(x, y);
            case MINIMUM -> (x, y) -> Double.isNaN(x) || Double.isNaN(y) ? Double.NaN : Math.min(x, y);
            case EQ -> (x, y) -> x == y ? 1 : 0;
            case NE -> (x, y) -> x != y ? 1 : 0;
            case LT -> (x, y) -> x < y ? 1 : 0;
            case LE -> (x, y) -> x <= y ? 1 : 0;
            case GT -> (x, y) -> x > y ? 1 : 0;
            case GE -> (x, y) -> x >= y ? 1 : 0;
            case LOGICAL_AND -> (x, y) -> x != 0 && y != 0 ? 1 : 0;
            case LOGICAL_OR -> (x, y) -> x != 0 || y != 0 ? 1 : 0;
            case LOGICAL_XOR -> (x, y) -> (x != 0) != (y != 0) ? 1 : 0;
        };
    }

    private static LongBinaryOperator longOp(BinaryOp op, DType dtype) {
        return switch (op) {
            case ADD -> Long::sum;
            case SUB -> (x, y) -> x - y;
            case MUL -> (x, y) -> x * y;
            case DIV -> (x, y) -> {
                if (y == 0) {
                    throw new ArithmeticException("floor division of " + dtype + " tensors by zero");
                }
                return Math.floorDiv(x, y);
            };
            case POW -> (x, y) -> {
                if (y < 0) {
                    throw new ArithmeticException("integers to negative integer powers are not allowed (" + x + " ** " + y + ")");
                }
                long r = 1;
                for (long i = 0; i < y; i++) {
                    r *= x;
                }
                return r;
            };
            case REMAINDER -> (x, y) -> {
                if (y == 0) {
                    throw new ArithmeticException("remainder: ZeroDivisionError for " + dtype + " tensors");
                }
                return Math.floorMod(x, y);
            };
            case MAXIMUM -> Math::max;
            case MINIMUM -> Math::min;
            case EQ -> (x, y) -> x == y ? 1 : 0;
            case NE -> (x, y) -> x != y ? 1 : 0;
            case LT -> (x, y) -> x < y ? 1 : 0;
            case LE -> (x, y) -> x <= y ? 1 : 0;
            case GT -> (x, y) -> x > y ? 1 : 0;
            case GE -> (x, y) -> x >= y ? 1 : 0;
            case LOGICAL_AND -> (x, y) -> x != 0 && y != 0 ? 1 : 0;
            case LOGICAL_OR -> (x, y) -> x != 0 || y != 0 ? 1 : 0;
            case LOGICAL_XOR -> (x, y) -> (x != 0) != (y != 0) ? 1 : 0;
        };
    }

    @Override
    public Tensor where(Tensor cond, Tensor a, Tensor b) {
        int n = a.numel();
        DType dtype = a.dtype();
        long[] c = Elements.longs(cond);
        if (dtype == DType.FLOAT32) {
            float[] x = a.storage().floats();
            float[] y = b.storage().floats();
            int[] oa = Strided.offsets(a);
            int[] ob = Strided.offsets(b);
            float[] o = new float[n];
            for (int i = 0; i < n; i++) {
                o[i] = c[i] != 0 ? x[oa[i]] : y[ob[i]];
            }
            return Tensor.wrap(Storage.wrap(o), a.shape());
        }
        if (dtype.isFloatingPoint()) {
            double[] x = Elements.doubles(a);
            double[] y = Elements.doubles(b);
            for (int i = 0; i < n; i++) {
                x[i] = c[i] != 0 ? x[i] : y[i];
            }
            return Tensor.wrap(Elements.fromDoubles(x, dtype), a.shape());
        }
        long[] x = Elements.longs(a);
        long[] y = Elements.longs(b);
        for (int i = 0; i < n; i++) {
            x[i] = c[i] != 0 ? x[i] : y[i];
        }
        return Tensor.wrap(Elements.fromLongs(x, dtype), a.shape());
    }

    // ---- reductions ----

    /** Moves {@code dims} to the end so each output element reduces one contiguous block of the permuted copy. */
    private static int[] reducedLast(int nd, int[] dims) {
        int[] perm = new int[nd];
        boolean[] reduced = new boolean[nd];
        for (int d : dims) {
            reduced[d] = true;
        }
        int k = 0;
        for (int d = 0; d < nd; d++) {
            if (!reduced[d]) {
                perm[k++] = d;
            }
        }
        for (int d : dims) {
            perm[k++] = d;
        }
        return perm;
    }

    private static int[] keptShape(int[] shape, int[] dims) {
        boolean[] reduced = new boolean[shape.length];
        for (int d : dims) {
            reduced[d] = true;
        }
        return java.util.stream.IntStream.range(0, shape.length).filter(d -> !reduced[d]).map(d -> shape[d]).toArray();
    }

    @Override
    public Tensor reduce(ReduceOp op, Tensor x, int[] dims) {
        int[] shape = x.shape();
        int[] outShape = keptShape(shape, dims);
        int outN = 1;
        for (int s : outShape) {
            outN *= s;
        }
        int block = 1;
        for (int d : dims) {
            block *= shape[d];
        }
        if ((op == ReduceOp.MAX || op == ReduceOp.MIN) && block == 0) {
            throw new IllegalArgumentException(op.name().toLowerCase() + "(): cannot reduce over a zero-size dimension of a tensor of shape "
                    + Arrays.toString(shape));
        }
        boolean trailing = x.isContiguous() && dimsAreTrailing(dims, shape.length);
        if (x.dtype() == DType.FLOAT32 && op == ReduceOp.SUM && !trailing && x.isContiguous() && ascending(dims)
                && x.numel() > 0) {
            return Tensor.wrap(Storage.wrap(sumInMemoryOrder(x.storage().floats(), x.storageOffset(), shape, dims, outN)),
                    outShape);
        }
        int[] offs = trailing ? null : Strided.offsets(x.permute(reducedLast(shape.length, dims)));
        Storage out = Storage.allocate(x.dtype(), outN);
        if (x.dtype() == DType.FLOAT32 && op == ReduceOp.SUM) {
            sumFloats(x.storage().floats(), x.storageOffset(), offs, block, out.floats());
            return Tensor.wrap(out, outShape);
        }
        if (offs == null) {
            offs = new int[x.numel()];
            for (int i = 0; i < offs.length; i++) {
                offs[i] = x.storageOffset() + i;
            }
        }
        if (x.dtype().isFloatingPoint()) {
            reduceFloating(op, x.storage(), offs, block, out, outN);
        } else {
            reduceIntegral(op, x.storage(), offs, block, out, outN);
        }
        return Tensor.wrap(out, outShape);
    }

    // The loops below are methods of their own so that C2 compiles (and, on a new loop shape, recompiles) small
    // methods rather than reduce() with every dtype's and op's loop inlined in it.

    /** float32 sums of {@code block} elements per output, in double: contiguous from {@code base}, or through offs. */
    private static void sumFloats(float[] f, int base, int[] offs, int block, float[] o) {
        for (int r = 0; r < o.length; r++) {
            int start = r * block;
            o[r] = (float) (offs == null ? sumRun(f, base + start, block) : sumAt(f, offs, start, block));
        }
    }

    private static double sumRun(float[] f, int from, int len) {
        double acc = 0;
        for (int j = from, end = from + len; j < end; j++) {
            acc += f[j];
        }
        return acc;
    }

    private static double sumAt(float[] f, int[] offs, int from, int len) {
        double acc = 0;
        for (int j = from, end = from + len; j < end; j++) {
            acc += f[offs[j]];
        }
        return acc;
    }

    private static void reduceFloating(ReduceOp op, Storage in, int[] offs, int block, Storage out, int outN) {
        for (int o = 0; o < outN; o++) {
            int start = o * block;
            double acc = switch (op) {
                case SUM -> {
                    double s = 0;
                    for (int j = 0; j < block; j++) {
                        s += in.getDouble(offs[start + j]);
                    }
                    yield s;
                }
                case PROD -> {
                    double s = 1;
                    for (int j = 0; j < block; j++) {
                        s *= in.getDouble(offs[start + j]);
                    }
                    yield s;
                }
                case MAX, MIN -> {
                    double s = in.getDouble(offs[start]);
                    for (int j = 1; j < block && !Double.isNaN(s); j++) {
                        double v = in.getDouble(offs[start + j]);
                        if (Double.isNaN(v) || (op == ReduceOp.MAX ? v > s : v < s)) {
                            s = v;
                        }
                    }
                    yield s;
                }
            };
            out.setDouble(o, acc);
        }
    }

    private static void reduceIntegral(ReduceOp op, Storage in, int[] offs, int block, Storage out, int outN) {
        for (int o = 0; o < outN; o++) {
            int start = o * block;
            long acc = op == ReduceOp.PROD ? 1 : op == ReduceOp.SUM ? 0 : in.getLong(offs[start]);
            for (int j = 0; j < block; j++) {
                long v = in.getLong(offs[start + j]);
                acc = switch (op) {
                    case SUM -> acc + v;
                    case PROD -> acc * v;
                    case MAX -> Math.max(acc, v);
                    case MIN -> Math.min(acc, v);
                };
            }
            out.setLong(o, acc);
        }
    }

    private static boolean ascending(int[] dims) {
        for (int i = 1; i < dims.length; i++) {
            if (dims[i] <= dims[i - 1]) {
                return false;
            }
        }
        return true;
    }

    /**
     * float32 sum of a contiguous tensor over ascending dims (a bias gradient: over N, H and W), read once in memory
     * order. Each output still adds its elements in row-major order, in double, so the result is the one the
     * permuted walk gives, without its table of offsets.
     */
    private static float[] sumInMemoryOrder(float[] f, int base, int[] shape, int[] dims, int outN) {
        int nd = shape.length;
        boolean[] reduced = new boolean[nd];
        for (int d : dims) {
            reduced[d] = true;
        }
        int[] outStride = new int[nd];
        for (int d = nd - 1, s = 1; d >= 0; d--) {
            if (!reduced[d]) {
                outStride[d] = s;
                s *= shape[d];
            }
        }
        double[] acc = new double[outN];
        if (nd >= 2 && reduced[nd - 1] && !reduced[nd - 2]) {
            sumRowsFourAtATime(f, base, shape, reduced, outStride, acc);
        } else {
            sumRuns(f, base, shape, reduced, outStride, acc);
        }
        float[] out = new float[outN];
        for (int i = 0; i < outN; i++) {
            out[i] = (float) acc[i];
        }
        return out;
    }

    /**
     * The last dim reduced, the one before kept (a bias gradient over [N, C, H*W]): consecutive rows belong to different
     * outputs, so four rows are summed side by side, four independent chains of additions instead of one.
     */
    private static void sumRowsFourAtATime(float[] f, int base, int[] shape, boolean[] reduced, int[] outStride,
                                           double[] acc) {
        int nd = shape.length;
        int inner = shape[nd - 1];
        int rows = shape[nd - 2];
        int rowStride = outStride[nd - 2];
        int blocks = 1;
        for (int d = 0; d < nd - 2; d++) {
            blocks *= shape[d];
        }
        int[] index = new int[nd];
        int o = 0;
        for (int blk = 0, pos = base; blk < blocks; blk++, pos += rows * inner) {
            int r = 0;
            for (; r + 4 <= rows; r += 4) {
                int p0 = pos + r * inner;
                int q = o + r * rowStride;
                double a0 = acc[q];
                double a1 = acc[q + rowStride];
                double a2 = acc[q + 2 * rowStride];
                double a3 = acc[q + 3 * rowStride];
                for (int j = 0; j < inner; j++) {
                    a0 += f[p0 + j];
                    a1 += f[p0 + inner + j];
                    a2 += f[p0 + 2 * inner + j];
                    a3 += f[p0 + 3 * inner + j];
                }
                acc[q] = a0;
                acc[q + rowStride] = a1;
                acc[q + 2 * rowStride] = a2;
                acc[q + 3 * rowStride] = a3;
            }
            for (; r < rows; r++) {
                int p0 = pos + r * inner;
                double a = acc[o + r * rowStride];
                for (int j = 0; j < inner; j++) {
                    a += f[p0 + j];
                }
                acc[o + r * rowStride] = a;
            }
            for (int d = nd - 3; d >= 0; d--) {
                index[d]++;
                o += outStride[d];
                if (index[d] < shape[d]) {
                    break;
                }
                o -= outStride[d] * shape[d];
                index[d] = 0;
            }
        }
    }

    private static void sumRuns(float[] f, int base, int[] shape, boolean[] reduced, int[] outStride, double[] acc) {
        int nd = shape.length;
        int inner = shape[nd - 1];
        int runs = 1;
        for (int d = 0; d < nd - 1; d++) {
            runs *= shape[d];
        }
        int[] index = new int[nd];
        int o = 0;
        for (int r = 0, pos = base; r < runs; r++, pos += inner) {
            if (reduced[nd - 1]) {
                double a = acc[o];
                for (int j = 0; j < inner; j++) {
                    a += f[pos + j];
                }
                acc[o] = a;
            } else {
                for (int j = 0; j < inner; j++) {
                    acc[o + j] += f[pos + j];
                }
            }
            for (int d = nd - 2; d >= 0; d--) {
                index[d]++;
                o += outStride[d];
                if (index[d] < shape[d]) {
                    break;
                }
                o -= outStride[d] * shape[d];
                index[d] = 0;
            }
        }
    }

    private static boolean dimsAreTrailing(int[] dims, int nd) {
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] != nd - dims.length + i) {
                return false;
            }
        }
        return true;
    }

    @Override
    public Tensor[] argReduce(ReduceOp op, Tensor x, int dim) {
        int[] shape = x.shape();
        int[] dims = {dim};
        int[] outShape = keptShape(shape, dims);
        int block = shape[dim];
        if (block == 0) {
            throw new IllegalArgumentException("cannot compute " + op.name().toLowerCase() + " over dim " + dim
                    + " of size 0 (shape " + Arrays.toString(shape) + ")");
        }
        int outN = x.numel() / block;
        Storage in = x.storage();
        Storage values = Storage.allocate(x.dtype(), outN);
        long[] indices = new long[outN];
        boolean isMax = op == ReduceOp.MAX;
        if (x.dtype() == DType.FLOAT32 && x.isContiguous() && dim == shape.length - 1) {
            float[] f = in.floats();
            float[] v = values.floats();
            int base = x.storageOffset();
            for (int o = 0; o < outN; o++) {
                int start = base + o * block;
                float s = f[start];
                int best = 0;
                for (int j = 1; j < block; j++) {
                    float e = f[start + j];
                    // NaN wins and stays: e != e is NaN, and once s is NaN nothing compares greater
                    if ((isMax ? e > s : e < s) || (e != e && s == s)) {
                        s = e;
                        best = j;
                    }
                }
                v[o] = s;
                indices[o] = best;
            }
            return new Tensor[] {Tensor.wrap(values, outShape), Tensor.wrap(Storage.wrap(indices), outShape)};
        }
        int[] offs = Strided.offsets(x.permute(reducedLast(shape.length, dims)));
        boolean floating = x.dtype().isFloatingPoint();
        for (int o = 0; o < outN; o++) {
            int start = o * block;
            int best = 0;
            if (x.dtype() == DType.FLOAT32) {
                float[] f = in.floats();
                float s = f[offs[start]];
                for (int j = 1; j < block && !Float.isNaN(s); j++) {
                    float v = f[offs[start + j]];
                    if (Float.isNaN(v) || (isMax ? v > s : v < s)) {
                        s = v;
                        best = j;
                    }
                }
                values.setDouble(o, s);
            } else if (floating) {
                double s = in.getDouble(offs[start]);
                for (int j = 1; j < block && !Double.isNaN(s); j++) {
                    double v = in.getDouble(offs[start + j]);
                    if (Double.isNaN(v) || (isMax ? v > s : v < s)) {
                        s = v;
                        best = j;
                    }
                }
                values.setDouble(o, s);
            } else {
                long s = in.getLong(offs[start]);
                for (int j = 1; j < block; j++) {
                    long v = in.getLong(offs[start + j]);
                    if (isMax ? v > s : v < s) {
                        s = v;
                        best = j;
                    }
                }
                values.setLong(o, s);
            }
            indices[o] = best;
        }
        return new Tensor[] {Tensor.wrap(values, outShape), Tensor.wrap(Storage.wrap(indices), outShape)};
    }

    // ---- matmul ----

    @Override
    public Tensor matmul(Tensor a, Tensor b) {
        int batch = a.size(0);
        int m = a.size(1);
        int k = a.size(2);
        int n = b.size(2);
        DType dtype = a.dtype();
        if (dtype == DType.FLOAT32) {
            float[] out = FloatBuffers.take(batch * m * n);
            int[] sa = a.stride();
            int[] sb = b.stride();
            float[] x = a.storage().floats();
            float[] y = b.storage().floats();
            for (int p = 0; p < batch; p++) {
                var left = new Gemm.Matrix(x, a.storageOffset() + p * sa[0], sa[1], sa[2]);
                var right = new Gemm.Matrix(y, b.storageOffset() + p * sb[0], sb[1], sb[2]);
                if (VectorApi.ENABLED) {
                    Gemm.sgemm(m, n, k, left, right, out, p * m * n);
                } else {
                    ScalarGemm.sgemm(m, n, k, left, right, out, p * m * n);
                }
            }
            return Tensor.wrap(Storage.wrap(out), batch, m, n);
        }
        Tensor ac = a.isContiguous() ? a : copy(a, dtype);
        Tensor bc = b.isContiguous() ? b : copy(b, dtype);
        Storage sa = ac.storage();
        Storage sb = bc.storage();
        int oa = ac.storageOffset();
        int ob = bc.storageOffset();
        Storage out = Storage.allocate(dtype, batch * m * n);
        boolean floating = dtype.isFloatingPoint();
        for (int p = 0; p < batch; p++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    if (floating) {
                        double s = 0;
                        for (int q = 0; q < k; q++) {
                            s += sa.getDouble(oa + (p * m + i) * k + q) * sb.getDouble(ob + (p * k + q) * n + j);
                        }
                        out.setDouble((p * m + i) * n + j, s);
                    } else {
                        long s = 0;
                        for (int q = 0; q < k; q++) {
                            s += sa.getLong(oa + (p * m + i) * k + q) * sb.getLong(ob + (p * k + q) * n + j);
                        }
                        out.setLong((p * m + i) * n + j, s);
                    }
                }
            }
        }
        return Tensor.wrap(out, batch, m, n);
    }

    @Override
    public Tensor unfold(Tensor x, dev.trainyard.engine.backend.ConvGeometry geometry, double padValue) {
        return CpuConvKernels.unfold(x, geometry, padValue);
    }

    @Override
    public Tensor fold(Tensor cols, int channels, dev.trainyard.engine.backend.ConvGeometry geometry) {
        return CpuConvKernels.fold(cols, channels, geometry);
    }

    @Override
    public Tensor[] conv2d(Tensor x, Tensor weight, Tensor bias, dev.trainyard.engine.backend.ConvGeometry geometry) {
        if (!CpuColumnConv.applies(x, weight, bias, geometry)) {
            return Kernels.super.conv2d(x, weight, bias, geometry);
        }
        return CpuColumnConv.forward(x, weight, bias, geometry);
    }

    @Override
    public Tensor[] conv2dBackward(Tensor grad, Tensor x, Tensor unfolded, Tensor weight, int[] weightShape,
                                   dev.trainyard.engine.backend.ConvGeometry geometry, int[] inputShape, boolean input,
                                   boolean weightGrad, boolean biasGrad) {
        // the forward's layout: columns (2-D) or none from CpuColumnConv, rows [1, N*L, C*kh*kw] from the composition;
        // none also where the weight needs no gradient, so then the forward's own test says which ran
        boolean columns = unfolded != null ? unfolded.dim() == 2
                : grad.dtype() == DType.FLOAT32 && CpuColumnConv.applies(x, weightShape, geometry);
        if (!columns) {
            return Kernels.super.conv2dBackward(grad, x, unfolded, weight, weightShape, geometry, inputShape, input,
                    weightGrad, biasGrad);
        }
        Tensor g = grad.isContiguous() ? grad : copy(grad, grad.dtype());
        return CpuColumnConv.backward(g, x, unfolded, weight, weightShape, geometry, inputShape, input, weightGrad,
                biasGrad);
    }

    @Override
    public Tensor transposeAddBias(Tensor product, Tensor bias) {
        if (product.dtype() != DType.FLOAT32 || bias.dtype() != DType.FLOAT32 || !product.isContiguous()
                || !bias.isContiguous()) {
            return Kernels.super.transposeAddBias(product, bias);
        }
        return CpuConvKernels.transposeAddBias(product, bias);
    }

    @Override
    public Tensor[] transposeAndSumRows(Tensor grad) {
        if (grad.dtype() != DType.FLOAT32 || !grad.isContiguous()) {
            return Kernels.super.transposeAndSumRows(grad);
        }
        return CpuConvKernels.transposeAndSumRows(grad);
    }

    @Override
    public Tensor[] maxPool2d(Tensor x, dev.trainyard.engine.backend.ConvGeometry geometry) {
        return CpuConvKernels.maxPool2d(x, geometry);
    }

    @Override
    public Tensor maxPool2dBackward(Tensor grad, Tensor positions, dev.trainyard.engine.backend.ConvGeometry geometry,
                                    int[] inputShape) {
        return CpuConvKernels.maxPool2dBackward(grad, positions, geometry, inputShape);
    }

    // ---- indexing primitives (see CpuIndexKernels) ----

    @Override
    public Tensor take(Tensor x, Tensor index) {
        return CpuIndexKernels.take(x, index);
    }

    @Override
    public Tensor indexSelect(Tensor x, int dim, long[] index) {
        return CpuIndexKernels.indexSelect(x, dim, index);
    }

    @Override
    public Tensor put(Tensor x, Tensor index, Tensor src, boolean accumulate) {
        return CpuIndexKernels.put(x, index, src, accumulate);
    }

    @Override
    public Tensor cumsum(Tensor x, int dim) {
        return CpuIndexKernels.cumsum(x, dim);
    }

    @Override
    public Tensor argsort(Tensor x, int dim, boolean descending) {
        return CpuIndexKernels.argsort(x, dim, descending);
    }

    // ---- fused nodes' kernels ----

    @Override
    public Tensor addBias(Tensor matrix, Tensor bias) {
        if (!matrix.isContiguous()) {
            return Kernels.super.addBias(matrix, bias);
        }
        return CpuBiasAdd.addInPlace(matrix, bias);
    }

    @Override
    public Tensor[] crossEntropy(Tensor logits, Tensor target, long ignoreIndex) {
        return CpuCrossEntropy.forward(logits, target, ignoreIndex);
    }

    @Override
    public Tensor crossEntropyBackward(Tensor gradLoss, Tensor target, long ignoreIndex, Tensor exps, Tensor sums) {
        return CpuCrossEntropy.backward(gradLoss, target, ignoreIndex, exps, sums);
    }

    @Override
    public Tensor vectorNorm(Tensor x, double p) {
        return Tensor.wrap(Storage.wrap(new double[] {CpuVectorNorm.norm(x, p)}));
    }

    @Override
    public Tensor fma(Tensor a, Tensor b, Tensor c) {
        double[] x = Elements.doubles(a);
        double[] y = Elements.doubles(b);
        double[] z = Elements.doubles(c);
        boolean f32 = a.dtype() == DType.FLOAT32;
        for (int i = 0; i < x.length; i++) {
            x[i] = f32 ? Math.fma((float) x[i], (float) y[i], (float) z[i]) : Math.fma(x[i], y[i], z[i]);
        }
        return Tensor.wrap(Elements.fromDoubles(x, a.dtype()), a.shape());
    }

    @Override
    public void adamStep(Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, Tensor maxExpAvgSq,
                         dev.trainyard.engine.backend.AdamStep s) {
        CpuAdam.step(param, grad, expAvg, expAvgSq, maxExpAvgSq, s);
    }

    @Override
    public void sgdStep(Tensor param, Tensor grad, Tensor momentumBuffer, boolean firstStep,
                        dev.trainyard.engine.backend.SgdStep s) {
        CpuSgd.step(param, grad, momentumBuffer, firstStep, s);
    }

    @Override
    public void rmspropStep(Tensor param, Tensor grad, Tensor squareAvg, Tensor gradAvg, Tensor momentumBuffer,
                            dev.trainyard.engine.backend.RmspropStep s) {
        CpuRmsprop.step(param, grad, squareAvg, gradAvg, momentumBuffer, s);
    }

    @Override
    public void adagradStep(Tensor param, Tensor grad, Tensor stateSum, dev.trainyard.engine.backend.AdagradStep s) {
        CpuAdagrad.step(param, grad, stateSum, s);
    }
}
