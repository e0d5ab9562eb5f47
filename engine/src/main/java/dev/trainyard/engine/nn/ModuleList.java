package dev.trainyard.engine.nn;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A list of modules whose parameters belong to the owner, as {@code nn.ModuleList}; children are named "0", "1", ...
 * It has no forward: the owner decides how to call its entries.
 */
public class ModuleList extends Module implements Iterable<Module> {

    public ModuleList(Module... modules) {
        for (Module m : modules) {
            registerModule(String.valueOf(registeredChildren().size()), m);
        }
    }

    public ModuleList(List<? extends Module> modules) {
        for (Module m : modules) {
            registerModule(String.valueOf(registeredChildren().size()), m);
        }
    }

    /** Appends a module; returns this, as {@code append}. */
    public ModuleList add(Module module) {
        registerModule(String.valueOf(size()), module);
        return this;
    }

    /** Appends modules; returns this, as {@code extend}. */
    public ModuleList addAll(List<? extends Module> modules) {
        for (Module m : modules) {
            add(m);
        }
        return this;
    }

    /** The module at {@code index} (negative counts from the end). */
    public Module get(int index) {
        List<Module> all = new ArrayList<>(registeredChildren().values());
        int i = index < 0 ? index + all.size() : index;
        if (i < 0 || i >= all.size()) {
            throw new IndexOutOfBoundsException("ModuleList: index " + index + " is out of range for " + all.size() + " modules");
        }
        return all.get(i);
    }

    public int size() {
        return registeredChildren().size();
    }

    @Override
    public Iterator<Module> iterator() {
        return new ArrayList<>(registeredChildren().values()).iterator();
    }
}
