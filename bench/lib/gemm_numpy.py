"""The products of engine/src/test/.../GemmBench.java through numpy's BLAS (OpenBLAS when it is the libblas.so.3
alternative), on the thread count set by OPENBLAS_NUM_THREADS. Same shapes, operand layouts, names and output format."""
import os
import sys
import time

import numpy as np

SHAPES = [
    ("conv1 fwd   rows x W^T ", 43264, 32, 9, False, True),
    ("conv1 dW^T  rows^T x g ", 9, 32, 43264, True, False),
    ("conv2 fwd   rows x W^T ", 7744, 64, 288, False, True),
    ("conv2 dRows g x W      ", 7744, 288, 64, False, False),
    ("conv2 dW^T  rows^T x g ", 288, 64, 7744, True, False),
    ("fc1 fwd     x x W^T    ", 64, 128, 1600, False, True),
    ("fc1 dX      g x W      ", 64, 1600, 128, False, False),
    ("fc1 dW^T    x^T x g    ", 1600, 128, 64, True, False),
    ("square 128             ", 128, 128, 128, False, False),
    ("square 256             ", 256, 256, 256, False, False),
    ("square 512             ", 512, 512, 512, False, False),
    ("square 1024            ", 1024, 1024, 1024, False, False),
]


def main():
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
    rng = np.random.default_rng(1)
    for name, m, n, k, trans_a, trans_b in SHAPES:
        a = rng.random((k, m) if trans_a else (m, k), dtype=np.float32)
        b = rng.random((n, k) if trans_b else (k, n), dtype=np.float32)
        a = a.T if trans_a else a
        b = b.T if trans_b else b
        c = np.empty((m, n), dtype=np.float32)
        warm = time.perf_counter() + seconds * 0.5
        while time.perf_counter() < warm:
            np.matmul(a, b, out=c)
        reps = 0
        cpu0 = time.process_time()
        start = time.perf_counter()
        end = start + seconds
        while True:
            np.matmul(a, b, out=c)
            reps += 1
            now = time.perf_counter()
            if now >= end:
                break
        cpu = time.process_time() - cpu0
        flops = 2.0 * m * n * k * reps
        print("%s [%5d x %5d] x [%5d x %4d]%s%s: %8.3f ms  %6.1f GFLOP/s wall  %6.1f GFLOP per cpu-s"
              % (name, m, k, k, n, " A^T" if trans_a else "    ", " B^T" if trans_b else "    ",
                 (now - start) / reps * 1e3, flops / (now - start) / 1e9, flops / max(cpu, 1e-9) / 1e9), flush=True)


if __name__ == "__main__":
    main()
