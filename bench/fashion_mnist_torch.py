"""PyTorch reference for bench/fashion-mnist: the same models, data, optimizer and output format.

Usage: /usr/bin/python3 bench/fashion_mnist_torch.py MODEL EPOCHS [THREADS] [--export DIR]   (MODEL: mlp | cnn)
Reads Fashion-MNIST from /usr/share/datasets/fashion-mnist (Debian's dataset-fashion-mnist).

--export DIR (used by bench/fashion-mnist-parity) writes what Trainyard needs to retrace this run:
DIR/init.safetensors (the initial state_dict), DIR/orders.safetensors ("orders", int64 [EPOCHS, 60000], the
sample order of each epoch) and, after training, DIR/final.safetensors (the trained state_dict).
"""
import gzip
import os
import sys
import time

PHASES = os.environ.get("TRAINYARD_BENCH_PHASES") == "1"


def phase(name):
    """With TRAINYARD_BENCH_PHASES=1, as FashionMnistBench's -Dtrainyard.bench.phases=true: the wall-clock time, the
    seconds since the process started and the process's CPU seconds, on stderr."""
    if not PHASES:
        return
    with open("/proc/self/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    with open("/proc/uptime") as f:
        since_start = float(f.read().split()[0]) - int(fields[19]) / 100.0
    print("phase %-22s at %.3f, %.2f s after start, cpu %.2f s" % (name, time.time(), since_start,
                                                                  (int(fields[11]) + int(fields[12])) / 100.0),
          file=sys.stderr, flush=True)


phase("main")

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "engine", "src", "test", "python"))
from torch_interop import write_safetensors  # noqa: E402

ROOT = os.environ.get("FASHION_MNIST_ROOT", "/usr/share/datasets/fashion-mnist")


def idx(name):
    path = os.path.join(ROOT, name)
    opener = gzip.open if path.endswith(".gz") else open
    if not os.path.exists(path) and os.path.exists(path + ".gz"):
        path, opener = path + ".gz", gzip.open
    with opener(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def model_for(name):
    if name == "mlp":
        return nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))
    if name == "cnn":
        return nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3), nn.ReLU(),
                             nn.MaxPool2d(2), nn.Flatten(), nn.Linear(1600, 128), nn.ReLU(), nn.Linear(128, 10))
    raise SystemExit("unknown model %r: expected mlp or cnn" % name)


def main():
    phase("imported")
    args = sys.argv[1:]
    export_dir = None
    if "--export" in args:
        at = args.index("--export")
        if at + 1 >= len(args):
            raise SystemExit("--export needs a directory\n" + __doc__)
        export_dir = args[at + 1]
        del args[at:at + 2]
    if len(args) < 2:
        raise SystemExit(__doc__)
    name, epochs = args[0], int(args[1])
    if len(args) > 2:
        torch.set_num_threads(int(args[2]))
    seed = int(os.environ.get("SEED", "0"))
    torch.manual_seed(seed)
    x_train = torch.from_numpy(idx("train-images-idx3-ubyte").copy()).float().div_(255).unsqueeze(1)
    y_train = torch.from_numpy(idx("train-labels-idx1-ubyte").copy()).long()
    x_test = torch.from_numpy(idx("t10k-images-idx3-ubyte").copy()).float().div_(255).unsqueeze(1)
    y_test = torch.from_numpy(idx("t10k-labels-idx1-ubyte").copy()).long()
    phase("data loaded")
    model = model_for(name)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    gen = torch.Generator().manual_seed(seed)
    n = x_train.shape[0]
    orders = [torch.randperm(n, generator=gen) for _ in range(epochs)]
    if export_dir:
        save(export_dir, "init", model.state_dict())
        save(export_dir, "orders", {"orders": torch.stack(orders)})
    for epoch in range(1, epochs + 1):
        model.train()
        order = orders[epoch - 1]
        start = time.perf_counter()
        for step, i in enumerate(range(0, n, 64), 1):
            idx_b = order[i:i + 64]
            loss = F.cross_entropy(model(x_train[idx_b]), y_train[idx_b])
            opt.zero_grad()
            loss.backward()
            opt.step()
            if PHASES and step in (1, 10, 50, 200):
                phase("epoch %d step %d" % (epoch, step))
        phase("epoch %d trained" % epoch)
        seconds = time.perf_counter() - start
        model.eval()
        correct = 0
        with torch.no_grad():
            for i in range(0, x_test.shape[0], 1000):
                correct += (model(x_test[i:i + 1000]).argmax(1) == y_test[i:i + 1000]).sum().item()
        print("%s epoch %d: %.2f s/epoch, %d samples/s, test acc %.4f"
              % (name, epoch, seconds, round(n / seconds), correct / x_test.shape[0]), flush=True)
        phase("epoch %d evaluated" % epoch)
    if export_dir:
        save(export_dir, "final", model.state_dict())


def save(directory, name, tensors):
    with open(os.path.join(directory, name + ".safetensors"), "wb") as f:
        f.write(write_safetensors(tensors))


if __name__ == "__main__":
    main()
