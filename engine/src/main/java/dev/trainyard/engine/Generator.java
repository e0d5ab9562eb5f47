package dev.trainyard.engine;

import dev.trainyard.engine.backend.Storage;
import dev.trainyard.engine.backend.cpu.Parallel;

import java.nio.ByteBuffer;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntConsumer;

/**
 * A random number generator, as {@code torch.Generator}: seed it with {@link #manualSeed(long)}, save and restore it
 * with {@link #getState()} / {@link #setState(byte[])}, and pass it to the random factories of {@link Tensor}.
 *
 * <pre>{@code
 * Generator g = new Generator().manualSeed(42);
 * Tensor noise = Tensor.randn(new int[] {3, 4}, g);
 * byte[] saved = g.getState();          // e.g. into a checkpoint
 * ...
 * g.setState(saved);                    // the stream continues exactly where it was saved
 * }</pre>
 *
 * <p>The generator is counter-based: Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3",
 * SC 2011; the generator PyTorch uses on CUDA), keyed by the 64-bit seed. Its whole state is the seed and an offset
 * counting the 128-bit blocks drawn so far. A call reserves a run of blocks and block {@code offset + b} is the pure
 * function {@code philox(seed, offset + b)}, so element {@code i} of a result is fixed by the seed, the offset and
 * {@code i} alone: large results are filled in parallel chunks and are identical whatever the thread count.
 *
 * <p>Streams are not the same numbers as PyTorch's CPU generator (a Mersenne Twister); they are reproducible within
 * Trainyard. All methods are thread-safe: a call reserves its blocks atomically and generates outside the lock.
 */
public final class Generator {
    /** PyTorch's default seed ({@code torch.initial_seed()} in a fresh process). */
    public static final long DEFAULT_SEED = 67280421310721L;

    private static final Generator DEFAULT = new Generator();
    /** A default generator bound for the current thread's scope (see {@link #withDefault}). */
    private static final ScopedValue<Generator> SCOPED_DEFAULT = ScopedValue.newInstance();

    private static final int STATE_MAGIC = 0x50485831; // "PHX1": Philox4x32-10, state layout 1
    private static final int STATE_BYTES = 4 + 8 + 8;
    private static final int BLOCKS_PER_CHUNK = 1 << 14;

    private static final int M0 = 0xD2511F53;
    private static final int M1 = 0xCD9E8D57;
    private static final int W0 = 0x9E3779B9;
    private static final int W1 = 0xBB67AE85;

    private long seed = DEFAULT_SEED;
    /** Blocks of 128 random bits used so far. */
    private long offset;

    /** A generator seeded with {@link #DEFAULT_SEED}, as {@code torch.Generator()}. */
    public Generator() {
    }

    /**
     * The generator used by {@code Tensor.rand(...)}, module initialization, dropout and friends
     * ({@code torch.default_generator}): the one bound by {@link #withDefault} on this thread, else the process-wide one.
     */
    public static Generator defaultGenerator() {
        return SCOPED_DEFAULT.orElse(DEFAULT);
    }

    /**
     * Runs {@code op} with {@code generator} as this thread's {@link #defaultGenerator()} (including
     * {@link Tensor#manualSeed}), so two models trained on two threads at once each draw from their own stream and stay
     * reproducible. Threads the operation starts itself do not inherit the binding (structured tasks do).
     */
    public static <T, X extends Throwable> T withDefault(Generator generator, ScopedValue.CallableOp<? extends T, X> op) throws X {
        return ScopedValue.where(SCOPED_DEFAULT, java.util.Objects.requireNonNull(generator, "generator")).call(op);
    }

    /** Seeds the generator and rewinds its stream; returns this, as {@code torch.Generator.manual_seed}. */
    public synchronized Generator manualSeed(long seed) {
        this.seed = seed;
        this.offset = 0;
        return this;
    }

    /** Seeds the generator from a non-deterministic source and returns the seed, as {@code torch.Generator.seed()}. */
    public long seed() {
        long s = ThreadLocalRandom.current().nextLong() ^ mix64(System.nanoTime());
        manualSeed(s);
        return s;
    }

    /** The seed the generator was last seeded with, as {@code torch.Generator.initial_seed()}. */
    public synchronized long initialSeed() {
        return seed;
    }

    /**
     * The full state (seed and position in the stream) as bytes, as {@code torch.Generator.get_state()}; giving it
     * to {@link #setState(byte[])} later, on this or any generator, continues the stream exactly from here.
     */
    public synchronized byte[] getState() {
        return ByteBuffer.allocate(STATE_BYTES).putInt(STATE_MAGIC).putLong(seed).putLong(offset).array();
    }

