package dev.trainyard.engine.data;

import dev.trainyard.engine.Generator;
import dev.trainyard.engine.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A map-style dataset, as {@code torch.utils.data.Dataset}: {@link #size()} examples, read by index.
 *
 * <p>The datasets here give {@link Sample}s (a tuple of tensors, e.g. an image and its label), which
 * {@link DataLoader} stacks into {@link Batch}es. {@code get} may be called from several loader threads at once, so
 * implementations must be safe for concurrent reads.
 *
 * @param <T> the type of one example
 */
public interface Dataset<T> {

    /** The number of examples ({@code len(dataset)}). */
    int size();

    /** The example at {@code index}, {@code 0 <= index < size()}. */
    T get(int index);

    /** Throws a clear error for an index outside {@code [0, size)}. */
    static void checkIndex(int index, int size, String dataset) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException(dataset + ": index " + index + " is out of range for a dataset of " + size
                    + " examples");
        }
    }

    /**
     * Splits {@code dataset} into non-overlapping random subsets of the given lengths, as
     * {@code torch.utils.data.random_split}: one permutation of all indices is drawn from {@code generator} and cut
     * into consecutive runs, so the same generator state always gives the same split.
     */
    static <T> List<Subset<T>> randomSplit(Dataset<T> dataset, int[] lengths, Generator generator) {
        long total = 0;
        for (int len : lengths) {
            if (len < 0) {
                throw new IllegalArgumentException("randomSplit: lengths must be non-negative, got " + Arrays.toString(lengths));
            }
            total += len;
        }
        if (total != dataset.size()) {
            throw new IllegalArgumentException("randomSplit: sum of input lengths " + Arrays.toString(lengths) + " = " + total
                    + " does not equal the length of the input dataset (" + dataset.size() + ")");
        }
        long[] perm = Tensor.randperm(dataset.size(), generator).toLongArray();
        List<Subset<T>> out = new ArrayList<>();
        int offset = 0;
        for (int len : lengths) {
            int[] idx = new int[len];
            for (int i = 0; i < len; i++) {
                idx[i] = (int) perm[offset + i];
            }
            offset += len;
            out.add(new Subset<>(dataset, idx));
        }
        return out;
    }

    /**
     * Splits by fractions that sum to 1, as {@code random_split} with fractions: each length is
     * {@code floor(size * fraction)} and the remainder is handed out one at a time, round-robin from the first split.
     */
    static <T> List<Subset<T>> randomSplit(Dataset<T> dataset, double[] fractions, Generator generator) {
        double sum = 0;
        for (double f : fractions) {
            if (!(f >= 0 && f <= 1)) {
                throw new IllegalArgumentException("randomSplit: fractions must be in [0, 1], got " + Arrays.toString(fractions));
            }
            sum += f;
        }
        if (Math.abs(sum - 1) > 1e-9) {
            throw new IllegalArgumentException("randomSplit: fractions " + Arrays.toString(fractions) + " sum to " + sum + ", not 1");
        }
        int n = dataset.size();
        int[] lengths = new int[fractions.length];
        int assigned = 0;
        for (int i = 0; i < fractions.length; i++) {
            lengths[i] = (int) Math.floor(n * fractions[i]);
            assigned += lengths[i];
        }
        for (int i = 0; i < n - assigned; i++) {
            lengths[i % lengths.length]++;
        }
        return randomSplit(dataset, lengths, generator);
    }
}
