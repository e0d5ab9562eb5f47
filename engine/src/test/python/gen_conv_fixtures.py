"""Reference outputs and gradients for convolution and pooling, from PyTorch.

Regenerate with:  /usr/bin/python3 engine/src/test/python/gen_conv_fixtures.py
(needs Debian's python3-torch). Writes engine/src/test/resources/fixtures/conv/conv.json.
"""
import json
import os

import torch
import torch.nn.functional as F

torch.manual_seed(0)
OUT = os.path.join(os.path.dirname(__file__), "..", "resources", "fixtures", "conv", "conv.json")


def t(x):
    return {"shape": list(x.shape), "dtype": str(x.dtype).replace("torch.", ""), "data": x.detach().reshape(-1).tolist()}


cases = []


def case(name, op, args, inputs, fn, dtype=torch.float32):
    ins = [x.to(dtype).requires_grad_(True) if x is not None else None for x in inputs]
    out = fn(*ins)
    g = torch.randn(out.shape, dtype=dtype)
    grads = torch.autograd.grad(out, [x for x in ins if x is not None], g)
    cases.append({
        "name": name, "op": op, "args": args,
        "inputs": [t(x) if x is not None else None for x in ins],
        "output": t(out), "grad_output": t(g), "grads": [t(x) for x in grads],
    })


def conv_case(name, n, c, h, w, o, k, stride, padding, dilation, groups, bias=True, dtype=torch.float32):
    x = torch.randn(n, c, h, w)
    wt = torch.randn(o, c // groups, k[0], k[1]) * 0.3
    b = torch.randn(o) if bias else None
    args = {"stride": stride, "padding": padding, "dilation": dilation, "groups": groups}
    case(name, "conv2d", args, [x, wt, b],
         lambda x, wt, b=None: F.conv2d(x, wt, b, stride, padding, dilation, groups), dtype)


conv_case("conv2d_basic", 2, 3, 7, 6, 4, (3, 3), [1, 1], [0, 0], [1, 1], 1)
conv_case("conv2d_stride_pad", 2, 3, 8, 7, 5, (3, 2), [2, 1], [1, 2], [1, 1], 1)
conv_case("conv2d_dilation", 1, 2, 9, 9, 3, (3, 3), [1, 2], [2, 1], [2, 2], 1)
conv_case("conv2d_groups", 2, 4, 6, 6, 6, (3, 3), [1, 1], [1, 1], [1, 1], 2)
conv_case("conv2d_depthwise_nobias", 1, 3, 5, 5, 3, (3, 3), [1, 1], [1, 1], [1, 1], 3, bias=False)
conv_case("conv2d_float64", 2, 2, 5, 5, 3, (2, 2), [1, 1], [0, 0], [1, 1], 1, dtype=torch.float64)

x = torch.randn(2, 3, 10)
w1 = torch.randn(4, 3, 3) * 0.3
b1 = torch.randn(4)
case("conv1d", "conv1d", {"stride": 2, "padding": 1, "dilation": 1, "groups": 1}, [x, w1, b1],
     lambda x, w, b: F.conv1d(x, w, b, 2, 1, 1, 1))

for name, st, pad, opad, groups, dil in [("convT_basic", [1, 1], [0, 0], [0, 0], 1, [1, 1]),
                                         ("convT_stride", [2, 2], [1, 1], [1, 1], 1, [1, 1]),
                                         ("convT_groups", [2, 1], [0, 1], [1, 0], 2, [1, 1]),
                                         ("convT_dilation", [1, 1], [1, 1], [0, 0], 1, [2, 2])]:
    x = torch.randn(2, 4, 4, 5)
    w = torch.randn(4, 3, 3, 3) * 0.3
    b = torch.randn(3 * groups)
    case(name, "convTranspose2d", {"stride": st, "padding": pad, "output_padding": opad, "groups": groups,
                                   "dilation": dil}, [x, w, b],
         lambda x, w, b, st=st, pad=pad, opad=opad, groups=groups, dil=dil:
         F.conv_transpose2d(x, w, b, st, pad, opad, groups, dil))

for name, k, st, pad, dil, ceil in [("maxpool_2", [2, 2], [2, 2], [0, 0], [1, 1], False),
                                    ("maxpool_3_s2_p1", [3, 3], [2, 2], [1, 1], [1, 1], False),
                                    ("maxpool_ceil", [3, 3], [2, 2], [0, 0], [1, 1], True),
                                    ("maxpool_dilation", [2, 2], [1, 1], [1, 1], [2, 2], False)]:
    x = torch.randn(2, 3, 7, 7)
    case(name, "maxPool2d", {"kernel": k, "stride": st, "padding": pad, "dilation": dil, "ceil_mode": ceil}, [x],
         lambda x, k=k, st=st, pad=pad, dil=dil, ceil=ceil: F.max_pool2d(x, k, st, pad, dil, ceil))
    _, idx = F.max_pool2d(x, k, st, pad, dil, ceil, return_indices=True)
    cases[-1]["indices"] = t(idx)

for name, k, st, pad, ceil, cip, div in [("avgpool_2", [2, 2], [2, 2], [0, 0], False, True, None),
                                         ("avgpool_pad_include", [3, 3], [2, 2], [1, 1], False, True, None),
                                         ("avgpool_pad_exclude", [3, 3], [2, 2], [1, 1], False, False, None),
                                         ("avgpool_ceil", [3, 3], [2, 2], [1, 1], True, True, None),
                                         ("avgpool_divisor", [2, 2], [1, 1], [0, 0], False, True, 3)]:
    x = torch.randn(2, 2, 7, 6)
    case(name, "avgPool2d", {"kernel": k, "stride": st, "padding": pad, "ceil_mode": ceil, "count_include_pad": cip,
                             "divisor_override": div or 0}, [x],
         lambda x, k=k, st=st, pad=pad, ceil=ceil, cip=cip, div=div: F.avg_pool2d(x, k, st, pad, ceil, cip, div))

for name, size, out in [("adaptive_divisible", (8, 6), [4, 3]), ("adaptive_uneven", (7, 5), [3, 2]),
                        ("adaptive_global", (5, 5), [1, 1])]:
    x = torch.randn(2, 3, *size)
    case(name, "adaptiveAvgPool2d", {"output_size": out}, [x], lambda x, out=out: F.adaptive_avg_pool2d(x, out))

with open(OUT, "w") as f:
    json.dump({"torch_version": torch.__version__, "cases": cases}, f)
print("wrote", len(cases), "cases to", os.path.normpath(OUT))
