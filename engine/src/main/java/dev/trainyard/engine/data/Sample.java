package dev.trainyard.engine.data;

import dev.trainyard.engine.Tensor;

import java.util.List;

/**
 * One example: a fixed tuple of tensors, usually {@code (input, target)}, as the tuple a PyTorch dataset returns.
 *
 * <pre>{@code
 * Sample s = mnist.get(0);
 * Tensor image = s.x();   // s.get(0)
 * Tensor label = s.y();   // s.get(1)
 * }</pre>
 */
public record Sample(List<Tensor> tensors) {
    public Sample {
        tensors = List.copyOf(tensors);
    }

    public static Sample of(Tensor... tensors) {
        return new Sample(List.of(tensors));
    }

    public Tensor get(int i) {
        return tensors.get(i);
    }

    /** The first tensor (the input). */
    public Tensor x() {
        return tensors.getFirst();
    }

    /** The second tensor (the target). */
    public Tensor y() {
        if (tensors.size() < 2) {
            throw new IllegalStateException("this sample has " + tensors.size() + " tensor(s); y() is the second");
        }
        return tensors.get(1);
    }

    public int size() {
        return tensors.size();
    }
}
