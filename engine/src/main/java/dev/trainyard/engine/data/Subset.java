package dev.trainyard.engine.data;

/**
 * The examples of another dataset at the given indices, in that order, as {@code torch.utils.data.Subset}.
 */
public final class Subset<T> implements Dataset<T> {
    private final Dataset<T> dataset;
    private final int[] indices;

    public Subset(Dataset<T> dataset, int[] indices) {
        for (int i = 0; i < indices.length; i++) {
            if (indices[i] < 0 || indices[i] >= dataset.size()) {
                throw new IndexOutOfBoundsException("Subset: indices[" + i + "] = " + indices[i] + " is out of range for a "
                        + "dataset of " + dataset.size() + " examples");
            }
        }
        this.dataset = dataset;
        this.indices = indices.clone();
    }

    public Dataset<T> dataset() {
        return dataset;
    }

    /** A copy of the indices into {@link #dataset()}. */
    public int[] indices() {
        return indices.clone();
    }

    @Override
    public int size() {
        return indices.length;
    }

    @Override
    public T get(int index) {
        Dataset.checkIndex(index, indices.length, "Subset");
        return dataset.get(indices[index]);
    }
}
