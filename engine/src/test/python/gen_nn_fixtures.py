#!/usr/bin/env python3
"""PyTorch reference fixtures for Trainyard's nn package (layers, losses, module mechanics).

Regenerate (from the repository root) with:

    /usr/bin/python3 engine/src/test/python/gen_nn_fixtures.py

Needs PyTorch (Debian package `python3-torch`) and NumPy. It rewrites
engine/src/test/resources/fixtures/nn/{layers,losses,model}.json; the JUnit side is
engine/src/test/java/dev/trainyard/engine/nn/ (NnFixtures.java reads these files).

Output is deterministic: every case seeds torch from a CRC of its name, so adding or
removing a case does not change any other case.

Schema:

    layers.json / losses.json: {"torch_version": "...", "cases": [CASE, ...]}

    CASE = {
      "name":    "linear/3d-input",           # unique
      "module":  "Linear",                    # class name of the module under test
      "args":    {...},                       # constructor arguments (snake_case, as PyTorch's);
                                              # tensor arguments (loss weights) are TENSORs
      "train":   true | false,                # module.train(mode) before the call
      "repr":    "Linear(in_features=5, ...)",# repr(module)
      "state":   {"weight": TENSOR, ...},     # module.state_dict(), in PyTorch's key order
      "input":   TENSOR,                      # requires grad iff floating point
      "target":  TENSOR,                      # losses only; requires grad iff "target_grad" is present
      "output":  TENSOR,
      "grad_output": TENSOR,                  # upstream gradient; backward(grad_output)
      "input_grad":  TENSOR | null,           # null for integer inputs (embedding indices)
      "target_grad": TENSOR,                  # optional (losses whose target PyTorch differentiates)
      "param_grads": {"weight": TENSOR, ...}  # grads of the parameters, by state dict key
    }

    model.json: a nested model (Embedding, ModuleList of blocks with buffers, Sequential, ModuleDict,
    a loss with a weight buffer) with its state dict (values, PyTorch key order), the names of
    named_parameters / named_buffers / named_modules, its repr, and one forward/backward: input
    indices, output logits, loss for the given targets, and every parameter's gradient.

    TENSOR = {"dtype": "float32" | "int64", "shape": [..], "data": [row-major values]}
             float32 values are written with the shortest decimal that round-trips in float32
             (Java: parse as double, cast to float); the strings "NaN", "Infinity", "-Infinity"
             stand for non-finite values.
"""

import json
import math
import os
import zlib
from collections import OrderedDict

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)

HERE = os.path.dirname(os.path.abspath(__file__))
OUT_DIR = os.path.normpath(os.path.join(HERE, '..', 'resources', 'fixtures', 'nn'))


def seed(name):
    torch.manual_seed(zlib.crc32(name.encode()))


def num(v, dtype):
    if dtype == torch.float32:
        f = float(v)
        if math.isnan(f):
            return 'NaN'
        if math.isinf(f):
            return 'Infinity' if f > 0 else '-Infinity'
        return float(str(np.float32(f)))
    return int(v)


def enc(t):
    t = t.detach()
    name = {torch.float32: 'float32', torch.int64: 'int64'}[t.dtype]
    return {'dtype': name, 'shape': list(t.shape),
            'data': [num(v, t.dtype) for v in t.reshape(-1).tolist()]}


def enc_args(args):
    return {k: (enc(v) if isinstance(v, torch.Tensor) else v) for k, v in args.items()}


# ---------------------------------------------------------------------------- layers

def layer_case(name, make, args, x, train=False):
    seed(name)
    module = make()
    module.train(train)
    x = x.clone()
    floating = x.dtype.is_floating_point
    if floating:
        x.requires_grad_(True)
    out = module(x)
    g = torch.randn_like(out)
    out.backward(g)
    return {
        'name': name, 'module': type(module).__name__, 'args': enc_args(args), 'train': train,
        'repr': repr(module),
        'state': OrderedDict((k, enc(v)) for k, v in module.state_dict().items()),
        'input': enc(x), 'output': enc(out), 'grad_output': enc(g),
        'input_grad': enc(x.grad) if floating else None,
        'param_grads': OrderedDict((k, enc(p.grad)) for k, p in module.named_parameters()),
    }


