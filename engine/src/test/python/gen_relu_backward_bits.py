"""Prints the PyTorch reference bits embedded in ReluBackwardBitsTest.java: relu's input gradient for every pair of an
input and an upstream gradient from a grid of special values, in float32 and float64, through torch.relu, F.relu_,
nn.ReLU and nn.ReLU(inplace=True) (which must agree). Run with /usr/bin/python3 (Debian's python3-torch, 1.13)."""
import struct

import torch
import torch.nn.functional as F

INPUTS = [2.0, -2.0, 0.0, -0.0, float('nan'), float('inf'), float('-inf')]
GRADS = [1.5, -1.5, 0.0, -0.0, float('nan'), float('inf'), float('-inf')]
PATHS = {
    'torch.relu': torch.relu,
    'F.relu_': lambda x: F.relu_(x.clone()),
    'nn.ReLU': torch.nn.ReLU(),
    'nn.ReLU(inplace=True)': lambda x: torch.nn.ReLU(inplace=True)(x * 1),
}


def grad_bits(dtype):
    xs = torch.tensor([x for x in INPUTS for _ in GRADS], dtype=dtype)
    gs = torch.tensor([g for _ in INPUTS for g in GRADS], dtype=dtype)
    fmt, ifmt = ('<f', '<I') if dtype == torch.float32 else ('<d', '<Q')
    results = {}
    for name, relu in PATHS.items():
        x = xs.clone().requires_grad_(True)
        relu(x).backward(gs)
        results[name] = [struct.unpack(ifmt, struct.pack(fmt, v))[0] for v in x.grad.tolist()]
    first = next(iter(results.values()))
    assert all(r == first for r in results.values()), results
    return first


def java_array(values, width, suffix):
    rows = [', '.join(f'0x{v:0{width}x}{suffix}' for v in values[i:i + len(GRADS)])
            for i in range(0, len(values), len(GRADS))]
    return '{\n            ' + ',\n            '.join(rows) + '}'


print('// torch', torch.__version__)
print('FLOAT32 =', java_array(grad_bits(torch.float32), 8, ''))
print('FLOAT64 =', java_array(grad_bits(torch.float64), 16, 'L'))
