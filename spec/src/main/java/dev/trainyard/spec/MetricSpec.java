package dev.trainyard.spec;

/**
 * A metric computed at every evaluation.
 *
 * @param type    one of {@link Catalog#METRIC_TYPES}
 * @param topK    for accuracy: a hit if the target is among the k highest scores (1 otherwise)
 * @param average for precision, recall, f1 (default macro), accuracy (default micro) and auroc (default macro):
 *                micro, macro or weighted; null for regression metrics
 */
public record MetricSpec(String type, int topK, String average) {

    /**
     * The name the metric is reported under, after the split prefix: {@code accuracy}, {@code top5_accuracy},
     * {@code accuracy_macro}, {@code f1_macro}, {@code precision_weighted}, {@code auroc}, {@code mse}, ...
     */
    public String key() {
        return switch (type) {
            case "accuracy" -> (topK > 1 ? "top" + topK + "_" : "") + "accuracy" + ("micro".equals(average) ? "" : "_" + average);
            case "auroc" -> "macro".equals(average) ? "auroc" : "auroc_" + average;
            case "precision", "recall", "f1" -> type + "_" + average;
            default -> type;
        };
    }

    /** True if larger is better (every metric but the regression errors). */
    public boolean higherIsBetter() {
        return !Catalog.REGRESSION_METRICS.contains(type);
    }
}
