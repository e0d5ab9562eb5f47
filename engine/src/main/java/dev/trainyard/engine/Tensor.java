package dev.trainyard.engine;

import dev.trainyard.engine.autograd.Autograd;
import dev.trainyard.engine.autograd.AutogradMeta;
import dev.trainyard.engine.autograd.GradMode;
import dev.trainyard.engine.autograd.InPlace;
import dev.trainyard.engine.autograd.Node;
import dev.trainyard.engine.autograd.RemovableHandle;
import dev.trainyard.engine.backend.BinaryOp;
import dev.trainyard.engine.backend.Kernels;
import dev.trainyard.engine.backend.Storage;
import dev.trainyard.engine.backend.UnaryOp;
import dev.trainyard.engine.ops.Elementwise;
import dev.trainyard.engine.ops.Indexing;
import dev.trainyard.engine.ops.LinearAlgebra;
import dev.trainyard.engine.ops.Reductions;
import dev.trainyard.engine.ops.Views;

import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * An n-dimensional array with autograd, as {@code torch.Tensor}: a strided view of a {@link Storage}, so views
 * (reshape, transpose, slicing, expand) share memory with their base. Names follow PyTorch in camelCase; methods
 * ending in {@code _} work in place.
 */
public final class Tensor {
    private final Storage storage;
    private final int[] shape;
    private final int[] strides;
    private final int offset;
    private final Device device;
    /** The tensor whose storage this one views, or null if it owns its storage. */
    private final Tensor base;
    private AutogradMeta meta;
    private boolean wrappedNumber;

    private Tensor(Storage storage, int[] shape, int[] strides, int offset, Device device, Tensor base) {
        this.storage = storage;
        this.shape = shape;
        this.strides = strides;
        this.offset = offset;
        this.device = device;
        this.base = base;
    }

    // ------------------------------------------------------------------ construction

    /** A contiguous CPU tensor over {@code storage}; kernels use it to return results. */
    public static Tensor wrap(Storage storage, int... shape) {
        int n = Shapes.numel(shape);
        if (n > storage.size()) {
            throw new IllegalArgumentException("storage of " + storage.size() + " elements is too small for shape " + Arrays.toString(shape));
        }
        return new Tensor(storage, shape.clone(), Shapes.contiguousStrides(shape), 0, Device.CPU, null);
    }

    private static Tensor wrapChecked(Storage storage, int length, int[] shape) {
        int n = Shapes.numel(shape);
        if (n != length) {
            throw new IllegalArgumentException("data of length " + length + " does not match shape " + Arrays.toString(shape)
                    + " (" + n + " elements)");
        }
        return wrap(storage, shape);
    }

    /**
     * A float32 tensor with a copy of {@code data}, e.g. {@code Tensor.of(new float[] {1, 2, 3, 4}, 2, 2)}. Without a
     * shape, an array of several elements is 1-D; a single element with an empty shape is 0-dim (Java's varargs cannot
     * tell "no shape" from the 0-dim shape), so write {@code Tensor.of(new float[] {3}, 1)} for {@code torch.tensor([3.])}.
     */
    public static Tensor of(float[] data, int... shape) {
        return wrapChecked(Storage.wrap(data.clone()), data.length, shape.length == 0 && data.length != 1 ? new int[] {data.length} : shape);
    }

    public static Tensor of(double[] data, int... shape) {
        return wrapChecked(Storage.wrap(data.clone()), data.length, shape.length == 0 && data.length != 1 ? new int[] {data.length} : shape);
    }

    public static Tensor of(long[] data, int... shape) {
        return wrapChecked(Storage.wrap(data.clone()), data.length, shape.length == 0 && data.length != 1 ? new int[] {data.length} : shape);
    }

    public static Tensor of(int[] data, int... shape) {
        return wrapChecked(Storage.wrap(data.clone()), data.length, shape.length == 0 && data.length != 1 ? new int[] {data.length} : shape);
    }

    public static Tensor of(boolean[] data, int... shape) {
        byte[] bytes = new byte[data.length];
        for (int i = 0; i < data.length; i++) {
            bytes[i] = (byte) (data[i] ? 1 : 0);
        }
        return wrapChecked(Storage.wrap(bytes, DType.BOOL), data.length, shape.length == 0 && data.length != 1 ? new int[] {data.length} : shape);
    }

    public static Tensor ofUint8(byte[] data, int... shape) {
        return wrapChecked(Storage.wrap(data.clone(), DType.UINT8), data.length, shape.length == 0 && data.length != 1 ? new int[] {data.length} : shape);
    }

    /** A 0-dim float32 tensor, as {@code torch.tensor(3.5)}. */
    public static Tensor scalar(double value) {
        return full(new int[0], value, DType.FLOAT32);
    }

    /** A 0-dim int64 tensor, as {@code torch.tensor(3)}. */
    public static Tensor scalar(long value) {
        Tensor t = empty(new int[0], DType.INT64);
        t.storage.setLong(0, value);
        return t;
    }

    public static Tensor scalar(boolean value) {
        return full(new int[0], value ? 1 : 0, DType.BOOL);
    }

    /** A 0-dim tensor standing for a Java number in an op, with PyTorch's "wrapped number" promotion rules. */
    public static Tensor wrappedScalar(double value) {
        Tensor t = full(new int[0], value, DType.FLOAT64);
        t.wrappedNumber = true;
        return t;
    }

    public static Tensor wrappedScalar(long value) {
        Tensor t = scalar(value);
        t.wrappedNumber = true;
        return t;
    }

