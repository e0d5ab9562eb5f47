package dev.trainyard.engine.nn;

import dev.trainyard.engine.Generator;
import dev.trainyard.engine.Tensor;
import dev.trainyard.engine.TensorBits;
import dev.trainyard.engine.backend.FloatBuffers;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Sequential gives a conv's, a linear layer's and a max-pool's output back to {@link FloatBuffers} once the next module has read it and
 * nothing else can, and a ReLU's once the backward has freed its node: the next array of that length taken holds those values. Where a hook could keep the output, it is
 * not given back, and training through the reused arrays gives the bits of the modules called one by one.
 */
class SequentialActivationReuseTest {
    // conv output [1, 4, 70, 66] = 18,480 floats and pooled [1, 4, 35, 33] = 4,620: both cached (at least 4,096),
    // lengths no other test's arrays have, so the cache's newest array of each length is this model's
    private static final int[] INPUT = {1, 1, 72, 68};

    private static Tensor input() {
        return Tensor.randn(INPUT, new Generator().manualSeed(11));
    }

    @Test
    void theConvsAndThePoolsOutputsGoBackOnceRead() {
        Tensor.manualSeed(1);
        Conv2d conv = new Conv2d(1, 4, 3);
        Sequential model = new Sequential(conv, new ReLU(), new MaxPool2d(2));
        Tensor x = input();
        Tensor convOut = conv.call(x);
        Tensor pooled = new MaxPool2d(2).call(convOut);

        model.call(x);

        float[] lastConvLength = FloatBuffers.take(convOut.numel());
        float[] lastPoolLength = FloatBuffers.take(pooled.numel());
        assertArrayEquals(bits(convOut.toFloatArray()), bits(lastConvLength), "the conv's output array went back");
        assertArrayEquals(bits(pooled.toFloatArray()), bits(lastPoolLength), "the pool's output array went back");
    }

    /** A linear layer's output (its node keeps its input and weight, not its output) once relu has read it. */
    @Test
    void aLinearsOutputGoesBackOnceReluHasReadIt() {
        Tensor.manualSeed(1);
        // [3, 1543] = 4,629 floats: cached (at least 4,096), a length no other test's arrays have
        Linear linear = new Linear(20, 1543);
        Sequential model = new Sequential(linear, new ReLU());
        Tensor x = Tensor.randn(new int[] {3, 20}, new Generator().manualSeed(12));
        Tensor linearOut = linear.call(x);

        model.call(x);

        float[] lastLinearLength = FloatBuffers.take(linearOut.numel());
        assertArrayEquals(bits(linearOut.toFloatArray()), bits(lastLinearLength), "the linear's output array went back");
    }

    /**
     * A ReLU's output, which the next linear layer's node saves, goes back once the backward has freed the ReLU's node;
     * the gradient written over the first layer's output array goes back after its weight's gradient has read it.
     */
    @Test
    void aRelusOutputGoesBackOnceTheBackwardHasFreedItsNode() {
        Tensor.manualSeed(1);
        // [3, 1549] = 4,647 floats: cached (at least 4,096), a length no other test's arrays have
        Linear first = new Linear(20, 1549);
        Sequential model = new Sequential(first, new ReLU(), new Linear(1549, 2));
        Tensor x = Tensor.randn(new int[] {3, 20}, new Generator().manualSeed(13));
        Tensor relu;
        try (var ignored = dev.trainyard.engine.autograd.Autograd.noGrad()) {
            relu = first.call(x).relu();
        }
        Tensor out = model.call(x);
        int length = relu.numel();
        // the first layer's output went back once relu had read it (aLinearsOutputGoesBackOnceReluHasReadIt); the
        // ReLU's is still saved by the second layer's node
        float[] firstOutput = FloatBuffers.take(length);
        assertFalse(java.util.Arrays.equals(bits(relu.toFloatArray()), bits(firstOutput)));
        FloatBuffers.giveBack(firstOutput);

        F.crossEntropy(out, Tensor.of(new long[] {1, 0, 1}, 3)).backward();

        // newest first: the first layer's output gradient (the second layer's input gradient, written over by relu's
        // backward), then the ReLU's output
        float[] gradient = FloatBuffers.take(length);
        float[] reluOutput = FloatBuffers.take(length);
        assertFalse(java.util.Arrays.equals(bits(relu.toFloatArray()), bits(gradient)));
        assertArrayEquals(bits(relu.toFloatArray()), bits(reluOutput), "the ReLU's output array went back");
    }

