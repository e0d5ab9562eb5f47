package dev.trainyard.spec;

/**
 * One argument of a {@link ComponentType}.
 *
 * @param name         the JSON field name (camelCase, as the engine's constructor parameter)
 * @param kind         its type and constraints
 * @param required     whether the spec must give it
 * @param defaultValue the value used when it is absent (null: none)
 * @param inferred     absent means "inferred by the worker" (e.g. a layer's input size from the previous layer)
 * @param doc          one line for the docs
 */
public record Param(String name, Kind kind, boolean required, Object defaultValue, boolean inferred, String doc) {

    static Param req(String name, Kind kind, String doc) {
        return new Param(name, kind, true, null, false, doc);
    }

    static Param opt(String name, Kind kind, Object defaultValue, String doc) {
        return new Param(name, kind, false, defaultValue, false, doc);
    }

    /** Optional without a default: absent means the worker infers it (or the feature is off). */
    static Param inferred(String name, Kind kind, String doc) {
        return new Param(name, kind, false, null, true, doc);
    }
}
