package dev.trainyard.engine.nn;

import java.util.List;

/**
 * What {@link Module#loadStateDict(java.util.Map, boolean)} could not match, as PyTorch's {@code _IncompatibleKeys}:
 * keys the module expected but the state dict lacked, and keys the state dict had that the module has no place for.
 */
public record IncompatibleKeys(List<String> missingKeys, List<String> unexpectedKeys) {
    public boolean isEmpty() {
        return missingKeys.isEmpty() && unexpectedKeys.isEmpty();
    }
}
