#!/usr/bin/env python3
"""PyTorch reference for a whole training loop: engine/src/test/java/dev/trainyard/engine/training/TrainingParityTest.java.

Regenerate (from the repository root) with:

    /usr/bin/python3 engine/src/test/python/gen_training_fixtures.py

Needs PyTorch (Debian package `python3-torch`) and Fashion-MNIST (`dataset-fashion-mnist`). Writes
engine/src/test/resources/fixtures/training/mlp_adam.safetensors, which holds

    init.<key>, final.<key>   the state_dict before and after training (PyTorch's keys: 1.weight, 1.bias, ...)
    orders                    int64 [EPOCHS, TRAIN]: the sample order of each epoch
    losses                    float64 [steps]: the loss of every step
    predictions               int64 [TEST]: the trained model's class for each of the first TEST test images

and in its metadata the recipe (train/test sizes, epochs, batch, lr) and torch_version.

The recipe is bench/fashion-mnist's mlp with a narrower hidden layer, on the first TRAIN training images: Flatten,
Linear(784, 32), ReLU, Linear(32, 10); pixels in [0, 1]; Adam lr 1e-3; batch 64; cross-entropy; seed 0; one thread.
The initial weights and the orders are recorded so the Java side starts from the same point and sees the same
batches, leaving only floating-point rounding between the two trajectories.
"""
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "..", "bench"))
from torch_interop import write_safetensors  # noqa: E402
from fashion_mnist_torch import idx  # noqa: E402

TRAIN, TEST, EPOCHS, BATCH, LR = 2048, 2000, 3, 64, 1e-3
OUT = os.path.join(HERE, "..", "resources", "fixtures", "training", "mlp_adam.safetensors")


def main():
    torch.set_num_threads(1)
    torch.manual_seed(0)
    x_train = torch.from_numpy(idx("train-images-idx3-ubyte")[:TRAIN].copy()).float().div_(255).unsqueeze(1)
    y_train = torch.from_numpy(idx("train-labels-idx1-ubyte")[:TRAIN].copy()).long()
    x_test = torch.from_numpy(idx("t10k-images-idx3-ubyte")[:TEST].copy()).float().div_(255).unsqueeze(1)
    model = nn.Sequential(nn.Flatten(), nn.Linear(784, 32), nn.ReLU(), nn.Linear(32, 10))
    init = {"init." + k: v.clone() for k, v in model.state_dict().items()}
    opt = torch.optim.Adam(model.parameters(), lr=LR)
    gen = torch.Generator().manual_seed(0)
    orders = torch.stack([torch.randperm(TRAIN, generator=gen) for _ in range(EPOCHS)])
    losses = []
    for epoch in range(EPOCHS):
        for i in range(0, TRAIN, BATCH):
            b = orders[epoch, i:i + BATCH]
            loss = F.cross_entropy(model(x_train[b]), y_train[b])
            opt.zero_grad()
            loss.backward()
            opt.step()
            losses.append(loss.item())
    with torch.no_grad():
        predictions = model(x_test).argmax(1)
    tensors = dict(init)
    tensors.update({"final." + k: v for k, v in model.state_dict().items()})
    tensors["orders"] = orders
    tensors["losses"] = torch.tensor(losses, dtype=torch.float64)
    tensors["predictions"] = predictions
    meta = {"torch_version": torch.__version__, "train": str(TRAIN), "test": str(TEST), "epochs": str(EPOCHS),
            "batch": str(BATCH), "lr": str(LR)}
    with open(OUT, "wb") as f:
        f.write(write_safetensors(tensors, meta))
    print("wrote %s: %d steps, final loss %.4f" % (OUT, len(losses), losses[-1]))


if __name__ == "__main__":
    main()
