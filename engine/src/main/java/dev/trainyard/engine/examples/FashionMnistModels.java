package dev.trainyard.engine.examples;

import dev.trainyard.engine.nn.Conv2d;
import dev.trainyard.engine.nn.Flatten;
import dev.trainyard.engine.nn.Linear;
import dev.trainyard.engine.nn.MaxPool2d;
import dev.trainyard.engine.nn.Module;
import dev.trainyard.engine.nn.ReLU;
import dev.trainyard.engine.nn.Sequential;

/** The two reference models of bench/fashion-mnist, layer for layer as in bench/fashion_mnist_torch.py. */
public final class FashionMnistModels {
    private FashionMnistModels() {
    }

    /** Flatten, Linear(784, 256), ReLU, Linear(256, 10). */
    public static Sequential mlp() {
        return new Sequential(new Flatten(), new Linear(784, 256), new ReLU(), new Linear(256, 10));
    }

    /** Two conv/relu/pool blocks and two linear layers: state-dict keys 0.*, 3.*, 7.*, 9.* as in PyTorch. */
    public static Sequential cnn() {
        return new Sequential(
                new Conv2d(1, 32, 3), new ReLU(), new MaxPool2d(2),
                new Conv2d(32, 64, 3), new ReLU(), new MaxPool2d(2),
                new Flatten(), new Linear(1600, 128), new ReLU(), new Linear(128, 10));
    }

    public static Module byName(String name) {
        return switch (name) {
            case "mlp" -> mlp();
            case "cnn" -> cnn();
            default -> throw new IllegalArgumentException("unknown model '" + name + "': expected mlp or cnn");
        };
    }
}
