package dev.trainyard.engine.examples;

import dev.trainyard.engine.Generator;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.nn.F;
import dev.trainyard.engine.nn.Module;
import dev.trainyard.engine.optim.Adam;

import java.util.function.Supplier;

/**
 * Trains a throwaway model on random data on a daemon thread until {@link #close()}, so that the JIT compiles the
 * training step's code (C2 for the Vector API kernels, which run boxed until then) while the caller loads its data on
 * the other core. The throwaway model draws from a generator of its own ({@link Generator#withDefault}), so the real
 * run's initial weights and sample order are the same bits with or without a warm-up.
 */
final class TrainingWarmup implements AutoCloseable {
    private static final int SAMPLES = 512;
    private final Thread thread;
    private volatile boolean stopped;
    private volatile int steps;

    private TrainingWarmup(Supplier<? extends Module> model, int batch, int[] sampleShape, int classes) {
        thread = Thread.ofPlatform().name("training-warmup").daemon().unstarted(
                () -> Generator.withDefault(new Generator(), () -> train(model.get(), batch, sampleShape, classes)));
    }

    /** Starts training a {@code model.get()} on batches of {@code batch} random samples of {@code sampleShape}. */
    static TrainingWarmup start(Supplier<? extends Module> model, int batch, int[] sampleShape, int classes) {
        TrainingWarmup warmup = new TrainingWarmup(model, batch, sampleShape, classes);
        warmup.thread.start();
        return warmup;
    }

    private Void train(Module model, int batch, int[] sampleShape, int classes) {
        int[] shape = new int[sampleShape.length + 1];
        shape[0] = SAMPLES;
        System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
        Tensor x = Tensor.rand(shape);
        Tensor y = Tensor.randint(0, classes, SAMPLES);
        Adam opt = new Adam(model.parameters(), 1e-3);
        model.train();
        while (!stopped) {
            Tensor perm = Tensor.randperm(SAMPLES);
            for (int i = 0; i + batch <= SAMPLES && !stopped; i += batch) {
                Tensor idx = perm.slice(0, i, i + batch);
                Tensor loss = F.crossEntropy(model.call(x.indexSelect(0, idx)), y.indexSelect(0, idx));
                opt.zeroGrad();
                loss.backward();
                opt.step();
                steps++;
            }
        }
        return null;
    }

    /** The training steps done so far. */
    int steps() {
        return steps;
    }

    /** Stops after the step under way; does not wait for it. */
    @Override
    public void close() {
        stopped = true;
    }
}
