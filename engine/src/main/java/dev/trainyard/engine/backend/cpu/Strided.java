package dev.trainyard.engine.backend.cpu;

import dev.trainyard.engine.Tensor;

/** Maps the elements of a strided tensor, in row-major order, to positions in its storage. */
final class Strided {
    private Strided() {
    }

    /** True when the elements sit in storage in row-major order without gaps, starting at the offset. */
    static boolean isDense(Tensor t) {
        return t.isContiguous();
    }

    /** Storage position of each element, in row-major order. */
    static int[] offsets(Tensor t) {
        return offsets(t.shape(), t.stride(), t.storageOffset());
    }

    static int[] offsets(int[] shape, int[] strides, int offset) {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        int[] out = new int[n];
        if (n == 0) {
            return out;
        }
        int nd = shape.length;
        if (nd == 0) {
            out[0] = offset;
            return out;
        }
        int inner = shape[nd - 1];
        int innerStride = strides[nd - 1];
        int[] index = new int[nd];
        int base = offset;
        int pos = 0;
        while (true) {
            for (int j = 0, p = base; j < inner; j++, p += innerStride) {
                out[pos++] = p;
            }
            int d = nd - 2;
            while (d >= 0) {
                index[d]++;
                base += strides[d];
                if (index[d] < shape[d]) {
                    break;
                }
                base -= strides[d] * shape[d];
                index[d] = 0;
                d--;
            }
            if (d < 0) {
                return out;
            }
        }
    }
}
