package dev.trainyard.spec;

/**
 * The data of a run.
 *
 * @param name            {@code fashion-mnist}, {@code mnist} or {@code csv}
 * @param path            a file or directory relative to the worker's data root ({@code fashion-mnist} and
 *                        {@code mnist} default to a directory of that name); null when {@link #artifact} is set
 * @param artifact        {@code sha256:<64 hex digits>} of a dataset artifact uploaded to the platform, or null
 * @param testPath        csv only: a separate test file relative to the data root (null: split off {@link #testSplit})
 * @param trainSubset     use only this many training examples (a seeded random subset), or null for all
 * @param testSubset      use only this many test examples, or null for all
 * @param validationSplit fraction of the (subset) training data held out for validation, in [0, 1)
 * @param testSplit       csv without a test file: fraction held out as the test set; null otherwise
 * @param splitSeed       seeds the subsets and splits, independently of the run's seed, so runs with different
 *                        seeds see the same data
 * @param normalize       images: per-channel normalization after scaling to [0, 1] (null: none)
 * @param augment         images: random training-time augmentation (null: none)
 * @param label           csv: the label column, by name (String) or index (Integer, negative from the end)
 * @param header          csv: whether the first line names the columns
 * @param delimiter       csv: the field separator, one character
 * @param task            classification (integer class labels) or regression (float targets); images are
 *                        always classification
 */
public record DatasetSpec(String name, String path, String artifact, String testPath, Integer trainSubset,
                          Integer testSubset, double validationSplit, Double testSplit, long splitSeed,
                          NormalizeSpec normalize, AugmentSpec augment, Object label, boolean header, String delimiter,
                          Task task) {

    /** The dataset names a spec may use. */
    public static final java.util.List<String> NAMES = java.util.List.of("fashion-mnist", "mnist", "csv");

    public enum Task {
        CLASSIFICATION,
        REGRESSION;

        public String json() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** True for the image datasets (fashion-mnist, mnist). */
    public boolean isImage() {
        return !name.equals("csv");
    }

    /** {@code ToTensor} then {@code (x - mean[c]) / std[c]}, as torchvision's Normalize. */
    public record NormalizeSpec(java.util.List<Double> mean, java.util.List<Double> std) {
        public NormalizeSpec {
            mean = java.util.List.copyOf(mean);
            std = java.util.List.copyOf(std);
        }
    }

    /**
     * Training-time augmentation (test data is never augmented), drawn from the data loader's per-batch generators
     * so it is reproducible.
     *
     * @param randomCropPadding pad by this many pixels and crop back to the original size at a random place (0: off)
     * @param horizontalFlip    probability of mirroring an image (0: off)
     */
    public record AugmentSpec(int randomCropPadding, double horizontalFlip) {
    }
}
