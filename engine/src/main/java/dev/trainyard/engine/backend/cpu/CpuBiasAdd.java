package dev.trainyard.engine.backend.cpu;

import dev.trainyard.engine.DType;
import dev.trainyard.engine.Tensor;

/** The linear layer's bias, added in place to each row of the product's fresh array. */
final class CpuBiasAdd {
    private CpuBiasAdd() {
    }

    /** {@code matrix[r, j] += bias[j]}: the one rounding the broadcast add makes. {@code matrix} is contiguous. */
    static Tensor addInPlace(Tensor matrix, Tensor bias) {
        int rows = matrix.size(0);
        int cols = matrix.size(1);
        int po = matrix.storageOffset();
        Tensor bc = bias.isContiguous() ? bias : CpuKernels.INSTANCE.copy(bias, bias.dtype());
        int bo = bc.storageOffset();
        if (matrix.dtype() == DType.FLOAT32) {
            float[] p = matrix.storage().floats();
            float[] b = bc.storage().floats();
            for (int r = 0; r < rows; r++) {
                int row = po + r * cols;
                for (int j = 0; j < cols; j++) {
                    p[row + j] += b[bo + j];
                }
            }
        } else {
            double[] p = matrix.storage().doubles();
            double[] b = bc.storage().doubles();
            for (int r = 0; r < rows; r++) {
                int row = po + r * cols;
                for (int j = 0; j < cols; j++) {
                    p[row + j] += b[bo + j];
                }
            }
        }
        return matrix;
    }
}