    /** The model's own output is the caller's: a last ReLU's output is not given back after the backward. */
    @Test
    void aLastRelusOutputIsNotGivenBack() {
        Tensor.manualSeed(1);
        Sequential model = new Sequential(new Linear(20, 1549), new ReLU());
        Tensor out = model.call(Tensor.randn(new int[] {3, 20}, new Generator().manualSeed(14)));
        out.sum().backward();
        assertFalse(FloatBuffers.isFree(out.storage().floats()));
    }

    /** Under no_grad (an evaluation) the outputs go to the collector: a large batch's would overfill the cache. */
    @Test
    void anEvaluationsOutputsAreNotGivenBack() {
        Tensor.manualSeed(1);
        Conv2d conv = new Conv2d(1, 4, 3);
        Sequential model = new Sequential(conv, new ReLU(), new MaxPool2d(2));
        Tensor x = input().mul(-3.0);
        Tensor convOut = conv.call(x);

        try (var ignored = dev.trainyard.engine.autograd.Autograd.noGrad()) {
            model.call(x);
        }

        float[] lastConvLength = FloatBuffers.take(convOut.numel());
        assertFalse(java.util.Arrays.equals(bits(convOut.toFloatArray()), bits(lastConvLength)),
                "the conv's output went back to the cache under no_grad");
    }

    @Test
    void anOutputAHookSawStaysWithTheHook() {
        Tensor.manualSeed(1);
        Conv2d conv = new Conv2d(1, 4, 3);
        List<Tensor> kept = new ArrayList<>();
        conv.registerForwardHook((module, in, out) -> {
            kept.add((Tensor) out);
            return null;
        });
        Sequential model = new Sequential(conv, new ReLU(), new MaxPool2d(2));
        Tensor x = input();
        model.call(x);
        // its array read directly: toFloatArray's copy would take an array of its length from the cache
        float[] array = kept.getFirst().storage().floats();
        float[] values = array.clone();
        model.call(x.mul(-1.0));

        assertFalse(FloatBuffers.isFree(array));
        assertArrayEquals(bits(values), bits(array), "the kept output was not overwritten");
    }

    /** Three Adam steps of a small cnn through Sequential and through its modules one by one: the same parameters. */
    @Test
    void trainingThroughReusedArraysGivesTheSameBits() {
        assertSameBitsAsOneByOne(3, () -> new Sequential(new Conv2d(1, 8, 3), new ReLU(), new MaxPool2d(2),
                        new Conv2d(8, 16, 3), new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(16 * 6 * 6, 10)),
                Tensor.randn(new int[] {4, 1, 32, 32}, new Generator().manualSeed(4)), Tensor.of(new long[] {1, 7, 3, 0}, 4));
    }

    /** The same for an mlp, whose first linear layer's output goes back once relu has read it. */
    @Test
    void trainingAnMlpThroughReusedArraysGivesTheSameBits() {
        assertSameBitsAsOneByOne(5, () -> new Sequential(new Flatten(), new Linear(64, 1100), new ReLU(),
                        new Linear(1100, 10)),
                Tensor.randn(new int[] {4, 1, 8, 8}, new Generator().manualSeed(6)), Tensor.of(new long[] {2, 9, 4, 0}, 4));
    }

    private static void assertSameBitsAsOneByOne(long seed, Supplier<Sequential> newModel, Tensor x, Tensor y) {
        Tensor[][] params = new Tensor[2][];
        for (int oneByOne = 0; oneByOne < 2; oneByOne++) {
            Tensor.manualSeed(seed);
            Sequential model = newModel.get();
            var opt = new dev.trainyard.engine.optim.Adam(model.parameters(), 1e-2);
            for (int step = 0; step < 3; step++) {
                Tensor out = x;
                if (oneByOne == 1) {
                    for (Module m : model) {
                        out = m.call(out);
                    }
                } else {
                    out = model.call(x);
                }
                Tensor loss = F.crossEntropy(out, y);
                opt.zeroGrad();
                loss.backward();
                opt.step();
            }
            params[oneByOne] = model.parameters().toArray(new Tensor[0]);
        }
        for (int i = 0; i < params[0].length; i++) {
            TensorBits.assertSameBits(params[1][i], params[0][i], "parameter " + i);
        }
    }

    private static int[] bits(float[] values) {
        int[] bits = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = Float.floatToRawIntBits(values[i]);
        }
        return bits;
    }
}
