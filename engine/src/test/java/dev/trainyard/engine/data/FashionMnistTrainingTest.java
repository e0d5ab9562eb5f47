package dev.trainyard.engine.data;

import dev.trainyard.engine.Generator;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.autograd.Autograd;
import dev.trainyard.engine.data.transforms.Compose;
import dev.trainyard.engine.data.transforms.Normalize;
import dev.trainyard.engine.data.transforms.ToTensor;
import dev.trainyard.engine.metrics.Accuracy;
import dev.trainyard.engine.nn.F;
import dev.trainyard.engine.nn.Flatten;
import dev.trainyard.engine.nn.Linear;
import dev.trainyard.engine.nn.ReLU;
import dev.trainyard.engine.nn.Sequential;
import dev.trainyard.engine.optim.Adam;
import dev.trainyard.engine.optim.lr.OneCycleLR;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Data, optimizer, scheduler and metric together: one short epoch on real Fashion-MNIST must learn something. */
class FashionMnistTrainingTest {

    @Test
    void oneShortEpochLearns() {
        assumeTrue(Files.isDirectory(MnistTest.FASHION), "Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist)");
        Tensor.manualSeed(0);
        var transform = new Compose(new ToTensor(), new Normalize(new double[] {0.2860}, new double[] {0.3530}));
        var gen = new Generator().manualSeed(0);
        var train = Dataset.randomSplit(new FashionMNIST(MnistTest.FASHION, true, transform), new int[] {6000, 54000}, gen).getFirst();
        var test = new Subset<>(new FashionMNIST(MnistTest.FASHION, false, transform), java.util.stream.IntStream.range(0, 2000).toArray());

        var model = new Sequential(new Flatten(), new Linear(784, 64), new ReLU(), new Linear(64, 10));
        var opt = new Adam(model.parameters(), 1e-3);
        try (var loader = DataLoader.builder(train).batchSize(64).shuffle(true).generator(gen).numWorkers(2).build()) {
            var sched = OneCycleLR.builder(opt, 5e-3, loader.numBatches()).build();
            for (Batch b : loader) {
                opt.zeroGrad();
                F.crossEntropy(model.forward(b.x()), b.y()).backward();
                opt.step();
                sched.step();
            }
        }
        var acc = new Accuracy(10);
        try (var g = Autograd.noGrad()) {
            for (Batch b : DataLoader.builder(test).batchSize(500).build()) {
                acc.update(model.forward(b.x()), b.y());
            }
        }
        double accuracy = acc.compute().item();
        assertTrue(accuracy > 0.7, "test accuracy after one short epoch: " + accuracy);
    }
}