def randn(name, *shape, scale=1.0):
    seed('input/' + name)
    return torch.randn(*shape) * scale


def with_zeros(t):
    t = t.clone()
    t.view(-1)[::4] = 0.0
    return t


def layers():
    cases = []
    add = cases.append
    add(layer_case('linear', lambda: nn.Linear(5, 3), {'in_features': 5, 'out_features': 3, 'bias': True},
                   randn('linear', 4, 5)))
    add(layer_case('linear/3d-input', lambda: nn.Linear(5, 3), {'in_features': 5, 'out_features': 3, 'bias': True},
                   randn('linear3', 2, 3, 5)))
    add(layer_case('linear/no-bias', lambda: nn.Linear(4, 2, bias=False),
                   {'in_features': 4, 'out_features': 2, 'bias': False}, randn('linear-nb', 3, 4)))
    add(layer_case('identity', lambda: nn.Identity(), {}, randn('identity', 2, 3)))
    add(layer_case('flatten', lambda: nn.Flatten(), {'start_dim': 1, 'end_dim': -1}, randn('flatten', 2, 3, 2, 2)))
    add(layer_case('flatten/0-2', lambda: nn.Flatten(0, 2), {'start_dim': 0, 'end_dim': 2}, randn('flatten2', 2, 3, 2, 2)))
    add(layer_case('unflatten', lambda: nn.Unflatten(1, (2, 3)), {'dim': 1, 'unflattened_size': [2, 3]},
                   randn('unflatten', 2, 6)))
    add(layer_case('dropout/eval', lambda: nn.Dropout(0.3), {'p': 0.3}, randn('dropout', 3, 4), train=False))
    idx = torch.tensor([[1, 3, 3, 0], [9, 0, 2, 3]])
    add(layer_case('embedding', lambda: nn.Embedding(10, 4), {'num_embeddings': 10, 'embedding_dim': 4}, idx))
    add(layer_case('embedding/padding', lambda: nn.Embedding(10, 4, padding_idx=0),
                   {'num_embeddings': 10, 'embedding_dim': 4, 'padding_idx': 0}, idx))
    add(layer_case('embedding/negative-padding', lambda: nn.Embedding(10, 4, padding_idx=-1),
                   {'num_embeddings': 10, 'embedding_dim': 4, 'padding_idx': -1}, torch.tensor([9, 1, 9, 5])))
    act_in = with_zeros(randn('act', 4, 5, scale=2.0))
    add(layer_case('relu', lambda: nn.ReLU(), {}, act_in))
    add(layer_case('leaky_relu', lambda: nn.LeakyReLU(), {}, act_in))
    add(layer_case('leaky_relu/0.2', lambda: nn.LeakyReLU(0.2), {'negative_slope': 0.2}, act_in))
    add(layer_case('elu', lambda: nn.ELU(), {}, act_in))
    add(layer_case('elu/0.5', lambda: nn.ELU(0.5), {'alpha': 0.5}, act_in))
    add(layer_case('elu/large', lambda: nn.ELU(), {}, randn('elu-large', 3, 4, scale=60.0)))
    add(layer_case('gelu', lambda: nn.GELU(), {}, act_in))
    add(layer_case('gelu/tanh', lambda: nn.GELU('tanh'), {'approximate': 'tanh'}, act_in))
    add(layer_case('silu', lambda: nn.SiLU(), {}, act_in))
    add(layer_case('sigmoid', lambda: nn.Sigmoid(), {}, act_in))
    add(layer_case('tanh', lambda: nn.Tanh(), {}, act_in))
    add(layer_case('softmax', lambda: nn.Softmax(dim=1), {'dim': 1}, act_in))
    add(layer_case('softmax/dim0', lambda: nn.Softmax(dim=0), {'dim': 0}, act_in))
    add(layer_case('softmax/large', lambda: nn.Softmax(dim=-1), {'dim': -1}, randn('softmax-large', 3, 5, scale=100.0)))
    add(layer_case('log_softmax', lambda: nn.LogSoftmax(dim=1), {'dim': 1}, act_in))
    add(layer_case('log_softmax/large', lambda: nn.LogSoftmax(dim=-1), {'dim': -1},
                   randn('logsoftmax-large', 3, 5, scale=100.0)))
    add(layer_case('sequential', lambda: nn.Sequential(nn.Linear(6, 8), nn.ReLU(), nn.Dropout(0.5), nn.Linear(8, 3)),
                   {}, randn('sequential', 4, 6)))
    return cases


