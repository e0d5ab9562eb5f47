package dev.trainyard.engine.data;

import dev.trainyard.engine.Generator;
import dev.trainyard.engine.Tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Batches of a dataset, as {@code torch.utils.data.DataLoader}: optional shuffling, collation, and background
 * prefetching that keeps batch order.
 *
 * <pre>{@code
 * var gen = new Generator().manualSeed(0);
 * try (var loader = DataLoader.builder(trainSet).batchSize(64).shuffle(true).generator(gen).numWorkers(2).build()) {
 *     for (int epoch = 0; epoch < 10; epoch++) {
 *         for (Batch b : loader) {          // a new, reshuffled epoch each time
 *             ... b.x(), b.y() ...
 *         }
 *     }
 * }
 * }</pre>
 *
 * <h2>Order and reproducibility</h2>
 * Each {@link #iterator()} starts an epoch and draws from the loader's generator, in this order: the permutation of
 * the dataset ({@code randperm}, only when shuffling) and one 64-bit base seed. The epoch is therefore fixed by the
 * generator's state when it starts: to resume a run exactly, save {@code generator.getState()} before starting the
 * epoch, and on resume restore it and call {@link #iterator(int)} with the number of batches already done.
 *
 * <p>Random transforms get their randomness from {@link #batchGenerator()}: while batch {@code k} is being loaded,
 * on whichever thread, that is a generator seeded with {@code baseSeed + k}. So the batches, random crops and flips
 * included, are identical for any number of workers.
 *
 * <h2>Workers</h2>
 * With {@code numWorkers > 0} batches are loaded on that many daemon threads, up to
 * {@code numWorkers * prefetchFactor} ahead, and handed out in order; an exception while loading is rethrown by
 * {@code next()}. The threads of an epoch stop when it is exhausted or its iterator is closed; for loops that may
 * break early use {@code try (var it = loader.iterator())}, or close the loader, which closes every open iterator.
 * The dataset is read from several threads at once.
 *
 * @param <B> the batch type ({@link Batch} with the default collate)
 */
public final class DataLoader<B> implements Iterable<B>, AutoCloseable {
    private static final ThreadLocal<BatchRandom> BATCH_RANDOM = new ThreadLocal<>();
    private static final AtomicInteger POOL_IDS = new AtomicInteger();

    private final int size;
    private final Function<int[], B> fetch;
    private final int batchSize;
    private final boolean shuffle;
    private final boolean dropLast;
    private final Generator generator;
    private final int numWorkers;
    private final int prefetchFactor;
    private final Set<BatchIterator<B>> open = ConcurrentHashMap.newKeySet();

    private DataLoader(Builder<?, B> b) {
        this.size = b.dataset.size();
        this.fetch = b.fetcher();
        this.batchSize = b.batchSize;
        this.shuffle = b.shuffle;
        this.dropLast = b.dropLast;
        this.generator = b.generator != null ? b.generator : Generator.defaultGenerator();
        this.numWorkers = b.numWorkers;
        this.prefetchFactor = b.prefetchFactor;
    }

    /**
     * A loader of {@link Batch}es stacked from the dataset's {@link Sample}s. For a dataset of rows of whole tensors
     * ({@link TensorDataset}, {@link CsvDataset}, {@link Subset}s of them) a batch is one {@code indexSelect} per tensor,
     * with the same values as stacking the samples.
     */
    public static Builder<Sample, Batch> builder(Dataset<Sample> dataset) {
        Builder<Sample, Batch> b = new Builder<>(dataset, Collate::stack);
        b.tensorBatches = TensorBatches.of(dataset);
        return b;
    }

    /** A loader with a custom collate function from a list of examples to a batch. */
    public static <T, B> Builder<T, B> builder(Dataset<T> dataset, Function<List<T>, B> collate) {
        return new Builder<>(dataset, collate);
    }

    /** Options, with PyTorch's defaults (batch size 1, no shuffling, no workers). */
    public static final class Builder<T, B> {
        private final Dataset<T> dataset;
        private final Function<List<T>, B> collate;
        private int batchSize = 1;
        private boolean shuffle;
        private boolean dropLast;
        private Generator generator;
        private int numWorkers;
        private int prefetchFactor = 2;
        /** The default collate's batches by row selection, where the dataset allows it. */
        private TensorBatches tensorBatches;

        private Builder(Dataset<T> dataset, Function<List<T>, B> collate) {
            this.dataset = dataset;
            this.collate = collate;
        }

        public Builder<T, B> batchSize(int batchSize) {
            if (batchSize <= 0) {
                throw new IllegalArgumentException("DataLoader: batchSize should be a positive integer, got " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /** Reshuffle the examples at the start of every epoch. */
        public Builder<T, B> shuffle(boolean shuffle) {
            this.shuffle = shuffle;
            return this;
        }

        /** Drop the last batch if it is smaller than the batch size. */
        public Builder<T, B> dropLast(boolean dropLast) {
            this.dropLast = dropLast;
            return this;
        }

        /** The source of the epoch order and batch seeds (default: {@link Generator#defaultGenerator()}). */
        public Builder<T, B> generator(Generator generator) {
            this.generator = generator;
            return this;
        }

        /** Threads loading batches in the background; 0 (the default) loads on the calling thread. */
        public Builder<T, B> numWorkers(int numWorkers) {
            if (numWorkers < 0) {
                throw new IllegalArgumentException("DataLoader: numWorkers must be >= 0, got " + numWorkers);
            }
            this.numWorkers = numWorkers;
            return this;
        }

        /** Batches loaded ahead per worker (default 2). */
        public Builder<T, B> prefetchFactor(int prefetchFactor) {
            if (prefetchFactor <= 0) {
                throw new IllegalArgumentException("DataLoader: prefetchFactor must be positive, got " + prefetchFactor);
            }
            this.prefetchFactor = prefetchFactor;
            return this;
        }

        @SuppressWarnings("unchecked") // set only by builder(Dataset<Sample>), whose B is Batch
        private Function<int[], B> fetcher() {
            if (tensorBatches != null) {
                TensorBatches rows = tensorBatches;
                return indices -> (B) rows.load(indices);
            }
            return indices -> {
                List<T> items = new ArrayList<>(indices.length);
                for (int i : indices) {
                    items.add(dataset.get(i));
                }
                return collate.apply(items);
            };
        }

        public DataLoader<B> build() {
            return new DataLoader<>(this);
        }
    }

    /** Batches per epoch ({@code len(loader)}). */
    public int numBatches() {
        return dropLast ? size / batchSize : (size + batchSize - 1) / batchSize;
    }

    public int batchSize() {
        return batchSize;
    }

    /** The number of examples in the dataset. */
    public int datasetSize() {
        return size;
    }

    public Generator generator() {
        return generator;
    }

    /** Starts a new epoch. */
    @Override
    public BatchIterator<B> iterator() {
        return iterator(0);
    }

    /**
     * Starts a new epoch (drawing its order from the generator, as {@link #iterator()}) but skips its first
     * {@code startBatch} batches without loading them; used to resume in the middle of an epoch.
     */
    public BatchIterator<B> iterator(int startBatch) {
        if (startBatch < 0 || startBatch > numBatches()) {
            throw new IllegalArgumentException("DataLoader: startBatch " + startBatch + " is out of range for an epoch of "
                    + numBatches() + " batches");
        }
        int[] order = new int[size];
        if (shuffle) {
            long[] perm = Tensor.randperm(size, generator).toLongArray();
            for (int i = 0; i < size; i++) {
                order[i] = (int) perm[i];
            }
        } else {
            for (int i = 0; i < size; i++) {
                order[i] = i;
            }
        }
        long baseSeed = Tensor.randint(Long.MIN_VALUE, Long.MAX_VALUE, new int[] {1}, generator).itemLong();
        BatchIterator<B> it = new BatchIterator<>(this, order, baseSeed, startBatch);
        if (numWorkers > 0) {
            open.add(it);
        }
        return it;
    }

    /** Stops the worker threads of every epoch still running. */
    @Override
    public void close() {
        for (BatchIterator<B> it : List.copyOf(open)) {
            it.close();
        }
    }

    /**
     * The generator random transforms should draw from: the one of the batch being loaded on this thread, or the
     * default generator outside a DataLoader.
     */
    public static Generator batchGenerator() {
        BatchRandom r = BATCH_RANDOM.get();
        return r == null ? Generator.defaultGenerator() : r.generator();
    }

    /** The seed of one batch; its generator is made on first use. */
    private static final class BatchRandom {
        private final long seed;
        private Generator generator;

        BatchRandom(long seed) {
            this.seed = seed;
        }

        Generator generator() {
            if (generator == null) {
                generator = new Generator().manualSeed(seed);
            }
            return generator;
        }
    }

    private B load(int[] order, long baseSeed, int k) {
        int start = k * batchSize;
        int end = Math.min(start + batchSize, size);
        int[] indices = new int[end - start];
        System.arraycopy(order, start, indices, 0, indices.length);
        BatchRandom previous = BATCH_RANDOM.get();
        BATCH_RANDOM.set(new BatchRandom(baseSeed + k));
        try {
            return fetch.apply(indices);
        } finally {
            BATCH_RANDOM.set(previous);
        }
    }

    /** One epoch of batches; close it to stop its worker threads early. */
    public static final class BatchIterator<B> implements Iterator<B>, AutoCloseable {
        private final DataLoader<B> loader;
        private final int[] order;
        private final long baseSeed;
        private final int end;
        private int next;
        private int submitted;
        private ExecutorService pool;
        private final ArrayDeque<Future<B>> pending = new ArrayDeque<>();
        private boolean closed;

        private BatchIterator(DataLoader<B> loader, int[] order, long baseSeed, int start) {
            this.loader = loader;
            this.order = order;
            this.baseSeed = baseSeed;
            this.end = loader.numBatches();
            this.next = start;
            this.submitted = start;
            if (loader.numWorkers > 0 && start < end) {
                pool = Executors.newFixedThreadPool(loader.numWorkers, daemonThreads());
                fill();
            }
        }

        private static ThreadFactory daemonThreads() {
            int pool = POOL_IDS.incrementAndGet();
            AtomicInteger n = new AtomicInteger();
            return r -> {
                Thread t = new Thread(r, "trainyard-dataloader-" + pool + "-worker-" + n.getAndIncrement());
                t.setDaemon(true);
                return t;
            };
        }

        private void fill() {
            int window = loader.numWorkers * loader.prefetchFactor;
            while (submitted < end && pending.size() < window) {
                int k = submitted++;
                pending.add(pool.submit(() -> loader.load(order, baseSeed, k)));
            }
        }

        /** The index of the batch the next call to {@link #next()} returns. */
        public int nextBatchIndex() {
            return next;
        }

        @Override
        public boolean hasNext() {
            return !closed && next < end;
        }

        @Override
        public B next() {
            if (closed) {
                throw new IllegalStateException("DataLoader: this epoch's iterator was closed");
            }
            if (next >= end) {
                throw new NoSuchElementException("DataLoader: the epoch has no more batches (" + end + " in all)");
            }
            int k = next++;
            if (pool == null) {
                return loader.load(order, baseSeed, k);
            }
            Future<B> f = pending.removeFirst();
            B batch;
            try {
                batch = f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new IllegalStateException("DataLoader: interrupted while waiting for batch " + k, e);
            } catch (ExecutionException e) {
                close();
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException re) {
                    re.addSuppressed(new IllegalStateException("DataLoader worker failed while loading batch " + k));
                    throw re;
                }
                if (cause instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException("DataLoader worker failed while loading batch " + k + ": " + cause, cause);
            } catch (CancellationException e) {
                throw new IllegalStateException("DataLoader: batch " + k + " was cancelled (iterator closed)", e);
            }
            fill();
            if (next >= end) {
                shutdown();
            }
            return batch;
        }

        /** Cancels pending batches and stops the worker threads; the iterator then has no more batches. */
        @Override
        public void close() {
            closed = true;
            for (Future<B> f : pending) {
                f.cancel(true);
            }
            pending.clear();
            shutdown();
        }

        private void shutdown() {
            if (pool != null) {
                pool.shutdownNow();
                pool = null;
            }
            loader.open.remove(this);
        }
    }
}
