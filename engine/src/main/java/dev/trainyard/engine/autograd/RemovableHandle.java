package dev.trainyard.engine.autograd;

/** Returned by hook registrations; {@link #remove()} unregisters the hook, as in PyTorch. */
@FunctionalInterface
public interface RemovableHandle {
    void remove();
}