# ---------------------------------------------------------------------------- losses

LOSSES = {
    'MSELoss': nn.MSELoss, 'L1Loss': nn.L1Loss, 'SmoothL1Loss': nn.SmoothL1Loss, 'HuberLoss': nn.HuberLoss,
    'CrossEntropyLoss': nn.CrossEntropyLoss, 'NLLLoss': nn.NLLLoss, 'BCELoss': nn.BCELoss,
    'BCEWithLogitsLoss': nn.BCEWithLogitsLoss, 'KLDivLoss': nn.KLDivLoss,
}


def loss_case(name, cls, args, x, target, target_grad=False):
    seed(name)
    module = LOSSES[cls](**args)
    x = x.clone().requires_grad_(True)
    target = target.clone()
    if target_grad:
        target.requires_grad_(True)
    out = module(x, target)
    g = torch.randn_like(out)
    out.backward(g)
    case = {
        'name': name, 'module': cls, 'args': enc_args(args), 'train': True, 'repr': repr(module),
        'state': OrderedDict((k, enc(v)) for k, v in module.state_dict().items()),
        'input': enc(x), 'target': enc(target), 'output': enc(out), 'grad_output': enc(g),
        'input_grad': enc(x.grad), 'param_grads': {},
    }
    if target_grad:
        case['target_grad'] = enc(target.grad)
    return case


