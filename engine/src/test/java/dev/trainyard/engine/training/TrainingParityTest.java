package dev.trainyard.engine.training;

import dev.trainyard.engine.DType;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.data.FashionMNIST;
import dev.trainyard.engine.nn.F;
import dev.trainyard.engine.nn.Flatten;
import dev.trainyard.engine.nn.Linear;
import dev.trainyard.engine.nn.Module;
import dev.trainyard.engine.nn.ReLU;
import dev.trainyard.engine.nn.Sequential;
import dev.trainyard.engine.optim.Adam;
import dev.trainyard.engine.serialization.SafeTensors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A whole training loop against PyTorch: the bench's MLP (narrowed to 32 hidden units) trained with Adam for three
 * epochs on 2,048 Fashion-MNIST images, from PyTorch's initial weights and in PyTorch's sample order
 * (fixtures/training/mlp_adam.safetensors, from engine/src/test/python/gen_training_fixtures.py). With the same start
 * and the same batches only rounding separates the engines, so every one of the 96 losses, the trained weights and
 * the trained model's predictions must agree with PyTorch's.
 */
class TrainingParityTest {
    private static final Path ROOT = Path.of("/usr/share/datasets/fashion-mnist");

    private static Map<String, Tensor> fixture;
    private static Map<String, String> recipe;

    @BeforeAll
    static void loadFixture() throws IOException {
        try (InputStream in = TrainingParityTest.class.getResourceAsStream("/fixtures/training/mlp_adam.safetensors")) {
            SafeTensors.Contents contents = SafeTensors.read(in, "mlp_adam.safetensors");
            fixture = contents.tensors();
            recipe = contents.metadata();
        }
    }

    @Test
    void trainingFollowsPyTorchStepForStep() throws IOException {
        int trainSize = Integer.parseInt(recipe.get("train"));
        int testSize = Integer.parseInt(recipe.get("test"));
        int epochs = Integer.parseInt(recipe.get("epochs"));
        int batch = Integer.parseInt(recipe.get("batch"));
        FashionMNIST train = new FashionMNIST(ROOT, true);
        FashionMNIST test = new FashionMNIST(ROOT, false);
        Tensor x = pixels(train.data().slice(0, 0, trainSize));
        Tensor y = train.targets().slice(0, 0, trainSize);
        Tensor xTest = pixels(test.data().slice(0, 0, testSize));

        Module model = new Sequential(new Flatten(), new Linear(784, 32), new ReLU(), new Linear(32, 10));
        model.loadStateDict(withPrefix("init."), true);
        Adam optimizer = new Adam(model.parameters(), Double.parseDouble(recipe.get("lr")));
        Tensor orders = fixture.get("orders");
        double[] torchLosses = fixture.get("losses").toDoubleArray();
        int step = 0;
        for (int epoch = 0; epoch < epochs; epoch++) {
            for (int i = 0; i < trainSize; i += batch) {
                Tensor idx = orders.select(0, epoch).slice(0, i, Math.min(trainSize, i + batch));
                Tensor loss = F.crossEntropy(model.call(x.indexSelect(0, idx)), y.indexSelect(0, idx));
                optimizer.zeroGrad();
                loss.backward();
                optimizer.step();
                double expected = torchLosses[step];
                assertEquals(expected, loss.item(), 1e-6 * Math.abs(expected),
                        "loss at step " + step + " (epoch " + epoch + ", batch " + i / batch + ")");
                step++;
            }
        }
        assertEquals(torchLosses.length, step, "steps");

        Map<String, Tensor> trained = model.stateDict();
        Map<String, Tensor> torchTrained = withPrefix("final.");
        for (String key : torchTrained.keySet()) {
            Tensor ours = trained.get(key);
            Tensor theirs = torchTrained.get(key);
            double diff = ours.sub(theirs).abs().max().item();
            assertTrue(diff < 1e-6, key + ": trained weights differ from PyTorch's by up to " + diff);
        }
        model.eval();
        long[] predictions = model.call(xTest).argmax(1).toLongArray();
        assertArrayEquals(fixture.get("predictions").toLongArray(), predictions, "predicted classes of the test images");
    }

    private static Map<String, Tensor> withPrefix(String prefix) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        fixture.forEach((key, value) -> {
            if (key.startsWith(prefix)) {
                out.put(key.substring(prefix.length()), value);
            }
        });
        return out;
    }

    private static Tensor pixels(Tensor images) {
        return images.to(DType.FLOAT32).div(255.0).unsqueeze(1);
    }
}
