package dev.trainyard.engine;

import dev.trainyard.engine.autograd.Autograd;
import dev.trainyard.engine.data.Batch;
import dev.trainyard.engine.data.DataLoader;
import dev.trainyard.engine.data.FashionMNIST;
import dev.trainyard.engine.data.TensorDataset;
import dev.trainyard.engine.nn.F;
import dev.trainyard.engine.nn.Flatten;
import dev.trainyard.engine.nn.Linear;
import dev.trainyard.engine.nn.ReLU;
import dev.trainyard.engine.nn.Sequential;
import dev.trainyard.engine.optim.Adam;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's "Training a model" loop, line for line, on the first 6,000 training images for 2 epochs (the README
 * runs all 60,000 for 5; bench/fashion-mnist measures that).
 */
class ReadmeTrainingExampleTest {

    @Test
    void readmeTrainingLoopLearnsFashionMnist() {
        int samples = 6000;
        int epochs = 2;

        Tensor.manualSeed(0);
        var train = new FashionMNIST(Path.of("/usr/share/datasets/fashion-mnist"), true);
        var data = new TensorDataset(train.data().slice(0, 0, samples).to(DType.FLOAT32).div(255.0),
                train.targets().slice(0, 0, samples));
        var loader = DataLoader.builder(data).batchSize(64).shuffle(true).build();
        var model = new Sequential(new Flatten(), new Linear(784, 256), new ReLU(), new Linear(256, 10));
        var opt = new Adam(model.parameters(), 1e-3);
        for (int epoch = 0; epoch < epochs; epoch++) {
            for (Batch batch : loader) {
                Tensor loss = F.crossEntropy(model.call(batch.x()), batch.y());
                opt.zeroGrad();
                loss.backward();
                opt.step();
            }
        }

        var test = new FashionMNIST(Path.of("/usr/share/datasets/fashion-mnist"), false);
        double accuracy;
        try (var g = Autograd.noGrad()) {
            Tensor logits = model.call(test.data().to(DType.FLOAT32).div(255.0));
            accuracy = logits.argmax(1).eq(test.targets()).to(DType.FLOAT32).mean().item();
        }
        assertTrue(accuracy > 0.75, "test accuracy " + accuracy);
    }
}