def losses():
    cases = []
    add = cases.append
    x = randn('reg-x', 4, 5, scale=2.0)
    y = randn('reg-y', 4, 5, scale=2.0)
    y_tie = y.clone()
    y_tie[0, :2] = x[0, :2]  # |d| = 0: the kink of L1
    for r in ('mean', 'sum', 'none'):
        add(loss_case('mse/' + r, 'MSELoss', {'reduction': r}, x, y, target_grad=True))
        add(loss_case('l1/' + r, 'L1Loss', {'reduction': r}, x, y_tie, target_grad=True))
        add(loss_case('smooth_l1/' + r, 'SmoothL1Loss', {'reduction': r, 'beta': 0.5}, x, y, target_grad=True))
        add(loss_case('huber/' + r, 'HuberLoss', {'reduction': r, 'delta': 0.7}, x, y, target_grad=True))
    add(loss_case('smooth_l1/beta0', 'SmoothL1Loss', {'reduction': 'mean', 'beta': 0.0}, x, y))
    add(loss_case('smooth_l1/default', 'SmoothL1Loss', {}, x, y))
    add(loss_case('mse/broadcast-target', 'MSELoss', {}, x, y[0]))

    n, c = 6, 5
    logits = randn('ce-x', n, c, scale=2.0)
    seed('ce-t')
    t = torch.randint(0, c, (n,))
    t_ign = t.clone()
    t_ign[1] = -100
    t_ign[4] = -100
    t_ign2 = t.clone()
    t_ign2[0] = 2
    t_ign2[3] = 2
    w = torch.rand(c) + 0.5
    probs = torch.softmax(randn('ce-p', n, c), dim=1)
    for r in ('mean', 'sum', 'none'):
        add(loss_case('ce/' + r, 'CrossEntropyLoss', {'reduction': r}, logits, t))
        add(loss_case('ce/weight/' + r, 'CrossEntropyLoss', {'reduction': r, 'weight': w}, logits, t))
        add(loss_case('ce/ignore/' + r, 'CrossEntropyLoss', {'reduction': r, 'ignore_index': -100}, logits, t_ign))
        add(loss_case('ce/smoothing/' + r, 'CrossEntropyLoss', {'reduction': r, 'label_smoothing': 0.1}, logits, t))
        add(loss_case('ce/smoothing-weight-ignore/' + r, 'CrossEntropyLoss',
                      {'reduction': r, 'weight': w, 'ignore_index': 2, 'label_smoothing': 0.2}, logits, t_ign2))
        add(loss_case('ce/probs/' + r, 'CrossEntropyLoss', {'reduction': r}, logits, probs, target_grad=True))
        add(loss_case('ce/probs-smoothing-weight/' + r, 'CrossEntropyLoss',
                      {'reduction': r, 'weight': w, 'label_smoothing': 0.15}, logits, probs))
    add(loss_case('ce/ignore-in-range', 'CrossEntropyLoss', {'ignore_index': 2}, logits, t_ign2))
    add(loss_case('ce/smoothing-ignore', 'CrossEntropyLoss', {'ignore_index': -100, 'label_smoothing': 0.3},
                  logits, t_ign))
    add(loss_case('ce/large-logits', 'CrossEntropyLoss', {}, randn('ce-large', n, c, scale=1000.0), t))
    seed('ce-nd')
    x4 = torch.randn(2, 4, 3, 2)
    t4 = torch.randint(0, 4, (2, 3, 2))
    t4[0, 1, 1] = -100
    w4 = torch.rand(4) + 0.5
    add(loss_case('ce/4d/mean', 'CrossEntropyLoss', {'weight': w4}, x4, t4))
    add(loss_case('ce/4d/none', 'CrossEntropyLoss', {'reduction': 'none', 'label_smoothing': 0.1}, x4, t4))
    add(loss_case('ce/4d/probs', 'CrossEntropyLoss', {}, x4, torch.softmax(torch.randn(2, 4, 3, 2), 1)))
    add(loss_case('ce/unbatched', 'CrossEntropyLoss', {}, randn('ce-1d', 7), torch.tensor(3)))
    # the Fashion-MNIST models' loss: a batch of 64 over 10 classes (one fused node in Trainyard)
    mlp_logits = randn('ce-mlp-x', 64, 10, scale=3.0)
    seed('ce-mlp-t')
    mlp_t = torch.randint(0, 10, (64,))
    mlp_t_ign = mlp_t.clone()
    mlp_t_ign[::7] = -100
    add(loss_case('ce/batch64/mean', 'CrossEntropyLoss', {}, mlp_logits, mlp_t))
    add(loss_case('ce/batch64/sum', 'CrossEntropyLoss', {'reduction': 'sum'}, mlp_logits, mlp_t))
    add(loss_case('ce/batch64/ignore-none', 'CrossEntropyLoss', {'reduction': 'none'}, mlp_logits, mlp_t_ign))

    logp = torch.log_softmax(logits, 1)
    for r in ('mean', 'sum', 'none'):
        add(loss_case('nll/' + r, 'NLLLoss', {'reduction': r}, logp, t))
        add(loss_case('nll/weight-ignore/' + r, 'NLLLoss', {'reduction': r, 'weight': w}, logp, t_ign))
    add(loss_case('nll/4d', 'NLLLoss', {'weight': w4}, torch.log_softmax(x4, 1), t4))

    p = torch.sigmoid(randn('bce-x', 4, 3, scale=2.0))
    seed('bce-t')
    yb = torch.rand(4, 3)
    wb = torch.rand(3) + 0.5
    for r in ('mean', 'sum', 'none'):
        add(loss_case('bce/' + r, 'BCELoss', {'reduction': r}, p, yb, target_grad=True))
    add(loss_case('bce/weight', 'BCELoss', {'weight': wb}, p, yb))
    add(loss_case('bce/weight-full', 'BCELoss', {'weight': torch.rand(4, 3), 'reduction': 'sum'}, p, yb))
    edge = torch.tensor([0.0, 1.0, 1e-30, 1.0 - 1e-7, 0.5, 0.25])
    add(loss_case('bce/saturated', 'BCELoss', {'reduction': 'none'}, edge, torch.tensor([0.0, 1.0, 0.0, 1.0, 1.0, 0.0])))

    z = randn('bcel-x', 4, 3, scale=3.0)
    pw = torch.tensor([0.5, 2.0, 3.0])
    for r in ('mean', 'sum', 'none'):
        add(loss_case('bce_logits/' + r, 'BCEWithLogitsLoss', {'reduction': r}, z, yb, target_grad=True))
        add(loss_case('bce_logits/pos_weight/' + r, 'BCEWithLogitsLoss', {'reduction': r, 'pos_weight': pw}, z, yb,
                      target_grad=True))
    add(loss_case('bce_logits/weight-pos_weight', 'BCEWithLogitsLoss', {'weight': wb, 'pos_weight': pw}, z, yb))
    big = torch.tensor([[-100.0, -30.0, 0.0], [30.0, 100.0, 1e-3]])
    add(loss_case('bce_logits/large', 'BCEWithLogitsLoss', {'reduction': 'none'}, big,
                  torch.tensor([[1.0, 0.0, 1.0], [0.0, 1.0, 0.0]])))
    add(loss_case('bce_logits/large-pos_weight', 'BCEWithLogitsLoss', {'reduction': 'none', 'pos_weight': pw}, big,
                  torch.tensor([[1.0, 0.0, 1.0], [0.0, 1.0, 0.5]])))

    kl_in = torch.log_softmax(randn('kl-x', 4, 5), 1)
    kl_t = torch.softmax(randn('kl-t', 4, 5), 1)
    kl_t0 = kl_t.clone()
    kl_t0[0, 1] = 0.0
    for r in ('batchmean', 'mean', 'sum', 'none'):
        add(loss_case('kl/' + r, 'KLDivLoss', {'reduction': r}, kl_in, kl_t0))
    add(loss_case('kl/log_target', 'KLDivLoss', {'reduction': 'batchmean', 'log_target': True}, kl_in, kl_t.log(),
                  target_grad=True))
    add(loss_case('kl/target-grad', 'KLDivLoss', {'reduction': 'sum'}, kl_in, kl_t, target_grad=True))
    return cases


