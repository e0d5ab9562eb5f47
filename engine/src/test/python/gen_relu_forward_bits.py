"""Prints the PyTorch reference bits embedded in ReluForwardBitsTest.java: relu's output for special values (signed
zeros, quiet and signalling NaNs with payloads and either sign, infinities, subnormals) in float32 and float64, the
input gradient for an upstream gradient of special values, and nn.Sequential(nn.ReLU(), nn.MaxPool2d(2))'s output and
input gradient on windows of non-positive values with zeros of both signs. torch.relu, F.relu, F.relu_ and nn.ReLU must
agree, on a short tensor and on one long enough for the vectorized loop. Raw bits through numpy views (a Python float
would go through a double). Run with /usr/bin/python3 (Debian's python3-torch, 1.13)."""
import numpy as np
import torch
import torch.nn.functional as F

INPUTS = [0x80000000, 0x00000000, 0x7fc00000, 0xffc00000, 0x7fc00001, 0xffc12345, 0x7f800001, 0xbf800000, 0x3f800000,
          0xff800000, 0x7f800000, 0x80000001, 0x00000001, 0xc0200000, 0x40400000]
GRADS = [0x3fc00000, 0xbfc00000, 0x80000000, 0x7fc00000, 0x3fc00000, 0x3fc00000, 0x3fc00000, 0x7fc00000, 0x80000000,
         0x3fc00000, 0xbfc00000, 0x7f800000, 0xff800000, 0x3fc00000, 0x3fc00000]
INPUTS64 = [0x8000000000000000, 0, 0x7ff8000000000000, 0xfff8000000000000, 0x7ff8000000000001, 0x7ff0000000000001,
            0xbff0000000000000, 0x3ff0000000000000, 0x8000000000000001, 0xfff0000000000000]
POOL_INPUT = [[-1.0, -0.0, -0.0, -1.0, 2.0, -0.0],
              [-2.0, -3.0, -2.0, -3.0, -0.0, 1.0],
              [0.0, -0.0, -5.0, 0.0, -0.0, -7.0],
              [-1.0, -2.0, -0.0, -1.0, 0.0, -0.0]]
PATHS = {'torch.relu': torch.relu, 'F.relu': F.relu, 'F.relu_': lambda x: F.relu_(x.clone()), 'nn.ReLU': torch.nn.ReLU()}


def floats(bits, dtype=np.float32, udtype=np.uint32):
    return torch.from_numpy(np.array(bits, dtype=udtype).view(dtype).copy())


def bits(t, udtype=np.uint32):
    return [int(v) for v in t.detach().numpy().reshape(-1).view(udtype)]


def same_on_every_path(x, n):
    copies = -(-n // len(x))
    results = set()
    for relu in PATHS.values():
        for tiled in (x, x.repeat(copies)):
            y = bits(relu(tiled), np.uint32 if x.dtype == torch.float32 else np.uint64)
            assert y == y[:len(x)] * (len(y) // len(x)), 'the tiled tensor differs'
            results.add(tuple(y[:len(x)]))
    assert len(results) == 1, results
    return list(results.pop())


def java(name, values, width=8, suffix=''):
    rows = [', '.join(f'0x{v:0{width}x}{suffix}' for v in values[i:i + 5]) for i in range(0, len(values), 5)]
    print(f'    private static final {"long" if suffix else "int"}[] {name} = {{\n            '
          + ',\n            '.join(rows) + '};')


print('    // torch', torch.__version__)
x = floats(INPUTS)
java('RELU32', same_on_every_path(x, 1000))
xg = x.clone().requires_grad_(True)
torch.relu(xg).backward(floats(GRADS))
java('GRAD32', bits(xg.grad))
java('RELU64', same_on_every_path(floats(INPUTS64, np.float64, np.uint64), 1000), 16, 'L')
p = torch.tensor([[POOL_INPUT]]).requires_grad_(True)
out = torch.nn.Sequential(torch.nn.ReLU(), torch.nn.MaxPool2d(2))(p)
out.backward(torch.arange(1.0, 7.0).reshape(1, 1, 2, 3))
java('POOLED', bits(out))
java('POOL_GRAD', bits(p.grad))
