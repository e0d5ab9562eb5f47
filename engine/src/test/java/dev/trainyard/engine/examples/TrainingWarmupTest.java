package dev.trainyard.engine.examples;

import dev.trainyard.engine.Generator;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.nn.F;
import dev.trainyard.engine.nn.Module;
import dev.trainyard.engine.optim.Adam;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainingWarmupTest {

    @Test
    void leavesTheDefaultGeneratorAlone() throws InterruptedException {
        byte[] before = Generator.defaultGenerator().getState();
        try (TrainingWarmup warmup = TrainingWarmup.start(FashionMnistModels::mlp, 8, new int[] {1, 28, 28}, 10)) {
            awaitSteps(warmup, 2);
        }
        assertArrayEquals(before, Generator.defaultGenerator().getState());
    }

    @Test
    void aRunBesideAWarmupTrainsToTheSameBits() throws InterruptedException {
        List<float[]> alone = trainMlp(3);
        List<float[]> beside;
        try (TrainingWarmup warmup = TrainingWarmup.start(FashionMnistModels::mlp, 64, new int[] {1, 28, 28}, 10)) {
            awaitSteps(warmup, 1);
            beside = trainMlp(3);
            assertTrue(warmup.steps() > 1, "the warm-up trained while the run did");
        }
        assertEquals(alone.size(), beside.size());
        for (int i = 0; i < alone.size(); i++) {
            assertArrayEquals(alone.get(i), beside.get(i), "parameter " + i);
        }
    }

    /** The mlp's parameters after STEPS Adam steps on seeded random batches of 64, from a seeded start. */
    private static List<float[]> trainMlp(int steps) {
        return Generator.withDefault(new Generator().manualSeed(7), () -> {
            Module model = FashionMnistModels.mlp();
            Adam opt = new Adam(model.parameters(), 1e-3);
            Generator data = new Generator().manualSeed(8);
            for (int s = 0; s < steps; s++) {
                Tensor x = Tensor.rand(new int[] {64, 1, 28, 28}, data);
                Tensor y = Tensor.randint(0, 10, new int[] {64}, data);
                Tensor loss = F.crossEntropy(model.call(x), y);
                opt.zeroGrad();
                loss.backward();
                opt.step();
            }
            List<float[]> params = new ArrayList<>();
            for (Tensor p : model.parameters()) {
                params.add(p.contiguous().storage().floats().clone());
            }
            return params;
        });
    }

    private static void awaitSteps(TrainingWarmup warmup, int steps) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (warmup.steps() < steps) {
            assertTrue(System.nanoTime() < deadline, "the warm-up did not reach " + steps + " steps in 60 s");
            Thread.sleep(5);
        }
    }
}
