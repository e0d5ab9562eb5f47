package dev.trainyard.spec;

import java.util.ArrayList;
import java.util.List;

/**
 * A kind of layer, loss, optimizer, scheduler or built-in model that a spec may name with {@code type} (or
 * {@code builtin}), and the arguments it takes.
 *
 * @param name    the name used in specs, e.g. {@code conv2d}, {@code cross_entropy}, {@code adamw}
 * @param summary what it is, naming the engine class
 * @param params  its arguments in order
 */
public record ComponentType(String name, String summary, List<Param> params) {
    public ComponentType {
        params = List.copyOf(params);
    }

    static ComponentType of(String name, String summary, Param... params) {
        return new ComponentType(name, summary, List.of(params));
    }

    public List<String> paramNames() {
        List<String> names = new ArrayList<>();
        for (Param p : params) {
            names.add(p.name());
        }
        return names;
    }

    public Param param(String name) {
        for (Param p : params) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        return null;
    }
}
