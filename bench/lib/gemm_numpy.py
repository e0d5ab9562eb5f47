"""The products of engine/src/test/.../GemmBench.java through numpy's BLAS (OpenBLAS when it is the libblas.so.3
alternative), on the thread count set by OPENBLAS_NUM_THREADS. Same shapes, operand layouts, names and output format
(a per-image product: one matmul per image through Python, whose call costs ~1 us against the products' 2-60 us)."""
import os
import sys
import time

import numpy as np

# the best rate over windows of this much CPU time is printed too, as GemmBench.WINDOW_NANOS explains
WINDOW_SECONDS = 0.05

# name, m, n, k, trans_a, trans_b, images (products of one image each, timed together), B's row stride (0: dense)
SHAPES = [
    ("conv1 fwd   W x cols/img", 32, 676, 9, False, False, 64, 64 * 676),
    ("conv1 dW^T  cols x g^T  ", 9, 32, 43264, False, True, 1, 0),
    ("conv2 fwd   W x cols/img", 64, 121, 288, False, False, 64, 64 * 121),
    ("conv2 dCols W^T x g/img ", 288, 121, 64, True, False, 64, 0),
    ("conv2 dW^T  cols x g^T  ", 288, 64, 7744, False, True, 1, 0),
    ("fc1 fwd     x x W^T     ", 64, 128, 1600, False, True, 1, 0),
    ("fc1 dX      g x W       ", 64, 1600, 128, False, False, 1, 0),
    ("fc1 dW^T    x^T x g     ", 1600, 128, 64, True, False, 1, 0),
    ("mlp fc1 fwd x x W^T     ", 64, 256, 784, False, True, 1, 0),
    ("mlp fc1 dW^T x^T x g    ", 784, 256, 64, True, False, 1, 0),
    ("square 128              ", 128, 128, 128, False, False, 1, 0),
    ("square 256              ", 256, 256, 256, False, False, 1, 0),
    ("square 512              ", 512, 512, 512, False, False, 1, 0),
    ("square 1024             ", 1024, 1024, 1024, False, False, 1, 0),
]


def main():
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
    rng = np.random.default_rng(1)
    for name, m, n, k, trans_a, trans_b, images, ldb in SHAPES:
        a = rng.random((k, m) if trans_a else (m, k), dtype=np.float32)
        a = a.T if trans_a else a
        if ldb:
            wide = rng.random((k, ldb), dtype=np.float32)
            bs = [wide[:, i * n:(i + 1) * n] for i in range(images)]
        else:
            bs = [rng.random((n, k), dtype=np.float32).T if trans_b else rng.random((k, n), dtype=np.float32)
                  for _ in range(images)]
        cs = [np.empty((m, n), dtype=np.float32) for _ in range(images)]

        def product():
            for b, c in zip(bs, cs):
                np.matmul(a, b, out=c)

        warm = time.perf_counter() + seconds * 0.5
        while time.perf_counter() < warm:
            product()
        reps = 0
        cpu0 = time.process_time()
        window_start, window_reps, best = cpu0, 0, 0.0
        start = time.perf_counter()
        end = start + seconds
        while True:
            product()
            reps += 1
            window_reps += 1
            cpu_now = time.process_time()
            if cpu_now - window_start >= WINDOW_SECONDS:
                best = max(best, 2.0 * m * n * k * images * window_reps / (cpu_now - window_start) / 1e9)
                window_start, window_reps = cpu_now, 0
            now = time.perf_counter()
            if now >= end:
                break
        cpu = time.process_time() - cpu0
        flops = 2.0 * m * n * k * images * reps
        print("%s [%5d x %5d] x [%5d x %4d]%s%s: %8.3f ms  %6.1f GFLOP/s wall  %6.1f GFLOP per cpu-s  %6.1f best window"
              % (name, m, k, k, n, " A^T" if trans_a else "    ", " B^T" if trans_b else "    ",
                 (now - start) / reps * 1e3, flops / (now - start) / 1e9, flops / max(cpu, 1e-9) / 1e9, best),
              flush=True)


if __name__ == "__main__":
    main()
