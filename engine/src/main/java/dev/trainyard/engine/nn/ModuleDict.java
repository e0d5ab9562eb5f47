package dev.trainyard.engine.nn;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Modules by name, in insertion order, as {@code nn.ModuleDict}; the keys become the children's names. It has no
 * forward.
 */
public class ModuleDict extends Module {

    public ModuleDict() {
    }

    /** Entries in the map's iteration order (pass a LinkedHashMap). */
    public ModuleDict(Map<String, ? extends Module> modules) {
        for (Map.Entry<String, ? extends Module> e : modules.entrySet()) {
            registerModule(e.getKey(), e.getValue());
        }
    }

    /** Adds or replaces the module under {@code key}; returns this. */
    public ModuleDict put(String key, Module module) {
        registerModule(key, module);
        return this;
    }

    public Module get(String key) {
        Module m = registeredChildren().get(key);
        if (m == null) {
            throw new IllegalArgumentException("ModuleDict: no module under key '" + key + "'; keys are " + keySet());
        }
        return m;
    }

    public boolean containsKey(String key) {
        return registeredChildren().containsKey(key);
    }

    public Set<String> keySet() {
        return registeredChildren().keySet();
    }

    /** The entries in insertion order (a copy). */
    public LinkedHashMap<String, Module> entries() {
        return new LinkedHashMap<>(registeredChildren());
    }

    public int size() {
        return registeredChildren().size();
    }
}