    /** Restores a state from {@link #getState()}; returns this. */
    public Generator setState(byte[] state) {
        if (state == null || state.length != STATE_BYTES) {
            throw new IllegalArgumentException("setState: expected a generator state of " + STATE_BYTES + " bytes (from "
                    + "getState()), got " + (state == null ? "null" : state.length + " bytes"));
        }
        ByteBuffer b = ByteBuffer.wrap(state);
        int magic = b.getInt();
        if (magic != STATE_MAGIC) {
            throw new IllegalArgumentException("setState: not a Philox4x32-10 generator state (header 0x"
                    + Integer.toHexString(magic) + ", expected 0x" + Integer.toHexString(STATE_MAGIC) + ")");
        }
        long s = b.getLong();
        long o = b.getLong();
        if (o < 0) {
            throw new IllegalArgumentException("setState: corrupt generator state (negative offset " + o + ")");
        }
        synchronized (this) {
            seed = s;
            offset = o;
        }
        return this;
    }

    @Override
    public synchronized String toString() {
        return "Generator(seed=" + seed + ", offset=" + offset + ")";
    }

    // ------------------------------------------------------------------ sampling (used by Tensor's factories)

    /** Uniform on {@code [0, 1)}: 24 random bits per float32 (4 per block), 53 per float64 (2 per block). */
    Tensor rand(int[] shape, DType dtype) {
        int n = Shapes.numel(shape);
        if (dtype == DType.FLOAT32) {
            float[] out = new float[n];
            Reservation run = reserve(blocks(n, 4));
            fill(n, 4, run, (b, r) -> {
                for (int j = 0, i = 4 * b; j < 4 && i < n; j++, i++) {
                    out[i] = (r[j] >>> 8) * 0x1p-24f;
                }
            });
            return Tensor.wrap(Storage.wrap(out), shape);
        }
        if (dtype == DType.FLOAT64) {
            double[] out = new double[n];
            Reservation run = reserve(blocks(n, 2));
            fill(n, 2, run, (b, r) -> {
                for (int j = 0, i = 2 * b; j < 2 && i < n; j++, i++) {
                    out[i] = unit53(r[2 * j], r[2 * j + 1]);
                }
            });
            return Tensor.wrap(Storage.wrap(out), shape);
        }
        throw new IllegalArgumentException("rand: expected a floating point dtype, got " + dtype);
    }

