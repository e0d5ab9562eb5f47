package dev.trainyard.engine;

import java.util.Arrays;

/** Prints tensors like PyTorch (being implemented). */
final class TensorFormatter {
    private TensorFormatter() {
    }

    static String format(Tensor t) {
        return "tensor(" + Arrays.toString(t.toDoubleArray()) + ", shape=" + Arrays.toString(t.shape()) + ", dtype=" + t.dtype() + ")";
    }
}
