package dev.trainyard.engine;

/** Random number generator (being implemented). */
public final class Generator {
    private static final Generator DEFAULT = new Generator();

    public static Generator defaultGenerator() {
        return DEFAULT;
    }

    public Generator manualSeed(long seed) {
        throw new UnsupportedOperationException("Generator is not available yet");
    }

    Tensor rand(int[] shape, DType dtype) { throw new UnsupportedOperationException("rand is not available yet"); }
    Tensor randn(int[] shape, DType dtype) { throw new UnsupportedOperationException("randn is not available yet"); }
    Tensor randint(long low, long high, int[] shape) { throw new UnsupportedOperationException("randint is not available yet"); }
    Tensor randperm(int n) { throw new UnsupportedOperationException("randperm is not available yet"); }
    Tensor bernoulli(Tensor p) { throw new UnsupportedOperationException("bernoulli is not available yet"); }
}
