package dev.trainyard.spec;

/** The optimizer: a type from {@link Catalog#optimizers()} and its options, defaults filled in. */
public record OptimizerSpec(String type, Options options) {

    public double lr() {
        return options.getDouble("lr");
    }
}
