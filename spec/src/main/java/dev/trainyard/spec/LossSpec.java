package dev.trainyard.spec;

/** The loss: a type from {@link Catalog#losses()} and its options, defaults filled in. */
public record LossSpec(String type, Options options) {

    public boolean isClassification() {
        return Catalog.CLASSIFICATION_LOSSES.contains(type);
    }
}