    /** Standard normal, by Box-Muller: each block gives two uniforms of 53 bits and so two normals. */
    Tensor randn(int[] shape, DType dtype) {
        if (!dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("randn: expected a floating point dtype, got " + dtype);
        }
        int n = Shapes.numel(shape);
        double[] values = new double[n];
        Reservation run = reserve(blocks(n, 2));
        fill(n, 2, run, (b, r) -> {
            // u1 in (0, 1] keeps the log finite; u2 in [0, 1)
            double u1 = unit53(r[0], r[1]) + 0x1p-53;
            double u2 = unit53(r[2], r[3]);
            double radius = Math.sqrt(-2.0 * Math.log(u1));
            double angle = 2.0 * Math.PI * u2;
            int i = 2 * b;
            values[i] = radius * Math.cos(angle);
            if (i + 1 < n) {
                values[i + 1] = radius * Math.sin(angle);
            }
        });
        if (dtype == DType.FLOAT64) {
            return Tensor.wrap(Storage.wrap(values), shape);
        }
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) values[i];
        }
        return Tensor.wrap(Storage.wrap(out), shape);
    }

    /** int64 uniform on {@code [low, high)}: 64 random bits per element scaled by a 128-bit product (bias below 2^-32). */
    Tensor randint(long low, long high, int[] shape) {
        if (low >= high) {
            throw new IllegalArgumentException("randint: expected low < high, but got low=" + low + " and high=" + high);
        }
        long range = high - low; // as unsigned: correct even when high - low overflows a signed long
        int n = Shapes.numel(shape);
        long[] out = new long[n];
        Reservation run = reserve(blocks(n, 2));
        fill(n, 2, run, (b, r) -> {
            for (int j = 0, i = 2 * b; j < 2 && i < n; j++, i++) {
                out[i] = low + Math.unsignedMultiplyHigh(bits64(r[2 * j], r[2 * j + 1]), range);
            }
        });
        return Tensor.wrap(Storage.wrap(out), shape);
    }

    /** A random permutation of {@code 0 .. n-1} as int64, by Fisher-Yates (step {@code k} uses stream element {@code k}). */
    Tensor randperm(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("randperm: n must be non-negative, got " + n);
        }
        long[] perm = new long[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        int steps = Math.max(0, n - 1);
        long[] picks = new long[steps];
        Reservation run = reserve(blocks(steps, 2));
        fill(steps, 2, run, (b, r) -> {
            for (int j = 0, k = 2 * b; j < 2 && k < steps; j++, k++) {
                picks[k] = bits64(r[2 * j], r[2 * j + 1]);
            }
        });
        for (int k = 0; k < steps; k++) {
            int i = n - 1 - k;
            int swap = (int) Math.unsignedMultiplyHigh(picks[k], i + 1L);
            long t = perm[i];
            perm[i] = perm[swap];
            perm[swap] = t;
        }
        return Tensor.wrap(Storage.wrap(perm), n);
    }

    /** 0/1 draws with {@code p}'s elements as probabilities, in {@code p}'s dtype; 1 where a 53-bit uniform is below p. */
    Tensor bernoulli(Tensor p) {
        if (!p.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("bernoulli: expected a floating point tensor of probabilities, got " + p.dtype()
                    + "; convert it with to(DType.FLOAT32)");
        }
        double[] probs = p.toDoubleArray();
        int n = probs.length;
        for (int i = 0; i < n; i++) {
            if (!(probs[i] >= 0 && probs[i] <= 1)) {
                throw new IllegalArgumentException("bernoulli: expected all probabilities in [0, 1], got " + probs[i]
                        + " at flat index " + i);
            }
        }
        double[] draws = new double[n];
        Reservation run = reserve(blocks(n, 2));
        fill(n, 2, run, (b, r) -> {
            for (int j = 0, i = 2 * b; j < 2 && i < n; j++, i++) {
                draws[i] = unit53(r[2 * j], r[2 * j + 1]) < probs[i] ? 1 : 0;
            }
        });
        Tensor out = Tensor.wrap(Storage.wrap(draws), p.shape());
        return p.dtype() == DType.FLOAT64 ? out : out.to(p.dtype());
    }

    // ------------------------------------------------------------------ the stream

    @FunctionalInterface
    private interface BlockSink {
        /** Receives block {@code b} (relative to the call's first block) as four 32-bit words. */
        void accept(int b, int[] words);
    }

    private static int blocks(int n, int perBlock) {
        return (n + perBlock - 1) / perBlock;
    }

    /** A run of blocks reserved by one call: the key they are drawn under and the counter of the first. */
    private record Reservation(long key, long first) {
    }

    /** Reserves {@code count} blocks of the stream, atomically with the seed they belong to. */
    private synchronized Reservation reserve(int count) {
        Reservation r = new Reservation(seed, offset);
        offset += count;
        return r;
    }

    /**
     * Feeds blocks {@code 0 .. blocks(n, perBlock)-1} of the reserved run to {@code sink},
     * in parallel chunks when there are many; each block depends only on its counter, so the split is invisible.
     */
    private static void fill(int n, int perBlock, Reservation reserved, BlockSink sink) {
        long key = reserved.key();
        long first = reserved.first();
        int total = blocks(n, perBlock);
        int chunks = (total + BLOCKS_PER_CHUNK - 1) / BLOCKS_PER_CHUNK;
        IntConsumer chunk = c -> {
            int[] words = new int[4];
            int end = Math.min(total, (c + 1) * BLOCKS_PER_CHUNK);
            for (int b = c * BLOCKS_PER_CHUNK; b < end; b++) {
                philox(first + b, key, words);
                sink.accept(b, words);
            }
        };
        Parallel.when(chunks > 1, chunks).forEach(chunk);
    }

    /**
     * Philox4x32-10 of the 128-bit counter {@code (counter, 0)} (low word first) under the 64-bit key {@code key}
     * (low word first), into {@code out}; matches the Random123 reference implementation.
     */
    static void philox(long counter, long key, int[] out) {
        philox((int) counter, (int) (counter >>> 32), 0, 0, (int) key, (int) (key >>> 32), out);
    }

    static void philox(int c0, int c1, int c2, int c3, int k0, int k1, int[] out) {
        for (int round = 0; round < 10; round++) {
            if (round > 0) {
                k0 += W0;
                k1 += W1;
            }
            long p0 = (M0 & 0xFFFFFFFFL) * (c0 & 0xFFFFFFFFL);
            long p1 = (M1 & 0xFFFFFFFFL) * (c2 & 0xFFFFFFFFL);
            int n0 = (int) (p1 >>> 32) ^ c1 ^ k0;
            int n2 = (int) (p0 >>> 32) ^ c3 ^ k1;
            c0 = n0;
            c1 = (int) p1;
            c2 = n2;
            c3 = (int) p0;
        }
        out[0] = c0;
        out[1] = c1;
        out[2] = c2;
        out[3] = c3;
    }

    private static long bits64(int hi, int lo) {
        return ((long) hi << 32) | (lo & 0xFFFFFFFFL);
    }

    /** The top 53 of 64 random bits as a double in [0, 1). */
    private static double unit53(int hi, int lo) {
        return (bits64(hi, lo) >>> 11) * 0x1p-53;
    }

    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