    /** True for the 0-dim tensors that stand for Java numbers in ops. */
    public boolean isWrappedNumber() {
        return wrappedNumber;
    }

    public static Tensor empty(int[] shape, DType dtype) {
        return wrap(Storage.allocate(dtype, Shapes.numel(shape)), shape);
    }

    public static Tensor empty(int... shape) {
        return empty(shape, DType.defaultFloat());
    }

    public static Tensor zeros(int[] shape, DType dtype) {
        return empty(shape, dtype);
    }

    public static Tensor zeros(int... shape) {
        return empty(shape, DType.defaultFloat());
    }

    public static Tensor ones(int[] shape, DType dtype) {
        return full(shape, 1, dtype);
    }

    public static Tensor ones(int... shape) {
        return full(shape, 1, DType.defaultFloat());
    }

    public static Tensor full(int[] shape, double value, DType dtype) {
        Tensor t = empty(shape, dtype);
        int n = t.numel();
        if (dtype == DType.FLOAT32) {
            Arrays.fill(t.storage.floats(), 0, n, (float) value);
        } else {
            for (int i = 0; i < n; i++) {
                t.storage.setDouble(i, value);
            }
        }
        return t;
    }

    public static Tensor full(int[] shape, double value) {
        return full(shape, value, DType.defaultFloat());
    }

    public static Tensor zerosLike(Tensor t) {
        return zeros(t.shape, t.dtype());
    }

    public static Tensor onesLike(Tensor t) {
        return ones(t.shape, t.dtype());
    }

    public static Tensor fullLike(Tensor t, double value) {
        return full(t.shape, value, t.dtype());
    }

    public static Tensor emptyLike(Tensor t) {
        return empty(t.shape, t.dtype());
    }

    /** int64 {@code [0, end)}, as {@code torch.arange(end)}. */
    public static Tensor arange(long end) {
        return arange(0, end, 1);
    }

    public static Tensor arange(long start, long end, long step) {
        if (step == 0) {
            throw new IllegalArgumentException("arange: step must be nonzero");
        }
        long n = Math.max(0, (end - start + step - Long.signum(step)) / step);
        long[] data = new long[Math.toIntExact(n)];
        for (int i = 0; i < n; i++) {
            data[i] = start + i * step;
        }
        return wrap(Storage.wrap(data), data.length);
    }

    /** float32 {@code [start, end)} by {@code step}, as {@code torch.arange(0.0, 1.0, 0.1)}. */
    public static Tensor arange(double start, double end, double step) {
        if (step == 0 || Double.isNaN(step)) {
            throw new IllegalArgumentException("arange: step must be nonzero, got " + step);
        }
        int n = (int) Math.max(0, Math.ceil((end - start) / step));
        float[] data = new float[n];
        for (int i = 0; i < n; i++) {
            data[i] = (float) (start + i * step);
        }
        return wrap(Storage.wrap(data), n);
    }

