package dev.trainyard.spec;

/** The text format of a run spec. */
public enum Format {
    JSON,
    YAML,
    /** JSON if the first non-blank character is '{', otherwise YAML. */
    AUTO
}
