package dev.trainyard.engine.data;

import java.util.List;

/** Several datasets one after the other, as {@code torch.utils.data.ConcatDataset}. */
public final class ConcatDataset<T> implements Dataset<T> {
    private final List<Dataset<T>> datasets;
    /** cumulative[i] = total size of datasets 0..i. */
    private final int[] cumulative;

    public ConcatDataset(List<? extends Dataset<T>> datasets) {
        if (datasets.isEmpty()) {
            throw new IllegalArgumentException("ConcatDataset: datasets should not be an empty list");
        }
        this.datasets = List.copyOf(datasets);
        this.cumulative = new int[datasets.size()];
        long total = 0;
        for (int i = 0; i < datasets.size(); i++) {
            total += datasets.get(i).size();
            if (total > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("ConcatDataset: more than " + Integer.MAX_VALUE + " examples in all");
            }
            cumulative[i] = (int) total;
        }
    }

    @SafeVarargs
    public static <T> ConcatDataset<T> of(Dataset<T>... datasets) {
        List<Dataset<T>> list = new java.util.ArrayList<>();
        for (Dataset<T> d : datasets) {
            list.add(d);
        }
        return new ConcatDataset<>(list);
    }

    public List<Dataset<T>> datasets() {
        return datasets;
    }

    @Override
    public int size() {
        return cumulative[cumulative.length - 1];
    }

    @Override
    public T get(int index) {
        Dataset.checkIndex(index, size(), "ConcatDataset");
        int lo = 0;
        int hi = cumulative.length - 1; // the first dataset whose cumulative size exceeds index (skips empty ones)
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] > index) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        int d = lo;
        int start = d == 0 ? 0 : cumulative[d - 1];
        return datasets.get(d).get(index - start);
    }
}