    public static Tensor linspace(double start, double end, int steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("linspace: number of steps must be non-negative, got " + steps);
        }
        float[] data = new float[steps];
        double step = steps > 1 ? (end - start) / (steps - 1) : 0;
        int half = steps / 2;
        for (int i = 0; i < steps; i++) {
            // PyTorch fills the second half backwards from the end, so the last element is exactly `end`
            data[i] = (float) (i < half ? start + step * i : end - step * (steps - 1 - i));
        }
        return wrap(Storage.wrap(data), steps);
    }

    public static Tensor eye(int n) {
        return eye(n, n);
    }

    public static Tensor eye(int n, int m) {
        Tensor t = zeros(n, m);
        for (int i = 0; i < Math.min(n, m); i++) {
            t.storage.floats()[i * m + i] = 1f;
        }
        return t;
    }

    // ------------------------------------------------------------------ random (delegates to Generator)

    public static Tensor rand(int... shape) {
        return Generator.defaultGenerator().rand(shape, DType.defaultFloat());
    }

    public static Tensor rand(int[] shape, Generator generator) {
        return generator.rand(shape, DType.defaultFloat());
    }

    public static Tensor randn(int... shape) {
        return Generator.defaultGenerator().randn(shape, DType.defaultFloat());
    }

    public static Tensor randn(int[] shape, Generator generator) {
        return generator.randn(shape, DType.defaultFloat());
    }

    /** int64 uniform on {@code [low, high)}. */
    public static Tensor randint(long low, long high, int... shape) {
        return Generator.defaultGenerator().randint(low, high, shape);
    }

    public static Tensor randint(long low, long high, int[] shape, Generator generator) {
        return generator.randint(low, high, shape);
    }

    public static Tensor randperm(int n) {
        return Generator.defaultGenerator().randperm(n);
    }

    public static Tensor randperm(int n, Generator generator) {
        return generator.randperm(n);
    }

    public static Tensor randLike(Tensor t) {
        return Generator.defaultGenerator().rand(t.shape, t.dtype().toFloating());
    }

    public static Tensor randnLike(Tensor t) {
        return Generator.defaultGenerator().randn(t.shape, t.dtype().toFloating());
    }

    /** {@code torch.manual_seed}: seeds the default generator. */
    public static void manualSeed(long seed) {
        Generator.defaultGenerator().manualSeed(seed);
    }

    /** Draws 0/1 with this tensor's elements as probabilities, as {@code torch.bernoulli(p)}. */
    public Tensor bernoulli() {
        return Generator.defaultGenerator().bernoulli(this);
    }

    public Tensor bernoulli(Generator generator) {
        return generator.bernoulli(this);
    }

    public Tensor normal_(double mean, double std) {
        return normal_(mean, std, Generator.defaultGenerator());
    }

    public Tensor normal_(double mean, double std, Generator generator) {
        return fillFrom(generator.randn(shape, dtype()).mul(std).add(mean));
    }

    public Tensor uniform_(double from, double to) {
        return uniform_(from, to, Generator.defaultGenerator());
    }

    public Tensor uniform_(double from, double to, Generator generator) {
        return fillFrom(generator.rand(shape, dtype()).mul(to - from).add(from));
    }

    private Tensor fillFrom(Tensor values) {
        try (var g = Autograd.noGrad()) {
            return commitInPlace(values, "fill");
        }
    }

    // ------------------------------------------------------------------ metadata

    public int[] shape() {
        return shape.clone();
    }

    /** Alias of {@link #shape()}, as {@code tensor.size()}. */
    public int[] size() {
        return shape.clone();
    }

    public int size(int dim) {
        return shape[Shapes.wrapDim(dim, shape.length, "size")];
    }

    public int dim() {
        return shape.length;
    }

    public int numel() {
        return Shapes.numel(shape);
    }

    public int[] stride() {
        return strides.clone();
    }

    public int stride(int dim) {
        return strides[Shapes.wrapDim(dim, shape.length, "stride")];
    }

    public int storageOffset() {
        return offset;
    }

    public DType dtype() {
        return storage.dtype();
    }

    public Device device() {
        return device;
    }

    /** The backing storage; shared by every view of this tensor. */
    public Storage storage() {
        return storage;
    }

    /** The tensor this one is a view of, or null. */
    public Tensor base() {
        return base;
    }

    public boolean isContiguous() {
        for (int s : shape) {
            if (s == 0) {
                return true;
            }
        }
        return Shapes.isRowMajor(shape, strides);
    }

    /** How many times the storage was modified in place ({@code tensor._version}). */
    public int version() {
        return storage.version();
    }

    Kernels kernels() {
        return device.kernels();
    }

    // ------------------------------------------------------------------ autograd

    public AutogradMeta autogradMeta() {
        if (meta == null) {
            meta = new AutogradMeta();
        }
        return meta;
    }

    public boolean requiresGrad() {
        return meta != null && meta.requiresGrad();
    }

    /** Sets whether a leaf records operations for autograd; returns this, as {@code requires_grad_()}. */
    public Tensor requiresGrad_(boolean requiresGrad) {
        if (!isLeaf()) {
            throw new IllegalStateException("you can only change requiresGrad flags of leaf tensors; this one is the output of "
                    + gradFn().name() + ". Use detach() to get a leaf");
        }
        if (requiresGrad && !dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("only tensors of floating point dtype can require gradients, got " + dtype());
        }
        autogradMeta().setRequiresGrad(requiresGrad);
        return this;
    }

    public Tensor requiresGrad_() {
        return requiresGrad_(true);
    }

    /** The accumulated gradient; the caller may keep it, so the engine never reuses its array afterwards. */
    public Tensor grad() {
        if (meta == null) {
            return null;
        }
        meta.markGradSeen();
        return meta.grad();
    }

    /** Replaces the accumulated gradient ({@code x.grad = g}); null clears it. */
    public void setGrad(Tensor grad) {
        if (grad != null && !Arrays.equals(grad.shape, shape)) {
            throw new IllegalArgumentException("setGrad: assigned grad has shape " + Arrays.toString(grad.shape)
                    + " but the tensor has shape " + Arrays.toString(shape));
        }
        autogradMeta().setGrad(grad);
    }

    public Node gradFn() {
        return meta == null ? null : meta.gradFn();
    }

    public boolean isLeaf() {
        return gradFn() == null;
    }

    public void backward() {
        Autograd.backward(List.of(this), null, false, false);
    }

    public void backward(Tensor gradient) {
        Autograd.backward(List.of(this), Arrays.asList(gradient), false, false);
    }

    public void backward(Tensor gradient, boolean retainGraph, boolean createGraph) {
        Autograd.backward(List.of(this), Arrays.asList(gradient), retainGraph, createGraph);
    }

    /** Registers a hook called with this tensor's gradient during backward; a non-null return replaces it. */
    public RemovableHandle registerHook(UnaryOperator<Tensor> hook) {
        return Autograd.registerHook(this, hook);
    }

    public Tensor retainGrad() {
        Autograd.retainGrad(this);
        return this;
    }

    /** A tensor sharing this one's data with no autograd history. */
    public Tensor detach() {
        return new Tensor(storage, shape, strides, offset, device, null);
    }

    /** Detaches in place: this tensor becomes a leaf that does not require grad. */
    public Tensor detach_() {
        if (meta != null) {
            meta.setHistory(null, 0);
            meta.setRequiresGrad(false);
        }
        return this;
    }

    /** A new tensor object with this one's data and geometry; used when an op must return its input as an output. */
    public Tensor alias() {
        return new Tensor(storage, shape, strides, offset, device, rootBase());
    }

    private Tensor rootBase() {
        return base != null ? base : this;
    }

    // ------------------------------------------------------------------ raw views (no autograd; used by ops)

    /** A view with the given geometry over this tensor's storage, recording no autograd history. */
    public Tensor asStrided(int[] shape, int[] strides, int storageOffset) {
        if (shape.length != strides.length) {
            throw new IllegalArgumentException("asStrided: shape " + Arrays.toString(shape) + " and strides "
                    + Arrays.toString(strides) + " differ in length");
        }
        long last = storageOffset;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == 0) {
                last = -1;
                break;
            }
            last += (long) (shape[d] - 1) * strides[d];
        }
        if (storageOffset < 0 || last >= storage.size()) {
            throw new IndexOutOfBoundsException("asStrided: shape " + Arrays.toString(shape) + " with strides "
                    + Arrays.toString(strides) + " at offset " + storageOffset + " reaches past a storage of " + storage.size());
        }
        return new Tensor(storage, shape.clone(), strides.clone(), storageOffset, device, rootBase());
    }

    // ------------------------------------------------------------------ conversion

    /** A copy (or this tensor, if it already has the dtype) converted to {@code dtype}; differentiable between floats. */
    public Tensor to(DType dtype) {
        return dtype == dtype() ? this : Elementwise.cast(this, dtype);
    }

    public Tensor to(Device target) {
        if (target.equals(device)) {
            return this;
        }
        target.kernels();
        throw new UnsupportedOperationException("to(" + target + "): copying between devices is not available yet");
    }

    /** A contiguous copy with its own storage; differentiable. */
    public Tensor clone() {
        return Views.cloneTensor(this);
    }

    /** This tensor if it is contiguous, otherwise a contiguous copy. */
    public Tensor contiguous() {
        return isContiguous() ? this : clone();
    }

    public float[] toFloatArray() {
        return kernels().copy(this, DType.FLOAT32).storage.floats();
    }

    public double[] toDoubleArray() {
        return kernels().copy(this, DType.FLOAT64).storage.doubles();
    }

    public long[] toLongArray() {
        return kernels().copy(this, DType.INT64).storage.longs();
    }

    public int[] toIntArray() {
        return kernels().copy(this, DType.INT32).storage.ints();
    }

    public boolean[] toBooleanArray() {
        byte[] b = kernels().copy(this, DType.BOOL).storage.bytes();
        boolean[] out = new boolean[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = b[i] != 0;
        }
        return out;
    }

    /** The value of a one-element tensor, as {@code tensor.item()}. */
    public double item() {
        checkOneElement();
        return storage.getDouble(offset);
    }

    public long itemLong() {
        checkOneElement();
        return storage.getLong(offset);
    }

    public boolean itemBoolean() {
        checkOneElement();
        return storage.getLong(offset) != 0;
    }

    private void checkOneElement() {
        if (numel() != 1) {
            throw new IllegalStateException("a Tensor with " + numel() + " elements (shape " + Arrays.toString(shape)
                    + ") cannot be converted to a scalar");
        }
    }

    @Override
    public String toString() {
        return TensorFormatter.format(this);
    }

    // ------------------------------------------------------------------ views

    public Tensor view(int... shape) {
        return Views.view(this, shape);
    }

    public Tensor reshape(int... shape) {
        return Views.reshape(this, shape);
    }

    public Tensor viewAs(Tensor other) {
        return view(other.shape);
    }

    public Tensor reshapeAs(Tensor other) {
        return reshape(other.shape);
    }

    public Tensor transpose(int dim0, int dim1) {
        return Views.transpose(this, dim0, dim1);
    }

    public Tensor permute(int... dims) {
        return Views.permute(this, dims);
    }

    /** Transposes a tensor of at most 2 dims, as {@code tensor.t()}. */
    public Tensor t() {
        if (dim() > 2) {
            throw new IllegalArgumentException("t() expects a tensor with <= 2 dimensions, but self is " + dim() + "D; use transpose");
        }
        return dim() < 2 ? permute(Shapes.allDims(dim())) : transpose(0, 1);
    }

    /** Transposes the last two dims, as {@code tensor.mT}. */
    public Tensor mT() {
        return transpose(-2, -1);
    }

    public Tensor squeeze() {
        return Views.squeeze(this, null);
    }

    public Tensor squeeze(int dim) {
        return Views.squeeze(this, dim);
    }

    public Tensor unsqueeze(int dim) {
        return Views.unsqueeze(this, dim);
    }

    /** Broadcasts to a larger shape without copying; -1 keeps a dim's size. */
    public Tensor expand(int... shape) {
        return Views.expand(this, shape);
    }

    public Tensor expandAs(Tensor other) {
        return expand(other.shape);
    }

    public Tensor narrow(int dim, int start, int length) {
        return Views.narrow(this, dim, start, length);
    }

    public Tensor select(int dim, int index) {
        return Views.select(this, dim, index);
    }

    /** {@code x[..., start:end:step, ...]} along {@code dim}, with Python's rules for negative and out-of-range bounds. */
    public Tensor slice(int dim, int start, int end, int step) {
        return Views.slice(this, dim, start, end, step);
    }

    public Tensor slice(int dim, int start, int end) {
        return slice(dim, start, end, 1);
    }

    public Tensor flatten() {
        return flatten(0, -1);
    }

    public Tensor flatten(int startDim, int endDim) {
        return Views.flatten(this, startDim, endDim);
    }

    public Tensor unflatten(int dim, int... sizes) {
        return Views.unflatten(this, dim, sizes);
    }

    // ------------------------------------------------------------------ elementwise

    public Tensor add(Tensor other) {
        return Elementwise.binary(BinaryOp.ADD, this, other);
    }

    public Tensor add(double other) {
        return add(wrappedScalar(other));
    }

    public Tensor add(long other) {
        return add(wrappedScalar(other));
    }

    /** {@code this + alpha * other}, as {@code torch.add(x, y, alpha=a)}. */
    public Tensor add(Tensor other, double alpha) {
        return add(other.mul(alpha));
    }

    public Tensor sub(Tensor other) {
        return Elementwise.binary(BinaryOp.SUB, this, other);
    }

    public Tensor sub(double other) {
        return sub(wrappedScalar(other));
    }

    public Tensor sub(long other) {
        return sub(wrappedScalar(other));
    }

    public Tensor mul(Tensor other) {
        return Elementwise.binary(BinaryOp.MUL, this, other);
    }

    public Tensor mul(double other) {
        return mul(wrappedScalar(other));
    }

    public Tensor mul(long other) {
        return mul(wrappedScalar(other));
    }

    /** True division: integer inputs give a float result, as in PyTorch. */
    public Tensor div(Tensor other) {
        return Elementwise.binary(BinaryOp.DIV, this, other);
    }

    public Tensor div(double other) {
        return div(wrappedScalar(other));
    }

    public Tensor div(long other) {
        return div(wrappedScalar(other));
    }

    public Tensor pow(Tensor exponent) {
        return Elementwise.binary(BinaryOp.POW, this, exponent);
    }

    public Tensor pow(double exponent) {
        return pow(wrappedScalar(exponent));
    }

    public Tensor pow(long exponent) {
        return pow(wrappedScalar(exponent));
    }

    /** Python's modulo: the result has the divisor's sign. */
    public Tensor remainder(Tensor other) {
        return Elementwise.binary(BinaryOp.REMAINDER, this, other);
    }

    public Tensor remainder(double other) {
        return remainder(wrappedScalar(other));
    }

    public Tensor remainder(long other) {
        return remainder(wrappedScalar(other));
    }

    /** Elementwise maximum, propagating NaN. */
    public Tensor maximum(Tensor other) {
        return Elementwise.binary(BinaryOp.MAXIMUM, this, other);
    }

    public Tensor minimum(Tensor other) {
        return Elementwise.binary(BinaryOp.MINIMUM, this, other);
    }

    public Tensor neg() {
        return Elementwise.unary(UnaryOp.NEG, this);
    }

    public Tensor exp() {
        return Elementwise.unary(UnaryOp.EXP, this);
    }

    public Tensor log() {
        return Elementwise.unary(UnaryOp.LOG, this);
    }

    public Tensor log1p() {
        return Elementwise.unary(UnaryOp.LOG1P, this);
    }

    public Tensor expm1() {
        return Elementwise.unary(UnaryOp.EXPM1, this);
    }

    public Tensor sqrt() {
        return Elementwise.unary(UnaryOp.SQRT, this);
    }

    public Tensor rsqrt() {
        return Elementwise.unary(UnaryOp.RSQRT, this);
    }

    public Tensor reciprocal() {
        return Elementwise.unary(UnaryOp.RECIPROCAL, this);
    }

    public Tensor abs() {
        return Elementwise.unary(UnaryOp.ABS, this);
    }

    public Tensor sign() {
        return Elementwise.unary(UnaryOp.SIGN, this);
    }

    public Tensor floor() {
        return Elementwise.unary(UnaryOp.FLOOR, this);
    }

    public Tensor ceil() {
        return Elementwise.unary(UnaryOp.CEIL, this);
    }

    public Tensor sin() {
        return Elementwise.unary(UnaryOp.SIN, this);
    }

    public Tensor cos() {
        return Elementwise.unary(UnaryOp.COS, this);
    }

    public Tensor tanh() {
        return Elementwise.unary(UnaryOp.TANH, this);
    }

    public Tensor sigmoid() {
        return Elementwise.unary(UnaryOp.SIGMOID, this);
    }

    public Tensor relu() {
        return Elementwise.unary(UnaryOp.RELU, this);
    }

    public Tensor erf() {
        return Elementwise.unary(UnaryOp.ERF, this);
    }

    /** Exact GELU, {@code x * Φ(x)}. */
    public Tensor gelu() {
        return gelu("none");
    }

    /** GELU with {@code approximate} "none" (exact) or "tanh". */
    public Tensor gelu(String approximate) {
        return Elementwise.gelu(this, approximate);
    }

    public Tensor silu() {
        return mul(sigmoid());
    }

    public Tensor softplus() {
        return softplus(1.0, 20.0);
    }

    /** {@code log(1 + exp(beta x)) / beta}, linear where {@code beta x > threshold}. */
    public Tensor softplus(double beta, double threshold) {
        return Elementwise.softplus(this, beta, threshold);
    }

    public Tensor clamp(double min, double max) {
        return clampMin(min).clampMax(max);
    }

    public Tensor clampMin(double min) {
        return Elementwise.clamp(this, min, true);
    }

    public Tensor clampMax(double max) {
        return Elementwise.clamp(this, max, false);
    }

    /** {@code torch.where(condition, x, y)}, broadcasting all three. */
    public static Tensor where(Tensor condition, Tensor x, Tensor y) {
        return Elementwise.where(condition, x, y);
    }

    public static Tensor where(Tensor condition, Tensor x, double y) {
        return Elementwise.where(condition, x, wrappedScalar(y));
    }

    public static Tensor where(Tensor condition, double x, Tensor y) {
        return Elementwise.where(condition, wrappedScalar(x), y);
    }

    public Tensor eq(Tensor other) {
        return Elementwise.compare(BinaryOp.EQ, this, other);
    }

    public Tensor eq(double other) {
        return eq(wrappedScalar(other));
    }

    public Tensor ne(Tensor other) {
        return Elementwise.compare(BinaryOp.NE, this, other);
    }

    public Tensor ne(double other) {
        return ne(wrappedScalar(other));
    }

    public Tensor lt(Tensor other) {
        return Elementwise.compare(BinaryOp.LT, this, other);
    }

    public Tensor lt(double other) {
        return lt(wrappedScalar(other));
    }

    public Tensor le(Tensor other) {
        return Elementwise.compare(BinaryOp.LE, this, other);
    }

    public Tensor le(double other) {
        return le(wrappedScalar(other));
    }

    public Tensor gt(Tensor other) {
        return Elementwise.compare(BinaryOp.GT, this, other);
    }

    public Tensor gt(double other) {
        return gt(wrappedScalar(other));
    }

    public Tensor ge(Tensor other) {
        return Elementwise.compare(BinaryOp.GE, this, other);
    }

    public Tensor ge(double other) {
        return ge(wrappedScalar(other));
    }

    public Tensor logicalAnd(Tensor other) {
        return Elementwise.compare(BinaryOp.LOGICAL_AND, this, other);
    }

    public Tensor logicalOr(Tensor other) {
        return Elementwise.compare(BinaryOp.LOGICAL_OR, this, other);
    }

    public Tensor logicalXor(Tensor other) {
        return Elementwise.compare(BinaryOp.LOGICAL_XOR, this, other);
    }

    public Tensor logicalNot() {
        return Elementwise.unary(UnaryOp.LOGICAL_NOT, this);
    }

    public Tensor isnan() {
        return ne(this);
    }

    /** True where two tensors agree within {@code atol + rtol * |other|}, as {@code torch.allclose}. */
    public boolean allclose(Tensor other, double rtol, double atol) {
        try (var g = Autograd.noGrad()) {
            Tensor a = to(DType.FLOAT64);
            Tensor b = other.to(DType.FLOAT64);
            Tensor close = a.sub(b).abs().le(b.abs().mul(rtol).add(atol)).logicalOr(a.isnan().logicalAnd(b.isnan()));
            return close.all().itemBoolean();
        }
    }

    // ------------------------------------------------------------------ reductions

    public Tensor sum() {
        return Reductions.sum(this, Shapes.allDims(dim()), false);
    }

    public Tensor sum(int dim) {
        return sum(new int[] {dim}, false);
    }

    public Tensor sum(int dim, boolean keepdim) {
        return sum(new int[] {dim}, keepdim);
    }

    public Tensor sum(int[] dims, boolean keepdim) {
        return Reductions.sum(this, dims, keepdim);
    }

    public Tensor mean() {
        return Reductions.mean(this, Shapes.allDims(dim()), false);
    }

    public Tensor mean(int dim) {
        return mean(new int[] {dim}, false);
    }

    public Tensor mean(int dim, boolean keepdim) {
        return mean(new int[] {dim}, keepdim);
    }

    public Tensor mean(int[] dims, boolean keepdim) {
        return Reductions.mean(this, dims, keepdim);
    }

    public Tensor prod() {
        return Reductions.prod(this, Shapes.allDims(dim()), false);
    }

    public Tensor prod(int dim, boolean keepdim) {
        return Reductions.prod(this, new int[] {dim}, keepdim);
    }

    /** The largest element (NaN if any is NaN). */
    public Tensor max() {
        return amax(Shapes.allDims(dim()), false);
    }

    public ValuesIndices max(int dim, boolean keepdim) {
        return Reductions.maxMin(this, dim, keepdim, true);
    }

    public ValuesIndices max(int dim) {
        return max(dim, false);
    }

    public Tensor min() {
        return amin(Shapes.allDims(dim()), false);
    }

    public ValuesIndices min(int dim, boolean keepdim) {
        return Reductions.maxMin(this, dim, keepdim, false);
    }

    public ValuesIndices min(int dim) {
        return min(dim, false);
    }

    public Tensor amax() {
        return amax(Shapes.allDims(dim()), false);
    }

    public Tensor amax(int dim) {
        return amax(new int[] {dim}, false);
    }

    public Tensor amax(int dim, boolean keepdim) {
        return amax(new int[] {dim}, keepdim);
    }

    public Tensor amax(int[] dims, boolean keepdim) {
        return Reductions.amaxAmin(this, dims, keepdim, true);
    }

    public Tensor amin() {
        return amin(Shapes.allDims(dim()), false);
    }

    public Tensor amin(int dim) {
        return amin(new int[] {dim}, false);
    }

    public Tensor amin(int dim, boolean keepdim) {
        return amin(new int[] {dim}, keepdim);
    }

    public Tensor amin(int[] dims, boolean keepdim) {
        return Reductions.amaxAmin(this, dims, keepdim, false);
    }

    /** Index of the largest element of the flattened tensor. */
    public Tensor argmax() {
        return reshape(-1).argmax(0, false);
    }

    public Tensor argmax(int dim, boolean keepdim) {
        return max(dim, keepdim).indices();
    }

    public Tensor argmax(int dim) {
        return argmax(dim, false);
    }

    public Tensor argmin() {
        return reshape(-1).argmin(0, false);
    }

    public Tensor argmin(int dim, boolean keepdim) {
        return min(dim, keepdim).indices();
    }

    public Tensor argmin(int dim) {
        return argmin(dim, false);
    }

    /** Variance with Bessel's correction, as {@code torch.var(x)}. */
    public Tensor var() {
        return var(Shapes.allDims(dim()), 1, false);
    }

    public Tensor var(int dim) {
        return var(new int[] {dim}, 1, false);
    }

    public Tensor var(int[] dims, double correction, boolean keepdim) {
        return Reductions.var(this, dims, correction, keepdim);
    }

    public Tensor std() {
        return var().sqrt();
    }

    public Tensor std(int dim) {
        return var(dim).sqrt();
    }

    public Tensor std(int[] dims, double correction, boolean keepdim) {
        return var(dims, correction, keepdim).sqrt();
    }

    /** The 2-norm of all elements. */
    public Tensor norm() {
        return norm(2);
    }

    public Tensor norm(double p) {
        return norm(p, Shapes.allDims(dim()), false);
    }

    public Tensor norm(double p, int[] dims, boolean keepdim) {
        return Reductions.norm(this, p, dims, keepdim);
    }

    public Tensor logsumexp(int dim) {
        return logsumexp(new int[] {dim}, false);
    }

    public Tensor logsumexp(int dim, boolean keepdim) {
        return logsumexp(new int[] {dim}, keepdim);
    }

    public Tensor logsumexp(int[] dims, boolean keepdim) {
        return Reductions.logsumexp(this, dims, keepdim);
    }

    public Tensor all() {
        return Reductions.allAny(this, Shapes.allDims(dim()), false, true);
    }

    public Tensor all(int dim, boolean keepdim) {
        return Reductions.allAny(this, new int[] {dim}, keepdim, true);
    }

    public Tensor any() {
        return Reductions.allAny(this, Shapes.allDims(dim()), false, false);
    }

    public Tensor any(int dim, boolean keepdim) {
        return Reductions.allAny(this, new int[] {dim}, keepdim, false);
    }

    public Tensor softmax(int dim) {
        return Reductions.softmax(this, dim);
    }

    public Tensor logSoftmax(int dim) {
        return Reductions.logSoftmax(this, dim);
    }

    public Tensor cumsum(int dim) {
        return Indexing.cumsum(this, dim);
    }

    // ------------------------------------------------------------------ linear algebra

    /** {@code torch.matmul}: dot, matrix-vector, matrix-matrix or batched with broadcasting of batch dims. */
    public Tensor matmul(Tensor other) {
        return LinearAlgebra.matmul(this, other);
    }

    public Tensor mm(Tensor other) {
        return LinearAlgebra.mm(this, other);
    }

    public Tensor bmm(Tensor other) {
        return LinearAlgebra.bmm(this, other);
    }

    public Tensor dot(Tensor other) {
        return LinearAlgebra.dot(this, other);
    }

    public Tensor outer(Tensor other) {
        return LinearAlgebra.outer(this, other);
    }

    // ------------------------------------------------------------------ indexing and joining

    public Tensor gather(int dim, Tensor index) {
        return Indexing.gather(this, dim, index);
    }

    public Tensor scatter(int dim, Tensor index, Tensor src) {
        return Indexing.scatter(this, dim, index, src);
    }

    public Tensor scatter(int dim, Tensor index, double value) {
        return Indexing.scatter(this, dim, index, value);
    }

    public Tensor scatterAdd(int dim, Tensor index, Tensor src) {
        return Indexing.scatterAdd(this, dim, index, src);
    }

    public Tensor indexSelect(int dim, Tensor index) {
        return Indexing.indexSelect(this, dim, index);
    }

    public Tensor maskedFill(Tensor mask, double value) {
        return Indexing.maskedFill(this, mask, value);
    }

    public Tensor maskedSelect(Tensor mask) {
        return Indexing.maskedSelect(this, mask);
    }

    /** {@code x[i0, i1, ...]} with index tensors (int64, or a bool mask) for the leading dims, broadcast together. */
    public Tensor index(Tensor... indices) {
        return Indexing.index(this, indices);
    }

    public static Tensor cat(List<Tensor> tensors, int dim) {
        return Indexing.cat(tensors, dim);
    }

    public static Tensor cat(List<Tensor> tensors) {
        return cat(tensors, 0);
    }

    public static Tensor stack(List<Tensor> tensors, int dim) {
        return Indexing.stack(tensors, dim);
    }

    public static Tensor stack(List<Tensor> tensors) {
        return stack(tensors, 0);
    }

    public List<Tensor> split(int splitSize, int dim) {
        return Indexing.split(this, splitSize, dim);
    }

    public List<Tensor> split(int[] sizes, int dim) {
        return Indexing.split(this, sizes, dim);
    }

    public List<Tensor> chunk(int chunks, int dim) {
        return Indexing.chunk(this, chunks, dim);
    }

    public ValuesIndices sort(int dim, boolean descending) {
        return Indexing.sort(this, dim, descending);
    }

    public ValuesIndices sort() {
        return sort(-1, false);
    }

    public Tensor argsort(int dim, boolean descending) {
        return sort(dim, descending).indices();
    }

    public ValuesIndices topk(int k, int dim, boolean largest, boolean sorted) {
        return Indexing.topk(this, k, dim, largest, sorted);
    }

    public ValuesIndices topk(int k) {
        return topk(k, -1, true, true);
    }

    /** One-hot encodes an int64 tensor of class indices, as {@code F.one_hot}; -1 infers the class count. */
    public Tensor oneHot(int numClasses) {
        return Indexing.oneHot(this, numClasses);
    }

    // ------------------------------------------------------------------ in place

    public Tensor add_(Tensor other) {
        return commitInPlace(add(other), "add_");
    }

    public Tensor add_(double other) {
        return commitInPlace(add(other), "add_");
    }

    public Tensor add_(Tensor other, double alpha) {
        return commitInPlace(add(other, alpha), "add_");
    }

    public Tensor sub_(Tensor other) {
        return commitInPlace(sub(other), "sub_");
    }

    public Tensor sub_(double other) {
        return commitInPlace(sub(other), "sub_");
    }

    public Tensor mul_(Tensor other) {
        return commitInPlace(inPlaceSource(other).mul(other), "mul_");
    }

    public Tensor mul_(double other) {
        return commitInPlace(mul(other), "mul_");
    }

    public Tensor div_(Tensor other) {
        return commitInPlace(inPlaceSource(other).div(other), "div_");
    }

    public Tensor div_(double other) {
        return commitInPlace(div(other), "div_");
    }

    public Tensor pow_(double exponent) {
        return commitInPlace(inPlaceSource().pow(exponent), "pow_");
    }

    public Tensor neg_() {
        return commitInPlace(inPlaceSource().neg(), "neg_");
    }

    public Tensor exp_() {
        return commitInPlace(exp(), "exp_");
    }

    public Tensor sqrt_() {
        return commitInPlace(sqrt(), "sqrt_");
    }

    public Tensor relu_() {
        return commitInPlace(relu(), "relu_");
    }

    public Tensor sigmoid_() {
        return commitInPlace(sigmoid(), "sigmoid_");
    }

    public Tensor tanh_() {
        return commitInPlace(tanh(), "tanh_");
    }

    public Tensor clamp_(double min, double max) {
        return commitInPlace(inPlaceSource().clamp(min, max), "clamp_");
    }

    public Tensor clampMin_(double min) {
        return commitInPlace(inPlaceSource().clampMin(min), "clampMin_");
    }

    public Tensor clampMax_(double max) {
        return commitInPlace(inPlaceSource().clampMax(max), "clampMax_");
    }

    public Tensor maskedFill_(Tensor mask, double value) {
        return commitInPlace(maskedFill(mask, value), "maskedFill_");
    }

    /** {@code this = this + value * t1 * t2}, as {@code addcmul_}. */
    public Tensor addcmul_(Tensor t1, Tensor t2, double value) {
        return commitInPlace(add(t1.mul(t2).mul(value)), "addcmul_");
    }

    /** {@code this = this + value * t1 / t2}, as {@code addcdiv_}. */
    public Tensor addcdiv_(Tensor t1, Tensor t2, double value) {
        return commitInPlace(add(t1.div(t2).mul(value)), "addcdiv_");
    }

    public Tensor zero_() {
        return fill_(0);
    }

    public Tensor fill_(double value) {
        Tensor filled;
        try (var g = Autograd.noGrad()) {
            filled = full(new int[0], value, dtype()).expand(shape);
        }
        return commitInPlace(filled, "fill_");
    }

    /** Copies {@code src} (broadcast to this shape, converted to this dtype) into this tensor. */
    public Tensor copy_(Tensor src) {
        Tensor converted = src.dtype() == dtype() ? src : Elementwise.cast(src, dtype());
        return commitInPlace(converted.expand(shape), "copy_");
    }

    /**
     * The operand an in-place op computes from: while recording, a clone, because ops that save their input for
     * backward (mul, div, pow, clamp) must not see it overwritten by the write that follows.
     */
    private Tensor inPlaceSource(Tensor... others) {
        if (!GradMode.isEnabled()) {
            return this;
        }
        boolean anyGrad = requiresGrad();
        for (Tensor o : others) {
            anyGrad |= o.requiresGrad();
        }
        return anyGrad ? clone() : this;
    }

    /**
     * Writes {@code result} (computed out of place, with its autograd history) into this tensor's storage and makes
     * this tensor carry the result's history, as PyTorch does for in-place ops.
     */
    private Tensor commitInPlace(Tensor result, String op) {
        boolean recording = GradMode.isEnabled();
        if (recording && requiresGrad() && isLeaf()) {
            throw new IllegalStateException(op + ": a leaf tensor that requires grad is being used in an in-place operation; "
                    + "wrap the update in Autograd.noGrad() or work on a clone");
        }
        if (recording && base != null && base.requiresGrad() && base.isLeaf()) {
            throw new IllegalStateException(op + ": a view of a leaf tensor that requires grad is being used in an in-place operation");
        }
        if (!Arrays.equals(result.shape, shape)) {
            throw new IllegalArgumentException(op + ": output with shape " + Arrays.toString(shape)
                    + " doesn't match the broadcast shape " + Arrays.toString(result.shape));
        }
        if (result.dtype() != dtype() && DType.promote(result.dtype(), dtype()) != dtype()) {
            throw new IllegalArgumentException(op + ": result type " + result.dtype() + " can't be cast to the desired output type "
                    + dtype());
        }
        checkNoInternalOverlap(op);
        kernels().copyInto(this, result);
        storage.bumpVersion();
        if (recording && (result.requiresGrad() || requiresGrad() || (base != null && base.requiresGrad()))) {
            InPlace.rebaseHistory(this, result);
        }
        return this;
    }

    private void checkNoInternalOverlap(String op) {
        for (int d = 0; d < shape.length; d++) {
            if (strides[d] == 0 && shape[d] > 1) {
                throw new IllegalStateException(op + ": unsupported operation: more than one element of the written-to tensor "
                        + "refers to a single memory location (an expanded tensor); clone() it before writing");
            }
        }
    }
}