# ---------------------------------------------------------------------------- model

class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.linear1 = nn.Linear(4, 8)
        self.act = nn.GELU()
        self.linear2 = nn.Linear(8, 4, bias=False)
        self.register_buffer('scale', torch.full((4,), 0.5))
        self.register_buffer('cache', torch.zeros(2), persistent=False)

    def forward(self, x):
        return x + self.linear2(self.act(self.linear1(x))) * self.scale


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(10, 4, padding_idx=0)
        self.layers = nn.ModuleList([Block(), Block()])

    def forward(self, idx):
        x = self.embed(idx)
        for layer in self.layers:
            x = layer(x)
        return x.mean(1)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = Encoder()
        self.head = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Dropout(0.1), nn.Linear(16, 3))
        self.heads = nn.ModuleDict({'cls': nn.Linear(4, 2), 'reg': nn.Identity()})
        self.loss = nn.CrossEntropyLoss(weight=torch.tensor([1.0, 2.0, 0.5]))
        self.register_buffer('step', torch.tensor(7))

    def forward(self, idx):
        h = self.encoder(idx)
        return self.head(h) + self.heads['cls'](h).sum(1, keepdim=True) + self.heads['reg'](h).mean(1, keepdim=True)


def model():
    seed('model')
    net = Net()
    net.eval()
    idx = torch.tensor([[1, 2, 0, 5, 0], [9, 3, 3, 7, 0], [4, 0, 0, 0, 0]])
    target = torch.tensor([2, 0, 1])
    out = net(idx)
    loss = net.loss(out, target)
    loss.backward()
    return {
        'torch_version': torch.__version__,
        'repr': repr(net),
        'state': OrderedDict((k, enc(v)) for k, v in net.state_dict().items()),
        'named_parameters': [k for k, _ in net.named_parameters()],
        'named_buffers': [k for k, _ in net.named_buffers()],
        'named_modules': [k for k, _ in net.named_modules()],
        'input': enc(idx), 'target': enc(target), 'output': enc(out), 'loss': enc(loss),
        'param_grads': OrderedDict((k, enc(p.grad)) for k, p in net.named_parameters()),
    }


def write(name, obj):
    os.makedirs(OUT_DIR, exist_ok=True)
    path = os.path.join(OUT_DIR, name)
    with open(path, 'w') as f:
        if 'cases' in obj:
            f.write('{"torch_version": %s, "cases": [\n' % json.dumps(obj['torch_version']))
            f.write(',\n'.join(json.dumps(c, separators=(',', ':')) for c in obj['cases']))
            f.write('\n]}\n')
        else:
            json.dump(obj, f, separators=(',', ':'))
            f.write('\n')
    print('wrote %s (%d bytes)' % (path, os.path.getsize(path)))


if __name__ == '__main__':
    write('layers.json', {'torch_version': torch.__version__, 'cases': layers()})
    write('losses.json', {'torch_version': torch.__version__, 'cases': losses()})
    write('model.json', model())
