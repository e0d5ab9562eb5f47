package dev.trainyard.engine.training;

import dev.trainyard.engine.DType;
import dev.trainyard.engine.Generator;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.data.Batch;
import dev.trainyard.engine.data.DataLoader;
import dev.trainyard.engine.data.FashionMNIST;
import dev.trainyard.engine.data.TensorDataset;
import dev.trainyard.engine.nn.Dropout;
import dev.trainyard.engine.nn.F;
import dev.trainyard.engine.nn.Flatten;
import dev.trainyard.engine.nn.Linear;
import dev.trainyard.engine.nn.Module;
import dev.trainyard.engine.nn.ReLU;
import dev.trainyard.engine.nn.Sequential;
import dev.trainyard.engine.optim.Adam;
import dev.trainyard.engine.optim.lr.StepLR;
import dev.trainyard.engine.serialization.Checkpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * Resume is exact: two epochs straight give bit-identical weights to one epoch, a checkpoint (model, optimizer,
 * scheduler, data-order generator and the default generator that dropout draws from), fresh objects loaded from it,
 * and one more epoch. Runs on a Fashion-MNIST subset.
 */
class ExactResumeTest {
    private static final Path ROOT = Path.of("/usr/share/datasets/fashion-mnist");
    private static final int SAMPLES = 1024;

    @TempDir
    Path dir;

    /** Everything a run owns; built fresh for every run so nothing leaks between them. */
    private record Run(Module model, Adam optimizer, StepLR scheduler, Generator order, DataLoader<Batch> loader) {
        static Run fresh(TensorDataset data) {
            Tensor.manualSeed(42);
            Module model = new Sequential(new Flatten(), new Linear(784, 64), new ReLU(), new Dropout(0.2), new Linear(64, 10));
            Adam optimizer = new Adam(model.parameters(), 1e-3).weightDecay(1e-4);
            StepLR scheduler = new StepLR(optimizer, 1, 0.5);
            Generator order = new Generator().manualSeed(7);
            DataLoader<Batch> loader = DataLoader.builder(data).batchSize(64).shuffle(true).generator(order).build();
            return new Run(model, optimizer, scheduler, order, loader);
        }

        void epoch() {
            model.train();
            for (Batch b : loader) {
                Tensor loss = F.crossEntropy(model.call(b.x()), b.y());
                optimizer.zeroGrad();
                loss.backward();
                optimizer.step();
            }
            scheduler.step();
        }

        Map<String, Object> state(long epoch) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("model", model.stateDict());
            s.put("optimizer", optimizer.stateDict());
            s.put("scheduler", scheduler.stateDict());
            s.put("data_order_rng", order.getState());
            s.put("default_rng", Generator.defaultGenerator().getState());
            s.put("epoch", epoch);
            return s;
        }

        void restore(Map<String, Object> s) {
            model.loadStateDict(Checkpoint.tensors(s, "model"), true);
            optimizer.loadStateDict(map(s.get("optimizer")));
            scheduler.loadStateDict(map(s.get("scheduler")));
            order.setState((byte[]) s.get("data_order_rng"));
            Generator.defaultGenerator().setState((byte[]) s.get("default_rng"));
        }
    }

    @Test
    void twoEpochsStraightEqualOneEpochCheckpointAndOneMore() throws IOException {
        FashionMNIST train = new FashionMNIST(ROOT, true);
        TensorDataset data = new TensorDataset(
                train.data().slice(0, 0, SAMPLES).to(DType.FLOAT32).div(255.0).unsqueeze(1),
                train.targets().slice(0, 0, SAMPLES));

        Run straight = Run.fresh(data);
        straight.epoch();
        straight.epoch();
        Map<String, Tensor> expected = straight.model().stateDict();

        Run first = Run.fresh(data);
        first.epoch();
        Path file = dir.resolve("epoch-1.ckpt");
        Checkpoint.save(file, first.state(1));
        Map<String, Tensor> afterOne = first.model().stateDict();
        // scramble the shared default generator, as another run in the same JVM would
        Tensor.rand(1000);

        Run resumed = Run.fresh(data);
        Map<String, Object> loaded = Checkpoint.load(file);
        assertEquals(1L, loaded.get("epoch"));
        resumed.restore(loaded);
        resumed.epoch();

        Map<String, Tensor> actual = resumed.model().stateDict();
        assertEquals(expected.keySet(), actual.keySet());
        for (String key : expected.keySet()) {
            assertArrayEquals(bits(expected.get(key)), bits(actual.get(key)), key + " differs bitwise after resume");
        }
        assertNotEquals(bits(afterOne.get("1.weight"))[0] + bits(afterOne.get("1.weight"))[1],
                bits(actual.get("1.weight"))[0] + bits(actual.get("1.weight"))[1], "the second epoch changed the weights");
        assertEquals(straight.scheduler().getLastLr(), resumed.scheduler().getLastLr());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, ?> map(Object o) {
        return (Map<String, ?>) o;
    }

    private static int[] bits(Tensor t) {
        float[] f = t.toFloatArray();
        int[] out = new int[f.length];
        for (int i = 0; i < f.length; i++) {
            out[i] = Float.floatToRawIntBits(f[i]);
        }
        return out;
    }
}
