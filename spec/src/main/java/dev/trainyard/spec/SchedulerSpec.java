package dev.trainyard.spec;

/** The learning-rate scheduler: a type from {@link Catalog#schedulers()} and its options, defaults filled in. */
public record SchedulerSpec(String type, Options options) {

    /** True if the schedule advances after every optimizer step rather than every epoch (onecycle always does). */
    public boolean perStep() {
        return type.equals("onecycle") || (options.has("interval") && options.getString("interval").equals("step"));
    }

    /** The plateau scheduler steps after every evaluation with a metric instead. */
    public boolean onPlateau() {
        return type.equals("plateau");
    }
}
