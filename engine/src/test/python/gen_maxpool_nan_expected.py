"""Expected indices and value bits of MaxPoolNanParityTest, from PyTorch 1.13's CPU max_pool2d.

Run once:  /usr/bin/python3 engine/src/test/python/gen_maxpool_nan_expected.py
(needs Debian's python3-torch); it prints the test's cases as Java, pasted into
engine/src/test/java/dev/trainyard/engine/conformance/MaxPoolNanParityTest.java. The inputs come from the same
integer hash as the test's (many NaNs with distinct payloads, both signs, infinities, signed zeros and ties).
Asserts on the way that PyTorch kept the last NaN of each window (else the first maximum) and sent each output's
gradient to its index.
"""
import math
import textwrap

import torch
import torch.nn.functional as F

def code(i):
    return (((i * 0x9E3779B1) & 0xffffffff) >> 16) % 13

def f32_bits(i):
    r = code(i)
    if r < 3: return 0x7fc00000 | i          # quiet NaN, payload i
    if r == 3: return 0xffc00000 | i         # negative quiet NaN, payload i
    return {4: 0x7f800000, 5: 0xff800000, 6: 0x3f800000, 7: 0x3f800000, 8: 0x80000000, 9: 0}.get(r) if r < 10 else \
        [0xbf800000, 0, 0x3f800000][r - 10]

def f64_bits(i):
    r = code(i)
    if r < 3: return 0x7ff8000000000000 | i
    if r == 3: return 0xfff8000000000000 | i
    return {4: 0x7ff0000000000000, 5: 0xfff0000000000000, 6: 0x3ff0000000000000, 7: 0x3ff0000000000000,
            8: 0x8000000000000000, 9: 0}.get(r) if r < 10 else [0xbff0000000000000, 0, 0x3ff0000000000000][r - 10]

# six 2 x 2 windows side by side (top row, then bottom): [[nan 1, nan 2], [1, 2]], [[nan 3, 1], [nan 4, 2]],
# all NaN, [[-inf, inf], [inf, 1]], all -inf, [[nan 5, inf], [1, 2]]
NAMED = [0x7fc00001, 0x7fc00002, 0x7fc00003, 0x3f800000, 0x7fc00005, 0x7fc00006, 0xff800000, 0x7f800000,
         0xff800000, 0xff800000, 0x7fc00007, 0x7f800000,
         0x3f800000, 0x40000000, 0x7fc00004, 0x40000000, 0x7fc00008, 0xffc00009, 0x7f800000, 0x3f800000,
         0xff800000, 0xff800000, 0x3f800000, 0x40000000]


def make(name, shape, dtype):
    n = math.prod(shape)
    if name == 'namedWindows':
        return torch.tensor([x - (1 << 32) if x >= 1 << 31 else x for x in NAMED], dtype=torch.int32) \
            .view(torch.float32).reshape(shape)
    if dtype == 'float32':
        b = [f32_bits(i) for i in range(n)]
        b = [x - (1 << 32) if x >= 1 << 31 else x for x in b]
        return torch.tensor(b, dtype=torch.int32).view(torch.float32).reshape(shape)
    b = [f64_bits(i) for i in range(n)]
    b = [x - (1 << 64) if x >= 1 << 63 else x for x in b]
    return torch.tensor(b, dtype=torch.int64).view(torch.float64).reshape(shape)

def reference(x, k, s, p, ceil):
    # the scan of MaxPoolKernel.cpp: row-major, replace when val > max or isnan(val)
    N, C, H, W = x.shape
    out = F.max_pool2d(x, k, s, p, ceil_mode=ceil)
    oh, ow = out.shape[2], out.shape[3]
    idx = []
    for pl in range(N * C):
        plane = x.reshape(N * C, H, W)[pl]
        for y in range(oh):
            for xx in range(ow):
                best, at = -math.inf, -1
                for i in range(k):
                    for j in range(k):
                        iy, ix = y * s - p + i, xx * s - p + j
                        if 0 <= iy < H and 0 <= ix < W:
                            v = plane[iy, ix].item()
                            if at < 0 or v > best or math.isnan(v):
                                best, at = v, iy * W + ix
                idx.append(at)
    return idx

cases = [  # name, shape, kernel, stride, padding, ceil, dtype
    ('namedWindows', (1, 1, 2, 12), 2, 2, 0, False, 'float32'),
    ('twoRowsOfAVector', (1, 2, 11, 11), 2, 2, 0, False, 'float32'),
    ('oneRowOfAVector', (1, 1, 6, 26), 2, 2, 0, False, 'float32'),
    ('gatheredWindows', (1, 2, 7, 9), 3, 2, 0, False, 'float32'),
    ('overlappingPadded', (1, 1, 5, 6), 3, 1, 1, False, 'float32'),
    ('strideTwoPaddedCeil', (1, 1, 7, 6), 3, 2, 1, True, 'float32'),
    ('ceilModeTwoByTwo', (1, 1, 5, 5), 2, 2, 0, True, 'float32'),
    ('doubles', (1, 1, 4, 6), 2, 2, 0, False, 'float64'),
    ('doublesPadded', (1, 1, 5, 5), 3, 2, 1, False, 'float64'),
]
for name, shape, k, s, p, ceil, dt in cases:
    x = make(name, shape, dt).requires_grad_(True)
    y, i = F.max_pool2d(x, k, s, p, ceil_mode=ceil, return_indices=True)
    up = torch.arange(1, y.numel() + 1, dtype=x.dtype).reshape(y.shape)
    y.backward(up)
    flat = i.flatten().tolist()
    assert flat == reference(x.detach(), k, s, p, ceil), name
    # the gradient lands on the returned index
    plane = shape[2] * shape[3]
    outPlane = y.shape[2] * y.shape[3]
    g = torch.zeros(math.prod(shape), dtype=x.dtype)
    for o, at in enumerate(flat):
        g[o // outPlane * plane + at] += up.flatten()[o]
    assert torch.equal(g, x.grad.flatten()), name
    ib = torch.int32 if dt == 'float32' else torch.int64
    vb = y.detach().flatten().view(ib).tolist()
    hexes = [f'0x{v & 0xffffffff:08x}L' if dt == 'float32' else f'0x{v & 0xffffffffffffffff:016x}L' for v in vb]
    shape_text = ", ".join(map(str, shape))
    print(f'            new Case("{name}", {dt.upper()}, new int[] {{{shape_text}}}, {k}, {s}, {p}, {str(ceil).lower()},')
    for values, end in ((list(map(str, flat)), '},'), (hexes, '}),')):
        print('                    new long[] {')
        for line in textwrap.wrap(", ".join(values), 120 - 28):
            print('                            ' + line)
        print('                    ' + end)
