#!/usr/bin/env python3
"""PyTorch reference fixtures for Trainyard's conformance suite.

Regenerate (from the repository root) with:

    /usr/bin/python3 engine/src/test/python/gen_fixtures.py

Needs PyTorch (Debian package `python3-torch`) and NumPy. It rewrites
engine/src/test/resources/fixtures/<family>.json; the JUnit side lives in
engine/src/test/java/dev/trainyard/engine/conformance/ and is run with

    JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 ./mvnw -q -pl engine test -Dtest='dev.trainyard.engine.conformance.**'

Output is deterministic: every case seeds torch from a CRC of "<family>/<name>",
so adding or removing a case does not change the data of any other case.

File schema (one JSON object per file):

    {"family": "elementwise", "torch_version": "...", "generator": "...",
     "cases": [CASE, ...]}                      # one case per line

    CASE = {
      "name":   "exp[float32 noncontig-T]",     # unique within the file
      "op":     "exp",                          # key into the op table (same on both sides)
      "args":   {...},                          # op arguments (ints, bools, floats, lists)
      "inputs": [INPUT, ...],
      "outputs": [TENSOR, ...],                 # a Tensor / ValuesIndices(values, indices) / List<Tensor>,
                                                # flattened to a list in that order
      "grad_outputs": [TENSOR | null, ...],     # per output; null = output not differentiated
      "grads":  [TENSOR | null, ...],           # per input: d(sum outputs*grad_outputs)/d(base leaf);
                                                # null = input does not require grad
      "tol": {"rtol": r, "atol": a},            # optional override of the per-dtype tolerance
      "check_contiguous": true,                 # optional: compare isContiguous() of outputs
      "unordered": true,                        # optional: outputs (values, indices) in unspecified
                                                # order along the last dim (topk sorted=False)
      "error": "torch message"                  # optional: torch raised; the engine must throw too
                                                # (then outputs/grads are absent)
    }

    INPUT  = TENSOR + {"requires_grad": bool, "view": [{"op": OP, "args": {...}}, ...],
                       "view_contiguous": bool}  # is_contiguous() of the viewed input
             or {"same_as": i, "requires_grad": false, "view": [...]}: reuses input i's leaf (a tensor used
             twice; its gradient accumulates into input i's grad).
             The base tensor (dtype/shape/data) is built first, marked requires_grad, then
             the view recipe (a chain of view ops from the same op table, e.g. transpose,
             slice with a step, expand) is applied; the result is the op's input. Gradients
             are taken with respect to the base tensor (shape = base shape).
    TENSOR = {"dtype": "float32"|"float64"|"int64"|"int32"|"uint8"|"bool",
              "shape": [..], "data": [row-major flattened values],
              "contiguous": bool}               # outputs only
             Floats are JSON numbers written with the shortest decimal that round-trips in
             their own dtype (parse float32 data with Float.parseFloat), except the strings
             "NaN", "Infinity", "-Infinity". Integers are JSON integers, bools true/false.
             Scalar args use the same encoding; "scalar_type": "float"|"int" says whether a
             scalar is a Python float (Java double overload) or a Python int (Java long overload).
"""

import json
import math
import os
import sys
import zlib

import numpy as np
import torch
import torch.nn.functional as F

torch.manual_seed(0)
torch.set_num_threads(1)

HERE = os.path.dirname(os.path.abspath(__file__))
OUT_DIR = os.path.normpath(os.path.join(HERE, '..', 'resources', 'fixtures'))

DTYPES = {
    'float32': torch.float32, 'float64': torch.float64, 'int64': torch.int64,
    'int32': torch.int32, 'uint8': torch.uint8, 'bool': torch.bool,
}
DTYPE_NAMES = {v: k for k, v in DTYPES.items()}
INF = float('inf')
NAN = float('nan')


# ----------------------------------------------------------------------------------------------
# encoding
# ----------------------------------------------------------------------------------------------

def enc_float(v, f32):
    v = float(v)
    if math.isnan(v):
        return 'NaN'
    if math.isinf(v):
        return 'Infinity' if v > 0 else '-Infinity'
    if f32:
        # shortest decimal that round-trips as float32, carried as a Python float
        return float(repr(np.float32(v)))
    return v


def dec_float(v):
    if isinstance(v, str):
        return {'NaN': NAN, 'Infinity': INF, '-Infinity': -INF}[v]
    return float(v)


def enc_tensor(t, contiguous=False):
    t = t.detach()
    name = DTYPE_NAMES[t.dtype]
    flat = t.contiguous().reshape(-1).tolist()
    if name == 'float32':
        data = [enc_float(v, True) for v in flat]
    elif name == 'float64':
        data = [enc_float(v, False) for v in flat]
    elif name == 'bool':
        data = [bool(v) for v in flat]
    else:
        data = [int(v) for v in flat]
    d = {'dtype': name, 'shape': list(t.shape), 'data': data}
    if contiguous:
        d['contiguous'] = bool(t.is_contiguous())
    return d


def enc_args(a):
    out = {}
    for k, v in a.items():
        if isinstance(v, float):
            out[k] = enc_float(v, False)
        else:
            out[k] = v
    return out


# ----------------------------------------------------------------------------------------------
# the op table (mirrors Ops.java: same op names, same argument keys)
# ----------------------------------------------------------------------------------------------

def scalar_of(a):
    s = a['scalar']
    return dec_float(s) if a['scalar_type'] == 'float' else int(s)


def binary(f):
    def g(xs, a):
        if 'scalar' in a:
            return f(xs[0], scalar_of(a))
        return f(xs[0], xs[1])
    return g


def unary(f):
    return lambda xs, a: f(xs[0])


def reduce_std(name):
    """sum/mean/amax/amin/logsumexp: (), (dim), (dim, keepdim), (dims, keepdim)."""
    def g(xs, a):
        x = xs[0]
        fn = getattr(torch, name)
        if 'dims' in a:
            return fn(x, dim=tuple(a['dims']), keepdim=a['keepdim'])
        if 'dim' in a:
            return fn(x, a['dim'], keepdim=a.get('keepdim', False))
        if name in ('sum', 'mean'):
            return fn(x)
        return fn(x, dim=tuple(range(x.dim())))
    return g


def reduce_dim_keep(name):
    """prod/max/min/argmax/argmin/all/any: () or (dim, keepdim)."""
    def g(xs, a):
        fn = getattr(torch, name)
        if 'dim' in a:
            return fn(xs[0], a['dim'], keepdim=a['keepdim'])
        return fn(xs[0])
    return g


def var_std(name):
    def g(xs, a):
        fn = getattr(torch, name)
        if 'dims' in a:
            return fn(xs[0], dim=tuple(a['dims']), correction=a['correction'], keepdim=a['keepdim'])
        return fn(xs[0])
    return g


def norm(xs, a):
    x = xs[0]
    if 'dims' in a:
        return torch.norm(x, dec_float(a['p']), dim=tuple(a['dims']), keepdim=a['keepdim'])
    if 'p' in a:
        return torch.norm(x, dec_float(a['p']))
    return torch.norm(x)


def py_slice(xs, a):
    idx = (slice(None),) * a['dim'] + (slice(a['start'], a['end'], a['step']),)
    return xs[0][idx]


def scatter(xs, a):
    if 'value' in a:
        return torch.scatter(xs[0], a['dim'], xs[1], dec_float(a['value']))
    return torch.scatter(xs[0], a['dim'], xs[1], xs[2])


def softplus(xs, a):
    if 'beta' in a:
        return F.softplus(xs[0], beta=dec_float(a['beta']), threshold=dec_float(a['threshold']))
    return F.softplus(xs[0])


def gelu(xs, a):
    if 'approximate' in a:
        return F.gelu(xs[0], approximate=a['approximate'])
    return F.gelu(xs[0])


def split(xs, a):
    return torch.split(xs[0], a['sizes'] if 'sizes' in a else a['size'], a['dim'])


OPS = {
    # elementwise
    'add': binary(torch.add), 'sub': binary(torch.sub), 'mul': binary(torch.mul),
    'div': binary(torch.div), 'pow': binary(torch.pow), 'remainder': binary(torch.remainder),
    'maximum': binary(torch.maximum), 'minimum': binary(torch.minimum),
    'eq': binary(torch.eq), 'ne': binary(torch.ne), 'lt': binary(torch.lt),
    'le': binary(torch.le), 'gt': binary(torch.gt), 'ge': binary(torch.ge),
    'logicalAnd': binary(torch.logical_and), 'logicalOr': binary(torch.logical_or),
    'logicalNot': unary(torch.logical_not),
    'neg': unary(torch.neg), 'exp': unary(torch.exp), 'log': unary(torch.log),
    'log1p': unary(torch.log1p), 'sqrt': unary(torch.sqrt), 'rsqrt': unary(torch.rsqrt),
    'abs': unary(torch.abs), 'sign': unary(torch.sign), 'sin': unary(torch.sin),
    'cos': unary(torch.cos), 'tanh': unary(torch.tanh), 'sigmoid': unary(torch.sigmoid),
    'relu': unary(torch.relu), 'gelu': gelu, 'silu': unary(F.silu), 'softplus': softplus,
    'erf': unary(torch.erf),
    'clamp': lambda xs, a: torch.clamp(xs[0], dec_float(a['min']), dec_float(a['max'])),
    'clampMin': lambda xs, a: torch.clamp(xs[0], min=dec_float(a['min'])),
    'clampMax': lambda xs, a: torch.clamp(xs[0], max=dec_float(a['max'])),
    'where': lambda xs, a: torch.where(xs[0], xs[1], xs[2]),
    'to': lambda xs, a: xs[0].to(DTYPES[a['dtype']]),
    # reductions
    'sum': reduce_std('sum'), 'mean': reduce_std('mean'), 'amax': reduce_std('amax'),
    'amin': reduce_std('amin'), 'logsumexp': reduce_std('logsumexp'),
    'prod': reduce_dim_keep('prod'), 'max': reduce_dim_keep('max'), 'min': reduce_dim_keep('min'),
    'argmax': reduce_dim_keep('argmax'), 'argmin': reduce_dim_keep('argmin'),
    'all': reduce_dim_keep('all'), 'any': reduce_dim_keep('any'),
    'var': var_std('var'), 'std': var_std('std'), 'norm': norm,
    'softmax': lambda xs, a: torch.softmax(xs[0], a['dim']),
    'logSoftmax': lambda xs, a: torch.log_softmax(xs[0], a['dim']),
    'cumsum': lambda xs, a: torch.cumsum(xs[0], a['dim']),
    # linear algebra
    'matmul': lambda xs, a: torch.matmul(xs[0], xs[1]),
    'mm': lambda xs, a: torch.mm(xs[0], xs[1]),
    'bmm': lambda xs, a: torch.bmm(xs[0], xs[1]),
    'dot': lambda xs, a: torch.dot(xs[0], xs[1]),
    'outer': lambda xs, a: torch.outer(xs[0], xs[1]),
    # indexing
    'gather': lambda xs, a: torch.gather(xs[0], a['dim'], xs[1]),
    'scatter': scatter,
    'scatterAdd': lambda xs, a: torch.scatter_add(xs[0], a['dim'], xs[1], xs[2]),
    'indexSelect': lambda xs, a: torch.index_select(xs[0], a['dim'], xs[1]),
    'maskedFill': lambda xs, a: xs[0].masked_fill(xs[1], dec_float(a['value'])),
    # .contiguous(): torch 1.13's masked_select backward writes the gradient of a non-contiguous input in memory
    # order instead of logical order (gradcheck fails in torch itself); the copy gives the same forward and the true
    # gradient, while the Java side still receives the non-contiguous view.
    'maskedSelect': lambda xs, a: torch.masked_select(xs[0].contiguous(), xs[1]),
    'index': lambda xs, a: xs[0][tuple(xs[1:])],
    'cat': lambda xs, a: torch.cat(xs, a['dim']),
    'stack': lambda xs, a: torch.stack(xs, a['dim']),
    'split': split,
    'chunk': lambda xs, a: torch.chunk(xs[0], a['chunks'], a['dim']),
    'sort': lambda xs, a: torch.sort(xs[0], dim=a['dim'], descending=a['descending']),
    'topk': lambda xs, a: torch.topk(xs[0], a['k'], dim=a['dim'], largest=a['largest'], sorted=a['sorted']),
    'oneHot': lambda xs, a: F.one_hot(xs[0], a['num_classes']),
    # views
    'view': lambda xs, a: xs[0].view(a['shape']),
    'reshape': lambda xs, a: xs[0].reshape(a['shape']),
    'transpose': lambda xs, a: xs[0].transpose(a['dim0'], a['dim1']),
    'permute': lambda xs, a: xs[0].permute(a['dims']),
    't': lambda xs, a: xs[0].t(),
    'squeeze': lambda xs, a: xs[0].squeeze(a['dim']) if 'dim' in a else xs[0].squeeze(),
    'unsqueeze': lambda xs, a: xs[0].unsqueeze(a['dim']),
    'expand': lambda xs, a: xs[0].expand(a['shape']),
    'narrow': lambda xs, a: xs[0].narrow(a['dim'], a['start'], a['length']),
    'select': lambda xs, a: xs[0].select(a['dim'], a['index']),
    'slice': py_slice,
    'flatten': lambda xs, a: xs[0].flatten(a['start'], a['end']) if 'start' in a else xs[0].flatten(),
    'unflatten': lambda xs, a: xs[0].unflatten(a['dim'], tuple(a['sizes'])),
    'contiguous': lambda xs, a: xs[0].contiguous(),
}


# ----------------------------------------------------------------------------------------------
# input specs
# ----------------------------------------------------------------------------------------------

def V(op, **args):
    """One step of a view recipe."""
    return {'op': op, 'args': args}


T01 = V('transpose', dim0=0, dim1=1)


def numel(shape):
    n = 1
    for s in shape:
        n *= s
    return n


class In:
    """An input: base tensor of `shape`/`dtype` drawn from `dist`, then `view` applied.

    dist: 'randn' | 'pos' (0.5..3) | 'away0' (|x| in 0.2..2, random sign) | 'distinct'
          | ('uniform', lo, hi) | ('int', lo, hi) (inclusive) | 'bool' | ('perm', n)
          | ('scale', s) (randn*s) | explicit list of values | callable(shape) -> tensor
    """

    def __init__(self, shape, dtype='float32', dist='randn', view=None, grad=None):
        self.shape = list(shape)
        self.dtype = dtype
        self.dist = dist
        self.view = view or []
        self.grad = grad  # None = decided by the case (floating inputs of differentiable ops)

    def make(self):
        dt = DTYPES[self.dtype]
        shape = self.shape
        n = numel(shape)
        d = self.dist
        if isinstance(d, list):
            t = torch.tensor(d, dtype=torch.float64 if dt.is_floating_point else torch.int64)
            if dt == torch.bool:
                t = torch.tensor(d, dtype=torch.bool)
            return t.reshape(shape).to(dt)
        if callable(d):
            return d(shape).to(dt)
        if d == 'randn':
            t = torch.randn(shape, dtype=torch.float64)
        elif d == 'pos':
            t = torch.rand(shape, dtype=torch.float64) * 2.5 + 0.5
        elif d == 'away0':
            mag = torch.rand(shape, dtype=torch.float64) * 1.8 + 0.2
            sign = torch.where(torch.rand(shape) < 0.5, -1.0, 1.0).to(torch.float64)
            t = mag * sign
        elif d == 'distinct':
            perm = torch.randperm(n).to(torch.float64)
            t = ((perm - n / 2) * (4.0 / max(n, 1)) + torch.rand(n, dtype=torch.float64) * (1.0 / max(n, 1)))
            t = t.reshape(shape)
        elif d == 'bool':
            return (torch.rand(shape) < 0.5).reshape(shape)
        elif isinstance(d, tuple) and d[0] == 'uniform':
            t = torch.rand(shape, dtype=torch.float64) * (d[2] - d[1]) + d[1]
        elif isinstance(d, tuple) and d[0] == 'scale':
            t = torch.randn(shape, dtype=torch.float64) * d[1]
        elif isinstance(d, tuple) and d[0] == 'int':
            t = torch.randint(d[1], d[2] + 1, shape, dtype=torch.int64)
        elif isinstance(d, tuple) and d[0] == 'perm':
            t = torch.randperm(d[1])[:n].reshape(shape)
        else:
            raise ValueError(d)
        return t.to(dt)


class Same:
    """An input that reuses the leaf of input `src` (optionally through another view): its gradient
    contributions accumulate into that leaf, as when a tensor is used twice."""

    def __init__(self, src, view=None):
        self.src = src
        self.view = view or []
        self.grad = False


def apply_view(x, recipe):
    for step in recipe:
        x = OPS[step['op']]([x], step['args'])
    return x


def flatten_result(r):
    if isinstance(r, torch.Tensor):
        return [r]
    if isinstance(r, (tuple, list)):
        return list(r)
    raise TypeError(type(r))


# ----------------------------------------------------------------------------------------------
# case construction
# ----------------------------------------------------------------------------------------------

class Family:
    def __init__(self, name):
        self.name = name
        self.cases = []
        self.names = set()

    def case(self, name, op, inputs, args=None, grad=True, tol=None, valid=None,
             check_contiguous=False, unordered=False, error=False):
        """Add one case. `valid(xs)` may reject drawn inputs (ties, points of non-differentiability);
        inputs are then redrawn with the next seed."""
        args = args or {}
        assert name not in self.names, name
        self.names.add(name)
        seed0 = zlib.crc32(f'{self.name}/{name}'.encode())
        for attempt in range(200):
            torch.manual_seed(seed0 + attempt)
            bases = [None if isinstance(spec, Same) else spec.make() for spec in inputs]
            bases = [bases[spec.src] if isinstance(spec, Same) else b for b, spec in zip(bases, inputs)]
            xs_nograd = [apply_view(b, s.view) for b, s in zip(bases, inputs)]
            if valid is None or valid(*xs_nograd):
                break
        else:
            raise RuntimeError(f'{name}: no valid inputs drawn')

        leaves = []
        rg = []
        for b, spec in zip(bases, inputs):
            if isinstance(spec, Same):
                rg.append(False)
                leaves.append(leaves[spec.src])
                continue
            want = spec.grad if spec.grad is not None else (grad and b.dtype.is_floating_point)
            rg.append(bool(want))
            leaves.append(b.clone().requires_grad_(True) if want else b.clone())
        c = {'name': name, 'op': op, 'args': enc_args(args), 'inputs': []}
        for b, spec, r in zip(bases, inputs, rg):
            d = {'same_as': spec.src} if isinstance(spec, Same) else enc_tensor(b)
            d['requires_grad'] = r
            if spec.view:
                d['view'] = spec.view
                d['view_contiguous'] = bool(apply_view(b, spec.view).is_contiguous())
            c['inputs'].append(d)

        xs = [apply_view(l, s.view) for l, s in zip(leaves, inputs)]
        if error:
            try:
                OPS[op](xs, args)
            except Exception as e:  # noqa: BLE001 - any torch error is the expected outcome
                c['error'] = str(e).split('\n')[0][:200]
                self.cases.append(c)
                return
            raise AssertionError(f'{name}: expected torch to raise')

        outs = flatten_result(OPS[op](xs, args))
        c['outputs'] = [enc_tensor(o, contiguous=check_contiguous) for o in outs]
        if check_contiguous:
            c['check_contiguous'] = True
        if unordered:
            c['unordered'] = True
        dtypes = {DTYPE_NAMES[b.dtype] for b in bases} | {DTYPE_NAMES[o.dtype] for o in outs}
        if tol:
            c['tol'] = tol
        elif op in REDUCTION_OPS and any(b.numel() > 10000 for b in bases):
            c['tol'] = {'rtol': 1e-4, 'atol': 1e-5}
        elif {'float32', 'float64'} <= dtypes:
            # float64 results computed from float32 data (e.g. the grad of a 0-d float64 operand is a float32 sum
            # cast to float64) carry float32 rounding: compare them with the float32 tolerance
            c['tol'] = {'rtol': 1e-5, 'atol': 1e-6}

        diff_outs = [o for o in outs if o.requires_grad]
        if any(rg) and diff_outs:
            torch.manual_seed(seed0 ^ 0x5EED)
            gos = [torch.randn(o.shape, dtype=o.dtype) if o.requires_grad else None for o in outs]
            sel_leaves = [l for l, r in zip(leaves, rg) if r]
            gs = torch.autograd.grad([o for o in outs if o.requires_grad],
                                     sel_leaves, [g for g in gos if g is not None], allow_unused=True)
            c['grad_outputs'] = [enc_tensor(g) if g is not None else None for g in gos]
            it = iter(gs)
            grads = []
            for r in rg:
                if r:
                    g = next(it)
                    grads.append(enc_tensor(g) if g is not None else None)
                else:
                    grads.append(None)
            c['grads'] = grads
        self.cases.append(c)

    def write(self):
        os.makedirs(OUT_DIR, exist_ok=True)
        path = os.path.join(OUT_DIR, self.name + '.json')
        head = {'family': self.name, 'torch_version': torch.__version__,
                'generator': 'engine/src/test/python/gen_fixtures.py'}
        with open(path, 'w') as f:
            f.write('{' + json.dumps(head, separators=(',', ':'))[1:-1] + ',"cases":[\n')
            for i, c in enumerate(self.cases):
                line = json.dumps(c, separators=(',', ':'), allow_nan=False)
                f.write(line + (',\n' if i + 1 < len(self.cases) else '\n'))
            f.write(']}\n')
        return path, len(self.cases), os.path.getsize(path)


REDUCTION_OPS = {'sum', 'mean', 'prod', 'max', 'min', 'amax', 'amin', 'argmax', 'argmin', 'var', 'std',
                 'norm', 'logsumexp', 'all', 'any', 'softmax', 'logSoftmax', 'cumsum'}


# validity predicates -----------------------------------------------------------------------------

def no_ties(*xs):
    x = xs[0].double().reshape(-1)
    return x.unique().numel() == x.numel()


def away_from(*points, eps=1e-3):
    def ok(*xs):
        x = xs[0].double()
        return all(bool(((x - p).abs() > eps).all()) for p in points)
    return ok


def remainder_ok(*xs):
    a = xs[0].double()
    b = xs[1].double() if len(xs) > 1 else None
    return True if b is None else _frac_ok(a / b)


def _frac_ok(q):
    f = q - q.floor()
    return bool(((f > 0.02) & (f < 0.98)).all())


def pairwise_distinct(*xs):
    a, b = torch.broadcast_tensors(xs[0].double(), xs[1].double())
    return bool(((a - b).abs() > 1e-3).all())


# ----------------------------------------------------------------------------------------------
# families
# ----------------------------------------------------------------------------------------------

NONCONTIG_T = dict(shape=[5, 3], view=[T01])                                        # -> [3,5]
NONCONTIG_STEP = dict(shape=[2, 3, 8], view=[V('slice', dim=2, start=1, end=8, step=3)])  # -> [2,3,3]
EXPAND = dict(shape=[1, 4], view=[V('expand', shape=[3, 4])])                         # -> [3,4]


def gen_elementwise():
    fam = Family('elementwise')
    unary = [
        ('neg', 'randn', None), ('exp', 'randn', None), ('log', 'pos', None),
        ('log1p', ('uniform', -0.5, 3.0), None), ('sqrt', 'pos', None), ('rsqrt', 'pos', None),
        ('abs', 'away0', None), ('sign', 'away0', None), ('sin', ('scale', 2.0), None),
        ('cos', ('scale', 2.0), None), ('tanh', 'randn', None), ('sigmoid', ('scale', 3.0), None),
        ('relu', 'away0', None), ('gelu', ('scale', 2.0), None), ('silu', ('scale', 2.0), None),
        ('softplus', ('scale', 3.0), None), ('erf', 'randn', None),
    ]
    for op, dist, _ in unary:
        fam.case(f'{op}[float32]', op, [In([3, 4], dist=dist)])
        fam.case(f'{op}[float32 noncontig-T]', op, [In(dist=dist, **NONCONTIG_T)])
        fam.case(f'{op}[float32 noncontig-step]', op, [In(dist=dist, **NONCONTIG_STEP)])
        fam.case(f'{op}[float64]', op, [In([2, 3], 'float64', dist=dist)])
    for op, dist in [('exp', 'randn'), ('sigmoid', 'randn'), ('log', 'pos'), ('tanh', 'randn')]:
        fam.case(f'{op}[float32 expand]', op, [In(dist=dist, **EXPAND)])
        fam.case(f'{op}[float32 0d]', op, [In([], dist=dist)])
    fam.case('exp[float32 empty]', 'exp', [In([0, 3])])
    # gelu tanh approximation, softplus with beta/threshold
    g = {'approximate': 'tanh'}
    fam.case('gelu_tanh[float32]', 'gelu', [In([3, 4], dist=('scale', 2.0))], args=g)
    fam.case('gelu_tanh[float32 noncontig-T]', 'gelu', [In(dist=('scale', 2.0), **NONCONTIG_T)], args=g)
    fam.case('gelu_tanh[float64]', 'gelu', [In([2, 3], 'float64', dist=('scale', 2.0))], args=g)
    g = {'approximate': 'none'}
    fam.case('gelu_none[float32]', 'gelu', [In([3, 4], dist=('scale', 2.0))], args=g)
    sp = {'beta': 2.0, 'threshold': 5.0}
    fam.case('softplus_beta2_thr5[float32]', 'softplus', [In([4, 5], dist=('scale', 3.0))], args=sp,
             valid=away_from(2.5, -2.5, eps=1e-2))
    fam.case('softplus_beta2_thr5[float64]', 'softplus', [In([3, 4], 'float64', dist=('scale', 3.0))], args=sp,
             valid=away_from(2.5, -2.5, eps=1e-2))
    fam.case('softplus[float32 large]', 'softplus', [In([6], dist=[-30.0, -5.0, 0.0, 5.0, 19.0, 25.0])])
    # integer unary
    for op in ['neg', 'abs', 'sign', 'relu']:
        fam.case(f'{op}[int64]', op, [In([3, 4], 'int64', dist=('int', -5, 5))])
    fam.case('neg[int32]', 'neg', [In([3, 4], 'int32', dist=('int', -5, 5))])
    fam.case('abs[int32 noncontig-T]', 'abs', [In([4, 3], 'int32', dist=('int', -9, 9), view=[T01])])
    # special values (no grads)
    spec = [0.0, -0.0, 1.0, -1.0, INF, -INF, NAN, 100.0, -100.0]
    for op in ['exp', 'log', 'log1p', 'sqrt', 'rsqrt', 'tanh', 'sigmoid', 'relu', 'abs', 'neg', 'erf',
               'sin', 'silu', 'softplus', 'gelu']:
        fam.case(f'{op}[float32 special]', op, [In([9], dist=spec)], grad=False)
    fam.case('log1p[float64 special]', 'log1p', [In([5], 'float64', dist=[-1.0, -2.0, 1e-10, -1e-10, 1e300])],
             grad=False)
    fam.case('sign[float32 zeros]', 'sign', [In([4], dist=[0.0, -0.0, 3.5, -INF])], grad=False)

    # binary arithmetic
    dists = {'add': ('randn', 'randn'), 'sub': ('randn', 'randn'), 'mul': ('randn', 'randn'),
             'div': ('randn', 'away0'), 'pow': ('pos', ('uniform', -2.0, 2.0)),
             'remainder': (('scale', 4.0), 'away0'), 'maximum': ('randn', 'randn'),
             'minimum': ('randn', 'randn')}
    for op, (da, db) in dists.items():
        valid = remainder_ok if op == 'remainder' else (pairwise_distinct if op in ('maximum', 'minimum') else None)
        fam.case(f'{op}[float32]', op, [In([3, 4], dist=da), In([3, 4], dist=db)], valid=valid)
        fam.case(f'{op}[float32 bcast]', op, [In([2, 1, 4], dist=da), In([3, 1], dist=db)], valid=valid)
        fam.case(f'{op}[float32 bcast-rev]', op, [In([3, 1], dist=da), In([2, 1, 4], dist=db)], valid=valid)
        fam.case(f'{op}[float32 bcast-0d]', op, [In([3, 4], dist=da), In([], dist=db)], valid=valid)
        fam.case(f'{op}[float32 noncontig]', op,
                 [In([4, 3], dist=da, view=[T01]), In([3, 8], dist=db, view=[V('slice', dim=1, start=0, end=8, step=2)])],
                 valid=valid)
        fam.case(f'{op}[float32 noncontig-expand]', op,
                 [In([3, 1], dist=da, view=[V('expand', shape=[3, 4])]), In([4, 3], dist=db, view=[T01])], valid=valid)
        fam.case(f'{op}[float64]', op, [In([2, 3], 'float64', dist=da), In([2, 3], 'float64', dist=db)], valid=valid)
        fam.case(f'{op}[float64 bcast]', op, [In([2, 3], 'float64', dist=da), In([3], 'float64', dist=db)],
                 valid=valid)
    # integer binary
    for op in ['add', 'sub', 'mul', 'maximum', 'minimum']:
        fam.case(f'{op}[int64]', op, [In([3, 4], 'int64', dist=('int', -20, 20)), In([3, 4], 'int64', dist=('int', -20, 20))])
        fam.case(f'{op}[int32 bcast]', op, [In([2, 1, 3], 'int32', dist=('int', -20, 20)), In([4, 1], 'int32', dist=('int', -20, 20))])
    fam.case('remainder[int64]', 'remainder', [In([3, 4], 'int64', dist=('int', -10, 10)),
                                               In([3, 4], 'int64', dist=[3, -3, 4, -4, 1, 2, -2, 5, -5, 7, 6, -1])])
    fam.case('remainder[int32 bcast]', 'remainder', [In([3, 4], 'int32', dist=('int', -10, 10)),
                                                     In([4], 'int32', dist=[3, -3, 4, -2])])
    fam.case('pow[int64]', 'pow', [In([3, 4], 'int64', dist=('int', -4, 4)), In([3, 4], 'int64', dist=('int', 0, 4))])
    fam.case('div[int64 -> float32]', 'div', [In([3, 4], 'int64', dist=('int', -10, 10)),
                                             In([3, 4], 'int64', dist=[3, -3, 4, -4, 1, 2, -2, 5, -5, 7, 6, -1])])
    fam.case('div[float32 by zero]', 'div', [In([4], dist=[1.0, -1.0, 0.0, NAN]), In([4], dist=[0.0, 0.0, 0.0, 1.0])],
             grad=False)
    fam.case('add[uint8]', 'add', [In([5], 'uint8', dist=[0, 100, 200, 255, 7]), In([5], 'uint8', dist=[0, 100, 100, 1, 7])])
    fam.case('sub[uint8 wrap]', 'sub', [In([3], 'uint8', dist=[3, 0, 255]), In([3], 'uint8', dist=[5, 1, 255])])
    fam.case('mul[uint8]', 'mul', [In([3], 'uint8', dist=[3, 16, 255]), In([3], 'uint8', dist=[5, 17, 2])])
    # scalar overloads
    scal = [('float', 2.5), ('int', 3)]
    for op in ['add', 'sub', 'mul', 'div', 'pow', 'remainder']:
        da = dists[op][0]
        for st, sv in scal:
            if op == 'remainder':
                sv = 1.5 if st == 'float' else 2
            a = {'scalar': sv, 'scalar_type': st}
            valid = (lambda x, s=sv: _frac_ok(x.double() / s)) if op == 'remainder' else None
            fam.case(f'{op}[float32 scalar-{st}]', op, [In([3, 4], dist=da)], args=a, valid=valid)
            fam.case(f'{op}[float32 noncontig scalar-{st}]', op, [In(dist=da, **NONCONTIG_T)], args=a, valid=valid)
        a = {'scalar': 3, 'scalar_type': 'int'}
        ia = ('int', 0, 5) if op == 'pow' else ('int', -10, 10)
        fam.case(f'{op}[int64 scalar-int]', op, [In([3, 4], 'int64', dist=ia)], args=a)
        fam.case(f'{op}[int32 scalar-int]', op, [In([3, 4], 'int32', dist=ia)], args=a)
        fam.case(f'{op}[float64 scalar-float]', op, [In([2, 3], 'float64', dist=da)],
                 args={'scalar': 0.75, 'scalar_type': 'float'},
                 valid=(lambda x: _frac_ok(x / 0.75)) if op == 'remainder' else None)
    fam.case('pow[float32 scalar-float 0.5]', 'pow', [In([3, 4], dist='pos')], args={'scalar': 0.5, 'scalar_type': 'float'})
    fam.case('pow[float32 scalar-float -1.5]', 'pow', [In([3, 4], dist='pos')], args={'scalar': -1.5, 'scalar_type': 'float'})
    fam.case('pow[float32 scalar-int 2 negbase]', 'pow', [In([3, 4])], args={'scalar': 2, 'scalar_type': 'int'})
    fam.case('pow[float32 scalar-float 2 negbase]', 'pow', [In([3, 4])], args={'scalar': 2.0, 'scalar_type': 'float'})
    fam.case('pow[float32 scalar-int 0]', 'pow', [In([3, 4])], args={'scalar': 0, 'scalar_type': 'int'})
    fam.case('remainder[float32 scalar-float negative]', 'remainder', [In([3, 4], dist=('scale', 4.0))],
             args={'scalar': -1.5, 'scalar_type': 'float'}, valid=lambda x: _frac_ok(x.double() / -1.5))
    fam.case('remainder[int64 scalar-int negative]', 'remainder', [In([3, 4], 'int64', dist=('int', -10, 10))],
             args={'scalar': -3, 'scalar_type': 'int'})

    # comparisons
    ties = ('int', -2, 2)
    for op in ['eq', 'ne', 'lt', 'le', 'gt', 'ge']:
        fam.case(f'{op}[float32]', op, [In([3, 4], dist=lambda s: torch.randint(-2, 3, s).double()),
                                        In([3, 4], dist=lambda s: torch.randint(-2, 3, s).double())])
        fam.case(f'{op}[float32 bcast]', op, [In([2, 1, 4], dist=lambda s: torch.randint(-2, 3, s).double()),
                                              In([3, 1], dist=lambda s: torch.randint(-2, 3, s).double())])
        fam.case(f'{op}[float32 noncontig]', op,
                 [In([4, 3], dist=lambda s: torch.randint(-2, 3, s).double(), view=[T01]),
                  In([3, 8], dist=lambda s: torch.randint(-2, 3, s).double(), view=[V('slice', dim=1, start=1, end=8, step=2)])])
        fam.case(f'{op}[float32 scalar-float]', op, [In([3, 4], dist=lambda s: torch.randint(-2, 3, s).double() / 2)],
                 args={'scalar': 0.5, 'scalar_type': 'float'})
        fam.case(f'{op}[int64]', op, [In([3, 4], 'int64', dist=ties), In([3, 4], 'int64', dist=ties)])
        fam.case(f'{op}[int32 vs int64 bcast]', op, [In([3, 4], 'int32', dist=ties), In([4], 'int64', dist=ties)])
        fam.case(f'{op}[int64 vs float32]', op, [In([2, 3], 'int64', dist=ties), In([2, 3], dist=[0.0, 1.0, 1.5, -2.0, 2.0, -0.5])])
        fam.case(f'{op}[int64 scalar-float]', op, [In([2, 3], 'int64', dist=ties)], args={'scalar': 1.0, 'scalar_type': 'float'})
        fam.case(f'{op}[float32 nan]', op, [In([4], dist=[NAN, 1.0, NAN, INF]), In([4], dist=[NAN, NAN, 1.0, INF])])
        fam.case(f'{op}[float64]', op, [In([2, 3], 'float64', dist=lambda s: torch.randint(-1, 2, s).double()),
                                        In([2, 3], 'float64', dist=lambda s: torch.randint(-1, 2, s).double())])
        fam.case(f'{op}[bool]', op, [In([2, 3], 'bool', dist='bool'), In([2, 3], 'bool', dist='bool')])

    # logical
    for op in ['logicalAnd', 'logicalOr']:
        fam.case(f'{op}[bool]', op, [In([3, 4], 'bool', dist='bool'), In([3, 4], 'bool', dist='bool')])
        fam.case(f'{op}[bool bcast]', op, [In([3, 1], 'bool', dist='bool'), In([4], 'bool', dist='bool')])
        fam.case(f'{op}[bool noncontig]', op, [In([4, 3], 'bool', dist='bool', view=[T01]), In([3, 4], 'bool', dist='bool')])
        fam.case(f'{op}[float32]', op, [In([2, 3], dist=[0.0, 1.5, -2.0, 0.0, NAN, 0.0]),
                                        In([2, 3], dist=[0.0, 0.0, 3.0, 1.0, 0.0, -0.0])])
        fam.case(f'{op}[int64 vs bool]', op, [In([2, 3], 'int64', dist=[0, 2, -1, 0, 5, 0]),
                                              In([2, 3], 'bool', dist=[True, True, False, False, True, True])])
    fam.case('logicalNot[bool]', 'logicalNot', [In([3, 4], 'bool', dist='bool')])
    fam.case('logicalNot[bool noncontig]', 'logicalNot', [In([4, 3], 'bool', dist='bool', view=[T01])])
    fam.case('logicalNot[float32]', 'logicalNot', [In([5], dist=[0.0, -0.0, 1.5, NAN, -INF])])
    fam.case('logicalNot[int64]', 'logicalNot', [In([4], 'int64', dist=[0, 1, -3, 0])])

    # clamp
    cv = away_from(-0.5, 0.5, eps=1e-2)
    for dt, shape in [('float32', [3, 4]), ('float64', [2, 3])]:
        fam.case(f'clamp[{dt}]', 'clamp', [In(shape, dt)], args={'min': -0.5, 'max': 0.5}, valid=cv)
        fam.case(f'clampMin[{dt}]', 'clampMin', [In(shape, dt)], args={'min': -0.5}, valid=cv)
        fam.case(f'clampMax[{dt}]', 'clampMax', [In(shape, dt)], args={'max': 0.5}, valid=cv)
    fam.case('clamp[float32 noncontig-T]', 'clamp', [In(**NONCONTIG_T)], args={'min': -0.5, 'max': 0.5}, valid=cv)
    fam.case('clamp[float32 noncontig-step]', 'clamp', [In(**NONCONTIG_STEP)], args={'min': -0.5, 'max': 0.5}, valid=cv)
    fam.case('clampMin[float32 noncontig-T]', 'clampMin', [In(**NONCONTIG_T)], args={'min': 0.25}, valid=away_from(0.25, eps=1e-2))
    fam.case('clampMax[float32 noncontig-T]', 'clampMax', [In(**NONCONTIG_T)], args={'max': -0.25}, valid=away_from(-0.25, eps=1e-2))
    fam.case('clamp[float32 nan]', 'clamp', [In([3], dist=[NAN, INF, -INF])], args={'min': -1.0, 'max': 1.0}, grad=False)
    fam.case('clamp[float32 -inf..inf]', 'clamp', [In([3, 4])], args={'min': -INF, 'max': INF})
    fam.case('clamp[int64 float-bounds]', 'clamp', [In([3, 4], 'int64', dist=('int', -5, 5))], args={'min': -2.0, 'max': 3.0})

    # where
    fam.case('where[float32]', 'where', [In([3, 4], 'bool', dist='bool'), In([3, 4]), In([3, 4])])
    fam.case('where[float32 bcast]', 'where', [In([3, 1], 'bool', dist='bool'), In([1, 4]), In([2, 1, 1])])
    fam.case('where[float32 noncontig]', 'where', [In([4, 3], 'bool', dist='bool', view=[T01]),
                                                   In([4, 3], view=[T01]), In([3, 8], view=[V('slice', dim=1, start=0, end=8, step=2)])])
    fam.case('where[float64]', 'where', [In([2, 3], 'bool', dist='bool'), In([2, 3], 'float64'), In([2, 3], 'float64')])
    fam.case('where[int64]', 'where', [In([2, 3], 'bool', dist='bool'), In([2, 3], 'int64', dist=('int', -9, 9)),
                                       In([2, 3], 'int64', dist=('int', -9, 9))])
    return fam


def gen_reductions():
    fam = Family('reductions')
    std_red = ['sum', 'mean', 'amax', 'amin', 'logsumexp']
    for op in std_red:
        dist = 'distinct' if op in ('amax', 'amin') else 'randn'
        fam.case(f'{op}[float32 all]', op, [In([3, 4], dist=dist)])
        fam.case(f'{op}[float32 dim0]', op, [In([3, 4], dist=dist)], args={'dim': 0})
        fam.case(f'{op}[float32 dim1 keepdim]', op, [In([3, 4], dist=dist)], args={'dim': 1, 'keepdim': True})
        fam.case(f'{op}[float32 dim-1]', op, [In([2, 3, 4], dist=dist)], args={'dim': -1, 'keepdim': False})
        fam.case(f'{op}[float32 dims0,2]', op, [In([2, 3, 4], dist=dist)], args={'dims': [0, 2], 'keepdim': False})
        fam.case(f'{op}[float32 dims0,2 keepdim]', op, [In([2, 3, 4], dist=dist)], args={'dims': [0, 2], 'keepdim': True})
        fam.case(f'{op}[float32 dims-1,0 keepdim]', op, [In([2, 3, 4], dist=dist)], args={'dims': [-1, 0], 'keepdim': True})
        fam.case(f'{op}[float32 noncontig-T all]', op, [In(dist=dist, **NONCONTIG_T)])
        fam.case(f'{op}[float32 noncontig-T dim1]', op, [In(dist=dist, **NONCONTIG_T)], args={'dim': 1, 'keepdim': False})
        fam.case(f'{op}[float32 noncontig-step dims1,2]', op, [In(dist=dist, **NONCONTIG_STEP)],
                 args={'dims': [1, 2], 'keepdim': True})
        fam.case(f'{op}[float32 expand dim0]', op, [In(dist=dist, **EXPAND)], args={'dim': 0, 'keepdim': False})
        fam.case(f'{op}[float64 dim1]', op, [In([3, 5], 'float64', dist=dist)], args={'dim': 1, 'keepdim': False})
        fam.case(f'{op}[float64 all]', op, [In([3, 5], 'float64', dist=dist)])
        fam.case(f'{op}[float32 0d]', op, [In([], dist=dist)])
    fam.case('sum[float32 large all]', 'sum', [In([120, 100])])
    fam.case('mean[float32 large dim1]', 'mean', [In([4, 3000])], args={'dim': 1, 'keepdim': False})
    fam.case('sum[float32 empty dim0]', 'sum', [In([0, 3])], args={'dim': 0, 'keepdim': False})
    fam.case('sum[float32 empty all]', 'sum', [In([0, 3])], grad=False)
    fam.case('mean[float32 empty all]', 'mean', [In([0, 3])], grad=False)
    for dt, dist in [('int64', ('int', -50, 50)), ('int32', ('int', -50, 50)), ('uint8', ('int', 0, 255)),
                     ('bool', 'bool')]:
        fam.case(f'sum[{dt} all]', 'sum', [In([3, 4], dt, dist=dist)])
        fam.case(f'sum[{dt} dim1 keepdim]', 'sum', [In([3, 4], dt, dist=dist)], args={'dim': 1, 'keepdim': True})
    fam.case('sum[int64 dims0,2]', 'sum', [In([2, 3, 4], 'int64', dist=('int', -9, 9))], args={'dims': [0, 2], 'keepdim': False})
    fam.case('sum[int32 noncontig-T dim0]', 'sum', [In([5, 3], 'int32', dist=('int', -9, 9), view=[T01])], args={'dim': 0})
    for op in ['amax', 'amin']:
        fam.case(f'{op}[int64 dim0]', op, [In([3, 4], 'int64', dist=('int', -50, 50))], args={'dim': 0})
        fam.case(f'{op}[int32 all]', op, [In([3, 4], 'int32', dist=('int', -50, 50))])

    # prod
    pd = 'away0'
    fam.case('prod[float32 all]', 'prod', [In([3, 4], dist=pd)])
    fam.case('prod[float32 dim0]', 'prod', [In([3, 4], dist=pd)], args={'dim': 0, 'keepdim': False})
    fam.case('prod[float32 dim1 keepdim]', 'prod', [In([3, 4], dist=pd)], args={'dim': 1, 'keepdim': True})
    fam.case('prod[float32 dim-1 3d]', 'prod', [In([2, 3, 4], dist=pd)], args={'dim': -1, 'keepdim': False})
    fam.case('prod[float32 noncontig-T dim1]', 'prod', [In(dist=pd, **NONCONTIG_T)], args={'dim': 1, 'keepdim': False})
    fam.case('prod[float32 noncontig-step all]', 'prod', [In(dist=pd, **NONCONTIG_STEP)])
    fam.case('prod[float64 dim0]', 'prod', [In([3, 4], 'float64', dist=pd)], args={'dim': 0, 'keepdim': False})
    fam.case('prod[float32 with zero dim1]', 'prod', [In([2, 3], dist=[1.5, 0.0, -2.0, 0.5, 3.0, 0.0])],
             args={'dim': 1, 'keepdim': False})
    fam.case('prod[int64 all]', 'prod', [In([3, 3], 'int64', dist=('int', -3, 3))])
    fam.case('prod[int32 dim1]', 'prod', [In([3, 4], 'int32', dist=('int', -3, 3))], args={'dim': 1, 'keepdim': False})

    # max/min, argmax/argmin
    for op in ['max', 'min']:
        fam.case(f'{op}[float32 all]', op, [In([3, 4], dist='distinct')])
        fam.case(f'{op}[float32 dim0]', op, [In([3, 4], dist='distinct')], args={'dim': 0, 'keepdim': False})
        fam.case(f'{op}[float32 dim1 keepdim]', op, [In([3, 4], dist='distinct')], args={'dim': 1, 'keepdim': True})
        fam.case(f'{op}[float32 dim-2 3d]', op, [In([2, 3, 4], dist='distinct')], args={'dim': -2, 'keepdim': False})
        fam.case(f'{op}[float32 noncontig-T dim1]', op, [In(dist='distinct', **NONCONTIG_T)], args={'dim': 1, 'keepdim': False})
        fam.case(f'{op}[float32 noncontig-step all]', op, [In(dist='distinct', **NONCONTIG_STEP)])
        fam.case(f'{op}[float64 dim1]', op, [In([3, 5], 'float64', dist='distinct')], args={'dim': 1, 'keepdim': False})
        fam.case(f'{op}[int64 dim1]', op, [In([3, 4], 'int64', dist=('perm', 12))], args={'dim': 1, 'keepdim': False})
        fam.case(f'{op}[int32 all]', op, [In([3, 4], 'int32', dist=('perm', 12))])
        fam.case(f'{op}[float32 nan dim1]', op, [In([2, 3], dist=[1.0, NAN, 3.0, -1.0, -2.0, -3.0])],
                 args={'dim': 1, 'keepdim': False}, grad=False)
        fam.case(f'{op}[float32 nan all]', op, [In([3], dist=[1.0, NAN, 3.0])], grad=False)
    for op in ['argmax', 'argmin']:
        fam.case(f'{op}[float32 all]', op, [In([3, 4], dist='distinct')])
        fam.case(f'{op}[float32 dim0]', op, [In([3, 4], dist='distinct')], args={'dim': 0, 'keepdim': False})
        fam.case(f'{op}[float32 dim1 keepdim]', op, [In([3, 4], dist='distinct')], args={'dim': 1, 'keepdim': True})
        fam.case(f'{op}[float32 noncontig-T dim0]', op, [In(dist='distinct', **NONCONTIG_T)], args={'dim': 0, 'keepdim': False})
        fam.case(f'{op}[float64 dim-1]', op, [In([2, 3, 4], 'float64', dist='distinct')], args={'dim': -1, 'keepdim': False})
        fam.case(f'{op}[int64 dim1]', op, [In([3, 4], 'int64', dist=('perm', 12))], args={'dim': 1, 'keepdim': False})
        fam.case(f'{op}[int32 ties first-index dim1]', op,
                 [In([2, 4], 'int32', dist=[1, 3, 3, 0, 2, 2, 2, 2])], args={'dim': 1, 'keepdim': False})
        fam.case(f'{op}[float32 ties first-index all]', op, [In([5], dist=[0.5, 2.0, -1.0, 2.0, -1.0])])

    # var / std
    for op in ['var', 'std']:
        fam.case(f'{op}[float32 all]', op, [In([3, 4])])
        fam.case(f'{op}[float32 dim1 corr1]', op, [In([3, 4])], args={'dims': [1], 'correction': 1, 'keepdim': False})
        fam.case(f'{op}[float32 dim0 corr0 keepdim]', op, [In([3, 4])], args={'dims': [0], 'correction': 0, 'keepdim': True})
        fam.case(f'{op}[float32 dims0,2 corr1]', op, [In([2, 3, 4])], args={'dims': [0, 2], 'correction': 1, 'keepdim': False})
        fam.case(f'{op}[float32 dims-1 corr2 keepdim]', op, [In([2, 3, 5])], args={'dims': [-1], 'correction': 2, 'keepdim': True})
        fam.case(f'{op}[float32 offset mean]', op, [In([3, 6], dist=lambda s: torch.randn(s, dtype=torch.float64) + 100.0)],
                 args={'dims': [1], 'correction': 1, 'keepdim': False})
        fam.case(f'{op}[float32 noncontig-T dim1]', op, [In(**NONCONTIG_T)], args={'dims': [1], 'correction': 1, 'keepdim': False})
        fam.case(f'{op}[float32 noncontig-step all]', op, [In(**NONCONTIG_STEP)])
        fam.case(f'{op}[float64 dim0]', op, [In([4, 3], 'float64')], args={'dims': [0], 'correction': 1, 'keepdim': False})
        fam.case(f'{op}[float64 all]', op, [In([4, 3], 'float64')])
        fam.case(f'{op}[float32 single-element corr1]', op, [In([2, 1])], args={'dims': [1], 'correction': 1, 'keepdim': False},
                 grad=False)
    fam.case('var[float32 large dim0]', 'var', [In([5001, 2])], args={'dims': [0], 'correction': 1, 'keepdim': False},
             grad=False)

    # norm
    fam.case('norm[float32 default]', 'norm', [In([3, 4])])
    fam.case('norm[float32 p1]', 'norm', [In([3, 4], dist='away0')], args={'p': 1.0})
    fam.case('norm[float32 p3]', 'norm', [In([3, 4], dist='away0')], args={'p': 3.0})
    fam.case('norm[float32 pinf]', 'norm', [In([3, 4], dist='distinct')], args={'p': INF}, valid=lambda x: x.abs().unique().numel() == x.numel())
    fam.case('norm[float32 p2 dim1 keepdim]', 'norm', [In([3, 4])], args={'p': 2.0, 'dims': [1], 'keepdim': True})
    fam.case('norm[float32 p1 dims0,2]', 'norm', [In([2, 3, 4], dist='away0')], args={'p': 1.0, 'dims': [0, 2], 'keepdim': False})
    fam.case('norm[float32 p2 noncontig-T dim0]', 'norm', [In(**NONCONTIG_T)], args={'p': 2.0, 'dims': [0], 'keepdim': False})
    fam.case('norm[float32 noncontig-step default]', 'norm', [In(**NONCONTIG_STEP)])
    fam.case('norm[float64 p2 dim-1]', 'norm', [In([3, 4], 'float64')], args={'p': 2.0, 'dims': [-1], 'keepdim': False})
    fam.case('norm[float64 default]', 'norm', [In([3, 4], 'float64')])

    # logsumexp extra
    # the backward, exp(x - out) * g, inherits the float32 rounding of out (|out| ~ 1000, ulp 6e-5): 1e-4 relative
    fam.case('logsumexp[float32 large values dim1]', 'logsumexp', [In([2, 3], dist=[1000.0, 999.0, 998.0, -1000.0, -1001.0, -999.5])],
             args={'dim': 1, 'keepdim': False}, tol={'rtol': 1e-4, 'atol': 1e-6})
    fam.case('logsumexp[float32 -inf dim1]', 'logsumexp', [In([2, 3], dist=[-INF, -INF, -INF, -INF, 0.5, 1.0])],
             args={'dim': 1, 'keepdim': False}, grad=False)

    # all / any
    for op in ['all', 'any']:
        fam.case(f'{op}[bool all]', op, [In([3, 4], 'bool', dist=lambda s: torch.rand(s) < 0.8)])
        fam.case(f'{op}[bool all true]', op, [In([3], 'bool', dist=[True, True, True])])
        fam.case(f'{op}[bool all false]', op, [In([3], 'bool', dist=[False, False, False])])
        fam.case(f'{op}[bool dim0]', op, [In([3, 4], 'bool', dist=lambda s: torch.rand(s) < 0.6)], args={'dim': 0, 'keepdim': False})
        fam.case(f'{op}[bool dim1 keepdim]', op, [In([3, 4], 'bool', dist=lambda s: torch.rand(s) < 0.4)], args={'dim': 1, 'keepdim': True})
        fam.case(f'{op}[bool noncontig-T dim1]', op, [In([4, 3], 'bool', dist=lambda s: torch.rand(s) < 0.5, view=[T01])],
                 args={'dim': 1, 'keepdim': False})
        fam.case(f'{op}[float32 all]', op, [In([2, 3], dist=[1.0, 0.0, NAN, -2.0, 0.5, -0.0])])
        fam.case(f'{op}[float32 dim1]', op, [In([2, 3], dist=[1.0, 2.0, NAN, 0.0, -0.0, 0.0])], args={'dim': 1, 'keepdim': False})
        fam.case(f'{op}[int64 dim0]', op, [In([2, 3], 'int64', dist=[1, 0, 5, 2, 0, 0])], args={'dim': 0, 'keepdim': False})
        fam.case(f'{op}[bool empty]', op, [In([0], 'bool', dist=[])])

    # softmax / logSoftmax
    for op in ['softmax', 'logSoftmax']:
        fam.case(f'{op}[float32 dim-1]', op, [In([3, 4], dist=('scale', 2.0))], args={'dim': -1})
        fam.case(f'{op}[float32 dim0]', op, [In([3, 4], dist=('scale', 2.0))], args={'dim': 0})
        fam.case(f'{op}[float32 3d dim1]', op, [In([2, 3, 4], dist=('scale', 2.0))], args={'dim': 1})
        fam.case(f'{op}[float32 noncontig-T dim1]', op, [In(dist=('scale', 2.0), **NONCONTIG_T)], args={'dim': 1})
        fam.case(f'{op}[float32 noncontig-step dim-1]', op, [In(dist=('scale', 2.0), **NONCONTIG_STEP)], args={'dim': -1})
        fam.case(f'{op}[float64 dim1]', op, [In([3, 4], 'float64', dist=('scale', 2.0))], args={'dim': 1})
        fam.case(f'{op}[float32 large values]', op, [In([2, 3], dist=[1000.0, 999.0, 998.0, -1000.0, -1001.0, -999.5])],
                 args={'dim': 1})
        fam.case(f'{op}[float32 masked -inf]', op, [In([2, 3], dist=[0.5, -INF, 1.0, -INF, 2.0, -INF])], args={'dim': 1})
        fam.case(f'{op}[float32 0d]', op, [In([], dist=[1.5])], args={'dim': 0})

    # cumsum
    fam.case('cumsum[float32 dim0]', 'cumsum', [In([3, 4])], args={'dim': 0})
    fam.case('cumsum[float32 dim1]', 'cumsum', [In([3, 4])], args={'dim': 1})
    fam.case('cumsum[float32 3d dim-1]', 'cumsum', [In([2, 3, 4])], args={'dim': -1})
    fam.case('cumsum[float32 1d]', 'cumsum', [In([7])], args={'dim': 0})
    fam.case('cumsum[float32 noncontig-T dim1]', 'cumsum', [In(**NONCONTIG_T)], args={'dim': 1})
    fam.case('cumsum[float32 noncontig-step dim2]', 'cumsum', [In(**NONCONTIG_STEP)], args={'dim': 2})
    fam.case('cumsum[float64 dim1]', 'cumsum', [In([3, 4], 'float64')], args={'dim': 1})
    fam.case('cumsum[int64 dim1]', 'cumsum', [In([3, 4], 'int64', dist=('int', -9, 9))], args={'dim': 1})
    fam.case('cumsum[int32 dim0]', 'cumsum', [In([3, 4], 'int32', dist=('int', -9, 9))], args={'dim': 0})
    fam.case('cumsum[bool dim0]', 'cumsum', [In([5], 'bool', dist=[True, False, True, True, False])], args={'dim': 0})
    fam.case('cumsum[uint8 dim0]', 'cumsum', [In([3], 'uint8', dist=[200, 100, 5])], args={'dim': 0})
    return fam


def gen_linalg():
    fam = Family('linalg')
    mm_cases = [
        ('1d@1d', [4], [4]), ('2d@1d', [3, 4], [4]), ('1d@2d', [4], [4, 5]), ('2d@2d', [3, 4], [4, 5]),
        ('3d@3d', [2, 3, 4], [2, 4, 5]), ('bcast 4d@3d', [2, 1, 3, 4], [5, 4, 2]), ('3d@2d', [2, 3, 4], [4, 5]),
        ('2d@3d', [3, 4], [2, 4, 5]), ('1d@3d', [4], [2, 4, 5]), ('3d@1d', [2, 3, 4], [4]),
        ('bcast 3d@4d', [1, 3, 4], [2, 2, 4, 3]),
    ]
    for tag, sa, sb in mm_cases:
        fam.case(f'matmul[float32 {tag}]', 'matmul', [In(sa), In(sb)])
    fam.case('matmul[float32 noncontig-T 2d@2d]', 'matmul', [In([4, 3], view=[T01]), In([5, 4], view=[T01])])
    fam.case('matmul[float32 noncontig 3d@3d]', 'matmul',
             [In([2, 4, 3], view=[V('transpose', dim0=1, dim1=2)]), In([4, 2, 5], view=[V('permute', dims=[1, 0, 2])])])
    fam.case('matmul[float32 noncontig-step 2d@1d]', 'matmul', [In([3, 8], view=[V('slice', dim=1, start=0, end=8, step=2)]),
                                                               In([9], view=[V('slice', dim=0, start=1, end=9, step=2)])])
    fam.case('matmul[float32 expand bcast]', 'matmul', [In([1, 3, 4], view=[V('expand', shape=[2, 3, 4])]), In([4, 2])])
    fam.case('matmul[float64 2d@2d]', 'matmul', [In([3, 4], 'float64'), In([4, 5], 'float64')])
    fam.case('matmul[float64 bcast 4d@3d]', 'matmul', [In([2, 1, 3, 4], 'float64'), In([5, 4, 2], 'float64')])
    fam.case('matmul[int64 2d@2d]', 'matmul', [In([3, 4], 'int64', dist=('int', -5, 5)), In([4, 2], 'int64', dist=('int', -5, 5))])
    fam.case('matmul[float32 k=64]', 'matmul', [In([4, 64]), In([64, 3])])
    fam.case('mm[float32]', 'mm', [In([3, 4]), In([4, 5])])
    fam.case('mm[float32 noncontig-T]', 'mm', [In([4, 3], view=[T01]), In([5, 4], view=[T01])])
    fam.case('mm[float32 noncontig-step]', 'mm', [In([3, 8], view=[V('slice', dim=1, start=1, end=8, step=2)]), In([4, 2])])
    fam.case('mm[float64]', 'mm', [In([3, 4], 'float64'), In([4, 5], 'float64')])
    fam.case('mm[int64]', 'mm', [In([3, 4], 'int64', dist=('int', -5, 5)), In([4, 2], 'int64', dist=('int', -5, 5))])
    fam.case('bmm[float32]', 'bmm', [In([2, 3, 4]), In([2, 4, 5])])
    fam.case('bmm[float32 noncontig]', 'bmm', [In([3, 2, 4], view=[V('permute', dims=[1, 0, 2])]),
                                               In([2, 5, 4], view=[V('transpose', dim0=1, dim1=2)])])
    fam.case('bmm[float64]', 'bmm', [In([2, 3, 4], 'float64'), In([2, 4, 5], 'float64')])
    fam.case('dot[float32]', 'dot', [In([5]), In([5])])
    fam.case('dot[float32 noncontig-step]', 'dot', [In([10], view=[V('slice', dim=0, start=0, end=10, step=2)]),
                                                    In([3, 5], view=[V('select', dim=0, index=1)])])
    fam.case('dot[float32 noncontig-col]', 'dot', [In([5, 3], view=[V('select', dim=1, index=2)]), In([5])])
    fam.case('dot[float64]', 'dot', [In([5], 'float64'), In([5], 'float64')])
    fam.case('dot[int64]', 'dot', [In([5], 'int64', dist=('int', -5, 5)), In([5], 'int64', dist=('int', -5, 5))])
    fam.case('outer[float32]', 'outer', [In([3]), In([4])])
    fam.case('outer[float32 noncontig]', 'outer', [In([6], view=[V('slice', dim=0, start=0, end=6, step=2)]),
                                                   In([4, 2], view=[V('select', dim=1, index=0)])])
    fam.case('outer[float64]', 'outer', [In([3], 'float64'), In([4], 'float64')])
    fam.case('outer[int64]', 'outer', [In([3], 'int64', dist=('int', -5, 5)), In([4], 'int64', dist=('int', -5, 5))])
    return fam


def gen_indexing():
    fam = Family('indexing')
    # gather
    fam.case('gather[float32 dim0]', 'gather', [In([3, 4]), In([2, 4], 'int64', dist=('int', 0, 2))], args={'dim': 0})
    fam.case('gather[float32 dim1 repeats]', 'gather', [In([3, 4]), In([3, 5], 'int64', dist=('int', 0, 3))], args={'dim': 1})
    fam.case('gather[float32 3d dim-1]', 'gather', [In([2, 3, 4]), In([2, 3, 2], 'int64', dist=('int', 0, 3))], args={'dim': -1})
    fam.case('gather[float32 small index]', 'gather', [In([4, 5]), In([2, 3], 'int64', dist=('int', 0, 4))], args={'dim': 1})
    fam.case('gather[float32 noncontig-T]', 'gather', [In([4, 3], view=[T01]), In([3, 2], 'int64', dist=('int', 0, 3))], args={'dim': 1})
    fam.case('gather[float32 noncontig index]', 'gather', [In([3, 4]), In([4, 3], 'int64', dist=('int', 0, 2), view=[T01])],
             args={'dim': 0})
    fam.case('gather[float64 dim1]', 'gather', [In([3, 4], 'float64'), In([3, 2], 'int64', dist=('int', 0, 3))], args={'dim': 1})
    fam.case('gather[int64 dim1]', 'gather', [In([3, 4], 'int64', dist=('int', -9, 9)), In([3, 2], 'int64', dist=('int', 0, 3))],
             args={'dim': 1})

    def uniq_idx(rows, cols, n):
        # per column, distinct target rows -> deterministic scatter along dim 0
        return lambda s: torch.stack([torch.randperm(n)[:rows] for _ in range(cols)], 1)

    def uniq_idx1(rows, cols, n):
        return lambda s: torch.stack([torch.randperm(n)[:cols] for _ in range(rows)], 0)

    # scatter
    fam.case('scatter[float32 dim0]', 'scatter', [In([3, 5]), In([2, 5], 'int64', dist=uniq_idx(2, 5, 3)), In([2, 5])], args={'dim': 0})
    fam.case('scatter[float32 dim1]', 'scatter', [In([3, 5]), In([3, 2], 'int64', dist=uniq_idx1(3, 2, 5)), In([3, 2])], args={'dim': 1})
    fam.case('scatter[float32 src larger than index]', 'scatter', [In([3, 5]), In([2, 3], 'int64', dist=uniq_idx(2, 3, 3)),
                                                                       In([3, 4], grad=False)],  # torch 1.13 src-grad bug
             args={'dim': 0})
    fam.case('scatter[float32 noncontig]', 'scatter', [In([5, 3], view=[T01]), In([3, 2], 'int64', dist=uniq_idx1(3, 2, 5)),
                                                       In([2, 3], view=[T01])], args={'dim': 1})
    fam.case('scatter[float64 dim0]', 'scatter', [In([3, 4], 'float64'), In([2, 4], 'int64', dist=uniq_idx(2, 4, 3)), In([2, 4], 'float64')],
             args={'dim': 0})
    fam.case('scatter[int64 dim1]', 'scatter', [In([3, 4], 'int64', dist=('int', -9, 9)), In([3, 2], 'int64', dist=uniq_idx1(3, 2, 4)),
                                                In([3, 2], 'int64', dist=('int', 10, 20))], args={'dim': 1})
    fam.case('scatter[float32 value dim1]', 'scatter', [In([3, 5]), In([3, 2], 'int64', dist=('int', 0, 4))],
             args={'dim': 1, 'value': -7.5})
    fam.case('scatter[float64 value dim0]', 'scatter', [In([3, 4], 'float64'), In([2, 4], 'int64', dist=('int', 0, 2))],
             args={'dim': 0, 'value': 2.0})
    # scatterAdd
    fam.case('scatterAdd[float32 dim0 dups]', 'scatterAdd', [In([3, 4]), In([5, 4], 'int64', dist=('int', 0, 2)), In([5, 4])],
             args={'dim': 0})
    fam.case('scatterAdd[float32 dim1 dups]', 'scatterAdd', [In([2, 3]), In([2, 6], 'int64', dist=('int', 0, 2)), In([2, 6])],
             args={'dim': 1})
    fam.case('scatterAdd[float32 noncontig]', 'scatterAdd', [In([4, 3], view=[T01]), In([3, 5], 'int64', dist=('int', 0, 3)),
                                                             In([5, 3], view=[T01])], args={'dim': 1})
    fam.case('scatterAdd[float64 dim0]', 'scatterAdd', [In([3, 4], 'float64'), In([4, 4], 'int64', dist=('int', 0, 2)),
                                                        In([4, 4], 'float64')], args={'dim': 0})
    fam.case('scatterAdd[int64 dim0]', 'scatterAdd', [In([3, 2], 'int64', dist=('int', -9, 9)), In([4, 2], 'int64', dist=('int', 0, 2)),
                                                      In([4, 2], 'int64', dist=('int', -9, 9))], args={'dim': 0})
    # indexSelect
    fam.case('indexSelect[float32 dim0 dups]', 'indexSelect', [In([4, 3]), In([5], 'int64', dist=[3, 0, 3, 1, 3])], args={'dim': 0})
    fam.case('indexSelect[float32 dim1]', 'indexSelect', [In([3, 4]), In([2], 'int64', dist=[2, 0])], args={'dim': 1})
    fam.case('indexSelect[float32 3d dim-1]', 'indexSelect', [In([2, 3, 4]), In([3], 'int64', dist=[1, 1, 3])], args={'dim': -1})
    fam.case('indexSelect[float32 noncontig-T dim0]', 'indexSelect', [In([4, 3], view=[T01]), In([4], 'int64', dist=[2, 0, 1, 2])],
             args={'dim': 0})
    fam.case('indexSelect[float64 dim1]', 'indexSelect', [In([3, 4], 'float64'), In([3], 'int64', dist=[3, 2, 3])], args={'dim': 1})
    fam.case('indexSelect[int64 dim0]', 'indexSelect', [In([4, 2], 'int64', dist=('int', -9, 9)), In([3], 'int64', dist=[1, 3, 1])],
             args={'dim': 0})
    fam.case('indexSelect[bool dim0]', 'indexSelect', [In([3, 2], 'bool', dist='bool'), In([2], 'int64', dist=[2, 0])],
             args={'dim': 0})
    # maskedFill / maskedSelect
    fam.case('maskedFill[float32]', 'maskedFill', [In([3, 4]), In([3, 4], 'bool', dist='bool')], args={'value': 0.25})
    fam.case('maskedFill[float32 bcast mask]', 'maskedFill', [In([3, 4]), In([1, 4], 'bool', dist=[True, False, True, False])],
             args={'value': -2.0})
    fam.case('maskedFill[float32 -inf]', 'maskedFill', [In([2, 3, 3]), In([3, 3], 'bool', dist=lambda s: torch.ones(s, dtype=torch.bool).triu(1))],
             args={'value': -INF})
    fam.case('maskedFill[float32 noncontig]', 'maskedFill', [In([4, 3], view=[T01]), In([3, 4], 'bool', dist='bool')], args={'value': 1.0})
    fam.case('maskedFill[float64]', 'maskedFill', [In([2, 3], 'float64'), In([2, 3], 'bool', dist='bool')], args={'value': 3.5})
    fam.case('maskedFill[int64]', 'maskedFill', [In([2, 3], 'int64', dist=('int', -9, 9)), In([2, 3], 'bool', dist='bool')],
             args={'value': 7.0})
    fam.case('maskedSelect[float32]', 'maskedSelect', [In([3, 4]), In([3, 4], 'bool', dist='bool')])
    fam.case('maskedSelect[float32 bcast mask]', 'maskedSelect', [In([3, 4]), In([4], 'bool', dist=[True, False, True, True])])
    fam.case('maskedSelect[float32 bcast input]', 'maskedSelect', [In([4]), In([3, 4], 'bool', dist='bool')])
    fam.case('maskedSelect[float32 noncontig]', 'maskedSelect', [In([4, 3], view=[T01]), In([3, 4], 'bool', dist='bool')])
    fam.case('maskedSelect[float64]', 'maskedSelect', [In([2, 3], 'float64'), In([2, 3], 'bool', dist='bool')])
    fam.case('maskedSelect[int64]', 'maskedSelect', [In([2, 3], 'int64', dist=('int', -9, 9)), In([2, 3], 'bool', dist='bool')])
    fam.case('maskedSelect[float32 none selected]', 'maskedSelect', [In([2, 2]), In([2, 2], 'bool', dist=[False] * 4)])
    # index (advanced indexing on leading dims)
    fam.case('index[float32 1 idx dups]', 'index', [In([4, 3]), In([5], 'int64', dist=[0, 3, 3, 1, 0])])
    fam.case('index[float32 1 idx negative]', 'index', [In([4, 3]), In([3], 'int64', dist=[-1, 0, -4])])
    fam.case('index[float32 2 idx]', 'index', [In([4, 3]), In([5], 'int64', dist=[0, 3, 3, 1, 0]), In([5], 'int64', dist=[2, 0, 0, 1, 2])])
    fam.case('index[float32 2 idx bcast]', 'index', [In([4, 3]), In([2, 1], 'int64', dist=[1, 3]), In([3], 'int64', dist=[2, 0, 1])])
    fam.case('index[float32 3d 2 idx trailing]', 'index', [In([3, 4, 2]), In([4], 'int64', dist=[0, 2, 1, 2]), In([4], 'int64', dist=[3, 0, 3, 1])])
    fam.case('index[float32 2d idx]', 'index', [In([5, 2]), In([2, 3], 'int64', dist=[0, 4, 4, 1, 2, 0])])
    fam.case('index[float32 bool mask]', 'index', [In([3, 4]), In([3, 4], 'bool', dist='bool')])
    fam.case('index[float32 bool mask rows]', 'index', [In([4, 3]), In([4], 'bool', dist=[True, False, True, True])])
    fam.case('index[float32 noncontig]', 'index', [In([3, 4], view=[T01]), In([3], 'int64', dist=[3, 1, 3])])
    fam.case('index[float64 2 idx]', 'index', [In([3, 3], 'float64'), In([2], 'int64', dist=[2, 0]), In([2], 'int64', dist=[1, 1])])
    fam.case('index[int64 1 idx]', 'index', [In([4, 2], 'int64', dist=('int', -9, 9)), In([3], 'int64', dist=[3, 3, 0])])
    # cat / stack
    fam.case('cat[float32 dim0]', 'cat', [In([2, 3]), In([1, 3]), In([3, 3])], args={'dim': 0})
    fam.case('cat[float32 dim1]', 'cat', [In([2, 3]), In([2, 1]), In([2, 2])], args={'dim': 1})
    fam.case('cat[float32 3d dim-1]', 'cat', [In([2, 3, 1]), In([2, 3, 2])], args={'dim': -1})
    fam.case('cat[float32 noncontig]', 'cat', [In([3, 2], view=[T01]), In([2, 8], view=[V('slice', dim=1, start=0, end=8, step=2)])],
             args={'dim': 1})
    fam.case('cat[float32 with empty]', 'cat', [In([2, 3]), In([0, 3]), In([1, 3])], args={'dim': 0})
    fam.case('cat[float32 single]', 'cat', [In([2, 3])], args={'dim': 1})
    fam.case('cat[float64 dim0]', 'cat', [In([1, 2], 'float64'), In([2, 2], 'float64')], args={'dim': 0})
    fam.case('cat[int64 dim1]', 'cat', [In([2, 1], 'int64', dist=('int', 0, 9)), In([2, 2], 'int64', dist=('int', 0, 9))], args={'dim': 1})
    fam.case('cat[bool dim0]', 'cat', [In([1, 2], 'bool', dist='bool'), In([2, 2], 'bool', dist='bool')], args={'dim': 0})
    fam.case('stack[float32 dim0]', 'stack', [In([2, 3]), In([2, 3]), In([2, 3])], args={'dim': 0})
    fam.case('stack[float32 dim1]', 'stack', [In([2, 3]), In([2, 3])], args={'dim': 1})
    fam.case('stack[float32 dim-1]', 'stack', [In([2, 3]), In([2, 3])], args={'dim': -1})
    fam.case('stack[float32 noncontig]', 'stack', [In([3, 2], view=[T01]), In([2, 3])], args={'dim': 0})
    fam.case('stack[float32 0d]', 'stack', [In([]), In([]), In([])], args={'dim': 0})
    fam.case('stack[float64 dim2]', 'stack', [In([2, 2], 'float64'), In([2, 2], 'float64')], args={'dim': 2})
    fam.case('stack[int64 dim0]', 'stack', [In([3], 'int64', dist=('int', 0, 9)), In([3], 'int64', dist=('int', 0, 9))], args={'dim': 0})
    # split / chunk
    fam.case('split[float32 size2 dim0]', 'split', [In([5, 3])], args={'size': 2, 'dim': 0})
    fam.case('split[float32 size2 dim1]', 'split', [In([2, 6])], args={'size': 2, 'dim': 1})
    fam.case('split[float32 size>dim]', 'split', [In([2, 3])], args={'size': 5, 'dim': 1})
    fam.case('split[float32 sizes dim1]', 'split', [In([2, 6])], args={'sizes': [1, 3, 2], 'dim': 1})
    fam.case('split[float32 sizes with 0]', 'split', [In([4, 2])], args={'sizes': [2, 0, 2], 'dim': 0})
    fam.case('split[float32 noncontig]', 'split', [In([3, 4], view=[T01])], args={'size': 3, 'dim': 0})
    fam.case('split[float64 dim-1]', 'split', [In([2, 5], 'float64')], args={'size': 3, 'dim': -1})
    fam.case('split[int64 sizes]', 'split', [In([5], 'int64', dist=('int', 0, 9))], args={'sizes': [2, 3], 'dim': 0})
    fam.case('chunk[float32 3 of 5]', 'chunk', [In([5, 3])], args={'chunks': 3, 'dim': 0})
    fam.case('chunk[float32 4 of 6 -> 3]', 'chunk', [In([6, 2])], args={'chunks': 4, 'dim': 0})
    fam.case('chunk[float32 2 dim1]', 'chunk', [In([2, 4])], args={'chunks': 2, 'dim': 1})
    fam.case('chunk[float32 more chunks than size]', 'chunk', [In([2, 3])], args={'chunks': 5, 'dim': 1})
    fam.case('chunk[float32 noncontig]', 'chunk', [In([4, 5], view=[T01])], args={'chunks': 2, 'dim': 1})
    fam.case('chunk[int64]', 'chunk', [In([6], 'int64', dist=('int', 0, 9))], args={'chunks': 3, 'dim': 0})
    # sort / topk
    fam.case('sort[float32 dim-1 asc]', 'sort', [In([3, 5], dist='distinct')], args={'dim': -1, 'descending': False})
    fam.case('sort[float32 dim0 desc]', 'sort', [In([4, 3], dist='distinct')], args={'dim': 0, 'descending': True})
    fam.case('sort[float32 3d dim1]', 'sort', [In([2, 4, 3], dist='distinct')], args={'dim': 1, 'descending': False})
    fam.case('sort[float32 1d desc]', 'sort', [In([7], dist='distinct')], args={'dim': 0, 'descending': True})
    fam.case('sort[float32 noncontig-T]', 'sort', [In([5, 3], dist='distinct', view=[T01])], args={'dim': 1, 'descending': False})
    fam.case('sort[float32 noncontig-step]', 'sort', [In([2, 3, 8], dist='distinct', view=[V('slice', dim=2, start=0, end=8, step=2)])],
             args={'dim': -1, 'descending': True})
    fam.case('sort[float64 dim1]', 'sort', [In([3, 4], 'float64', dist='distinct')], args={'dim': 1, 'descending': False})
    fam.case('sort[int64 dim1]', 'sort', [In([3, 4], 'int64', dist=('perm', 12))], args={'dim': 1, 'descending': False})
    fam.case('sort[int32 dim0 desc]', 'sort', [In([4, 3], 'int32', dist=('perm', 12))], args={'dim': 0, 'descending': True})
    fam.case('sort[float32 nan inf]', 'sort', [In([5], dist=[1.0, NAN, -INF, INF, -2.0])], args={'dim': 0, 'descending': False},
             grad=False)
    fam.case('sort[float32 nan inf desc]', 'sort', [In([5], dist=[1.0, NAN, -INF, INF, -2.0])], args={'dim': 0, 'descending': True},
             grad=False)
    fam.case('topk[float32 k2 largest]', 'topk', [In([3, 5], dist='distinct')], args={'k': 2, 'dim': -1, 'largest': True, 'sorted': True})
    fam.case('topk[float32 k3 smallest]', 'topk', [In([3, 5], dist='distinct')], args={'k': 3, 'dim': 1, 'largest': False, 'sorted': True})
    fam.case('topk[float32 k2 dim0]', 'topk', [In([4, 3], dist='distinct')], args={'k': 2, 'dim': 0, 'largest': True, 'sorted': True})
    fam.case('topk[float32 k=n]', 'topk', [In([6], dist='distinct')], args={'k': 6, 'dim': 0, 'largest': True, 'sorted': True})
    fam.case('topk[float32 noncontig-T]', 'topk', [In([5, 3], dist='distinct', view=[T01])],
             args={'k': 2, 'dim': 1, 'largest': True, 'sorted': True})
    fam.case('topk[float64 k1]', 'topk', [In([2, 4], 'float64', dist='distinct')], args={'k': 1, 'dim': 1, 'largest': True, 'sorted': True})
    fam.case('topk[int64 k2]', 'topk', [In([3, 4], 'int64', dist=('perm', 12))], args={'k': 2, 'dim': 1, 'largest': True, 'sorted': True})
    fam.case('topk[float32 unsorted]', 'topk', [In([3, 6], dist='distinct')], args={'k': 3, 'dim': 1, 'largest': True, 'sorted': False},
             grad=False, unordered=True)
    # oneHot
    fam.case('oneHot[int64 1d]', 'oneHot', [In([5], 'int64', dist=[0, 3, 1, 3, 2])], args={'num_classes': 4})
    fam.case('oneHot[int64 2d]', 'oneHot', [In([2, 3], 'int64', dist=[4, 0, 1, 2, 2, 3])], args={'num_classes': 5})
    fam.case('oneHot[int64 infer classes]', 'oneHot', [In([4], 'int64', dist=[0, 2, 1, 2])], args={'num_classes': -1})
    fam.case('oneHot[int64 noncontig]', 'oneHot', [In([3, 2], 'int64', dist=[0, 1, 2, 0, 1, 2], view=[T01])], args={'num_classes': 3})
    return fam


def gen_views():
    fam = Family('views')

    def c(name, op, inputs, args=None, **kw):
        fam.case(name, op, inputs, args=args, check_contiguous=True, **kw)

    c('view[float32 2x6->3x4]', 'view', [In([2, 6])], {'shape': [3, 4]})
    c('view[float32 -1]', 'view', [In([2, 3, 4])], {'shape': [6, -1]})
    c('view[float32 to 0d]', 'view', [In([1, 1])], {'shape': []})
    c('view[float32 0d to 1]', 'view', [In([])], {'shape': [1]})
    c('view[float32 narrow rows]', 'view', [In([4, 6], view=[V('narrow', dim=0, start=1, length=2)])], {'shape': [3, 4]})
    c('view[float32 split last dim of T]', 'view', [In([4, 6], view=[T01])], {'shape': [3, 2, 4]})
    c('view[float64]', 'view', [In([2, 3], 'float64')], {'shape': [3, 2]})
    c('view[int64]', 'view', [In([2, 3], 'int64', dist=('int', 0, 9))], {'shape': [6]})
    c('reshape[float32 contiguous]', 'reshape', [In([2, 6])], {'shape': [4, 3]})
    c('reshape[float32 -1]', 'reshape', [In([2, 3, 4])], {'shape': [-1, 4]})
    c('reshape[float32 noncontig-T copy]', 'reshape', [In([3, 4], view=[T01])], {'shape': [12]})
    c('reshape[float32 noncontig-step copy]', 'reshape', [In(**NONCONTIG_STEP)], {'shape': [3, -1]})
    c('reshape[float32 expand]', 'reshape', [In(**EXPAND)], {'shape': [2, 6]})
    c('reshape[bool]', 'reshape', [In([2, 3], 'bool', dist='bool')], {'shape': [3, 2]})
    c('transpose[float32 2d]', 'transpose', [In([3, 4])], {'dim0': 0, 'dim1': 1})
    c('transpose[float32 3d 0,2]', 'transpose', [In([2, 3, 4])], {'dim0': 0, 'dim1': 2})
    c('transpose[float32 negative dims]', 'transpose', [In([2, 3, 4])], {'dim0': -1, 'dim1': -2})
    c('transpose[float32 same dim]', 'transpose', [In([2, 3])], {'dim0': 1, 'dim1': 1})
    c('transpose[float32 twice -> contiguous]', 'transpose', [In([3, 4], view=[T01])], {'dim0': 0, 'dim1': 1})
    c('transpose[int64]', 'transpose', [In([2, 3], 'int64', dist=('int', 0, 9))], {'dim0': 0, 'dim1': 1})
    c('permute[float32 3d]', 'permute', [In([2, 3, 4])], {'dims': [2, 0, 1]})
    c('permute[float32 negative]', 'permute', [In([2, 3, 4])], {'dims': [-1, 1, 0]})
    c('permute[float32 identity]', 'permute', [In([2, 3])], {'dims': [0, 1]})
    c('permute[float32 noncontig]', 'permute', [In(**NONCONTIG_STEP)], {'dims': [1, 2, 0]})
    c('permute[float64 4d]', 'permute', [In([2, 1, 3, 2], 'float64')], {'dims': [3, 1, 0, 2]})
    c('t[float32 2d]', 't', [In([3, 4])])
    c('t[float32 1d]', 't', [In([4])])
    c('t[float32 noncontig]', 't', [In([3, 8], view=[V('slice', dim=1, start=0, end=8, step=2)])])
    c('squeeze[float32 all]', 'squeeze', [In([1, 3, 1, 4])])
    c('squeeze[float32 dim]', 'squeeze', [In([1, 3, 1, 4])], {'dim': 2})
    c('squeeze[float32 non-1 dim no-op]', 'squeeze', [In([1, 3, 1, 4])], {'dim': 1})
    c('squeeze[float32 negative dim]', 'squeeze', [In([3, 1])], {'dim': -1})
    c('squeeze[float32 to 0d]', 'squeeze', [In([1, 1])])
    c('squeeze[float32 noncontig]', 'squeeze', [In([4, 1, 3], view=[V('transpose', dim0=0, dim1=2)])])
    c('unsqueeze[float32 0]', 'unsqueeze', [In([3, 4])], {'dim': 0})
    c('unsqueeze[float32 -1]', 'unsqueeze', [In([3, 4])], {'dim': -1})
    c('unsqueeze[float32 middle]', 'unsqueeze', [In([3, 4])], {'dim': 1})
    c('unsqueeze[float32 0d]', 'unsqueeze', [In([])], {'dim': 0})
    c('unsqueeze[float32 noncontig]', 'unsqueeze', [In([4, 3], view=[T01])], {'dim': 1})
    c('expand[float32 3x1->3x4]', 'expand', [In([3, 1])], {'shape': [3, 4]})
    c('expand[float32 new leading dims]', 'expand', [In([1, 4])], {'shape': [2, 3, 4]})
    c('expand[float32 -1]', 'expand', [In([3, 1])], {'shape': [2, -1, 5]})
    c('expand[float32 0d]', 'expand', [In([])], {'shape': [2, 3]})
    c('expand[float32 same shape]', 'expand', [In([2, 3])], {'shape': [2, 3]})
    c('expand[float32 noncontig]', 'expand', [In([1, 6], view=[V('slice', dim=1, start=0, end=6, step=2)])], {'shape': [4, 3]})
    c('expand[int64]', 'expand', [In([3, 1], 'int64', dist=('int', 0, 9))], {'shape': [3, 2]})
    c('narrow[float32 dim0]', 'narrow', [In([5, 3])], {'dim': 0, 'start': 1, 'length': 3})
    c('narrow[float32 dim1]', 'narrow', [In([3, 5])], {'dim': 1, 'start': 2, 'length': 2})
    c('narrow[float32 negative start]', 'narrow', [In([3, 5])], {'dim': 1, 'start': -3, 'length': 2})
    c('narrow[float32 length 0]', 'narrow', [In([3, 5])], {'dim': 0, 'start': 1, 'length': 0})
    c('narrow[float32 noncontig]', 'narrow', [In([5, 4], view=[T01])], {'dim': 1, 'start': 1, 'length': 3})
    c('select[float32 dim0]', 'select', [In([3, 4])], {'dim': 0, 'index': 1})
    c('select[float32 dim1]', 'select', [In([3, 4])], {'dim': 1, 'index': 2})
    c('select[float32 negative index]', 'select', [In([3, 4])], {'dim': 0, 'index': -1})
    c('select[float32 to 0d]', 'select', [In([4])], {'dim': 0, 'index': 3})
    c('select[float32 3d dim-1]', 'select', [In([2, 3, 4])], {'dim': -1, 'index': 0})
    c('select[float32 noncontig]', 'select', [In([4, 3], view=[T01])], {'dim': 0, 'index': 2})
    c('select[int64]', 'select', [In([3, 4], 'int64', dist=('int', 0, 9))], {'dim': 1, 'index': 0})
    c('slice[float32 step2]', 'slice', [In([3, 8])], {'dim': 1, 'start': 0, 'end': 8, 'step': 2})
    c('slice[float32 step3 offset]', 'slice', [In([10, 2])], {'dim': 0, 'start': 1, 'end': 9, 'step': 3})
    c('slice[float32 negative start/end]', 'slice', [In([3, 8])], {'dim': 1, 'start': -6, 'end': -1, 'step': 2})
    c('slice[float32 end beyond size]', 'slice', [In([3, 5])], {'dim': 1, 'start': 1, 'end': 100, 'step': 1})
    c('slice[float32 empty]', 'slice', [In([3, 5])], {'dim': 1, 'start': 4, 'end': 2, 'step': 1})
    c('slice[float32 contiguous rows]', 'slice', [In([6, 3])], {'dim': 0, 'start': 2, 'end': 5, 'step': 1})
    c('slice[float32 of slice]', 'slice', [In([3, 12], view=[V('slice', dim=1, start=1, end=12, step=2)])],
      {'dim': 1, 'start': 1, 'end': 6, 'step': 2})
    c('slice[float32 of transpose]', 'slice', [In([6, 3], view=[T01])], {'dim': 1, 'start': 0, 'end': 6, 'step': 4})
    c('slice[float64 3d]', 'slice', [In([2, 6, 2], 'float64')], {'dim': 1, 'start': 1, 'end': 6, 'step': 2})
    c('slice[int64]', 'slice', [In([7], 'int64', dist=('int', 0, 9))], {'dim': 0, 'start': 0, 'end': 7, 'step': 3})
    c('flatten[float32 all]', 'flatten', [In([2, 3, 4])])
    c('flatten[float32 1..2]', 'flatten', [In([2, 3, 4, 2])], {'start': 1, 'end': 2})
    c('flatten[float32 negative]', 'flatten', [In([2, 3, 4])], {'start': -2, 'end': -1})
    c('flatten[float32 0d]', 'flatten', [In([])])
    c('flatten[float32 noncontig copy]', 'flatten', [In([3, 4], view=[T01])])
    c('flatten[float32 noncontig keeps view]', 'flatten', [In([2, 3, 8], view=[V('slice', dim=2, start=0, end=8, step=2)])],
      {'start': 0, 'end': 1})
    c('unflatten[float32 dim1]', 'unflatten', [In([2, 6])], {'dim': 1, 'sizes': [2, 3]})
    c('unflatten[float32 -1 size]', 'unflatten', [In([2, 6])], {'dim': 1, 'sizes': [-1, 2]})
    c('unflatten[float32 negative dim]', 'unflatten', [In([12, 2])], {'dim': -2, 'sizes': [3, 2, 2]})
    c('unflatten[float32 noncontig]', 'unflatten', [In([6, 2], view=[T01])], {'dim': 1, 'sizes': [3, 2]})
    c('contiguous[float32 T]', 'contiguous', [In([3, 4], view=[T01])])
    c('contiguous[float32 already]', 'contiguous', [In([3, 4])])
    c('contiguous[float32 step]', 'contiguous', [In(**NONCONTIG_STEP)])
    c('contiguous[float32 expand]', 'contiguous', [In(**EXPAND)])
    c('contiguous[int64 T]', 'contiguous', [In([2, 3], 'int64', dist=('int', 0, 9), view=[T01])])
    c('contiguous[bool T]', 'contiguous', [In([2, 3], 'bool', dist='bool', view=[T01])])
    # chains of views feeding a view, gradient flows back through all of them
    c('select[float32 chain permute+slice]', 'select',
      [In([4, 3, 6], view=[V('permute', dims=[2, 0, 1]), V('slice', dim=0, start=1, end=6, step=2)])], {'dim': 2, 'index': 1})
    c('expand[float32 chain unsqueeze]', 'expand', [In([3], view=[V('unsqueeze', dim=1)])], {'shape': [3, 4]})
    c('view[float32 chain narrow+unsqueeze]', 'view', [In([3, 4], view=[V('narrow', dim=0, start=1, length=2), V('unsqueeze', dim=0)])],
      {'shape': [8]})
    return fam


def gen_promotion():
    fam = Family('promotion')
    sf = lambda v: {'scalar': v, 'scalar_type': 'float'}  # noqa: E731
    si = lambda v: {'scalar': v, 'scalar_type': 'int'}    # noqa: E731
    i32 = lambda s=(3,): In(list(s), 'int32', dist=('int', -9, 9))  # noqa: E731
    i64 = lambda s=(3,): In(list(s), 'int64', dist=('int', -9, 9))  # noqa: E731
    u8 = lambda s=(3,): In(list(s), 'uint8', dist=('int', 0, 255))  # noqa: E731
    b = lambda s=(3,): In(list(s), 'bool', dist='bool')  # noqa: E731
    f32 = lambda s=(3,): In(list(s))  # noqa: E731
    f64 = lambda s=(3,): In(list(s), 'float64')  # noqa: E731
    z = lambda dt, dist='randn': In([], dt, dist=dist)  # noqa: E731

    fam.case('add[int32 + float scalar -> float32]', 'add', [i32()], sf(2.5))
    fam.case('add[int32 + int scalar -> int32]', 'add', [i32()], si(7))
    fam.case('mul[int64 * float scalar -> float32]', 'mul', [i64()], sf(2.5))
    fam.case('add[int64 + float32 -> float32]', 'add', [i64(), f32()])
    fam.case('add[float32 + int64 -> float32]', 'add', [f32(), i64()])
    fam.case('mul[float32 * float64 -> float64]', 'mul', [f32(), f64()])
    fam.case('add[uint8 + int32 -> int32]', 'add', [u8(), i32()])
    fam.case('add[uint8 + int64 -> int64]', 'add', [u8(), i64()])
    fam.case('add[uint8 + int scalar wraps]', 'add', [In([3], 'uint8', dist=[200, 10, 255])], si(100))
    fam.case('sub[uint8 - int scalar wraps]', 'sub', [In([3], 'uint8', dist=[200, 10, 0])], si(20))
    fam.case('add[uint8 + bool -> uint8]', 'add', [u8(), b()])
    fam.case('mul[uint8 * bool -> uint8]', 'mul', [u8(), b()])
    fam.case('add[bool + int32 -> int32]', 'add', [b(), i32()])
    fam.case('add[bool + int64 -> int64]', 'add', [b((2, 3)), i64((3,))])
    fam.case('add[bool + bool -> bool]', 'add', [In([4], 'bool', dist=[True, True, False, False]),
                                                  In([4], 'bool', dist=[True, False, True, False])])
    fam.case('mul[bool * bool -> bool]', 'mul', [In([4], 'bool', dist=[True, True, False, False]),
                                                  In([4], 'bool', dist=[True, False, True, False])])
    fam.case('add[bool + int scalar -> int64]', 'add', [b()], si(2))
    fam.case('mul[bool * float scalar -> float32]', 'mul', [b()], sf(1.5))
    fam.case('add[bool + float32 -> float32]', 'add', [b(), f32()])
    fam.case('div[int64 / int64 -> float32]', 'div', [i64((4,)), In([4], 'int64', dist=[2, -3, 4, 7])])
    fam.case('div[int32 / int32 -> float32]', 'div', [i32((4,)), In([4], 'int32', dist=[2, -3, 4, 7])])
    fam.case('div[int64 / int scalar -> float32]', 'div', [i64((4,))], si(4))
    fam.case('div[int64 / 0 -> inf]', 'div', [In([3], 'int64', dist=[1, -1, 0]), In([3], 'int64', dist=[0, 0, 0])])
    fam.case('div[bool / bool -> float32]', 'div', [In([2], 'bool', dist=[True, False]), In([2], 'bool', dist=[True, True])])
    fam.case('add[0d float64 + float32 -> float32]', 'add', [z('float64'), f32((2, 3))])
    fam.case('add[float32 + 0d float64 -> float32]', 'add', [f32((2, 3)), z('float64')])
    fam.case('mul[0d int64 * int32 -> int32]', 'mul', [z('int64', [5]), i32((2, 3))])
    fam.case('add[0d float64 + int32 -> float64]', 'add', [z('float64'), i32((2, 3))])
    fam.case('add[0d float32 + int64 -> float32]', 'add', [z('float32'), i64((2, 3))])
    fam.case('add[0d int64 + float32 -> float32]', 'add', [z('int64', [3]), f32((2, 3))])
    fam.case('add[0d int32 + 0d int64 -> int64]', 'add', [z('int32', [3]), z('int64', [4])])
    fam.case('add[0d float64 + 0d float32 -> float64]', 'add', [z('float64'), z('float32')])
    fam.case('add[0d bool + uint8 -> uint8]', 'add', [z('bool', [True]), u8()])
    fam.case('add[float64 + float scalar -> float64]', 'add', [f64()], sf(0.1))
    fam.case('add[float32 + float scalar 0.1]', 'add', [f32()], sf(0.1))
    fam.case('mul[float32 * int scalar -> float32]', 'mul', [f32()], si(3))
    fam.case('pow[int64 ** float scalar -> float32]', 'pow', [In([4], 'int64', dist=[0, 1, 4, 9])], sf(0.5))
    fam.case('pow[float32 ** int64 -> float32]', 'pow', [In([3], dist='pos'), In([3], 'int64', dist=[0, 2, 3])])
    fam.case('pow[int32 ** int scalar -> int32]', 'pow', [i32()], si(2))
    fam.case('remainder[int64 % float scalar -> float32]', 'remainder', [In([4], 'int64', dist=[5, -5, 7, 0])], sf(1.5))
    fam.case('remainder[int32 % int64 -> int64]', 'remainder', [In([4], 'int32', dist=[5, -5, 7, 0]), In([4], 'int64', dist=[3, 3, -2, 4])])
    fam.case('sub[int64 - float64 -> float64]', 'sub', [i64(), f64()])
    fam.case('maximum[int32 vs float32 -> float32]', 'maximum', [i32((4,)), In([4], dist=[0.5, -20.0, 3.25, 100.0])])
    fam.case('minimum[uint8 vs int64 -> int64]', 'minimum', [u8(), i64()])
    fam.case('eq[int64 vs float32 -> bool]', 'eq', [In([3], 'int64', dist=[2, 3, -1]), In([3], dist=[2.0, 3.5, -1.0])])
    fam.case('lt[int32 vs float scalar]', 'lt', [In([3], 'int32', dist=[2, 3, -1])], sf(2.5))
    fam.case('ge[uint8 vs int32]', 'ge', [In([3], 'uint8', dist=[0, 200, 5]), In([3], 'int32', dist=[-1, 300, 5])])
    fam.case('eq[bool vs int64]', 'eq', [In([3], 'bool', dist=[True, False, True]), In([3], 'int64', dist=[1, 0, 2])])
    fam.case('where[int32 vs float64 -> float64]', 'where', [b((2, 3)), i32((2, 3)), f64((2, 3))])
    fam.case('where[int64 vs int32 -> int64]', 'where', [b((2, 3)), i64((2, 3)), i32((2, 3))])
    fam.case('where[float32 vs 0d float64 -> float32]', 'where', [b((2, 3)), f32((2, 3)), z('float64')])
    fam.case('cat[int32 + float32 -> float32]', 'cat', [i32((2,)), f32((3,))], {'dim': 0})
    fam.case('cat[int64 + float64 -> float64]', 'cat', [i64((2,)), f64((1,))], {'dim': 0})
    fam.case('cat[bool + int32 -> int32]', 'cat', [b((2,)), i32((2,))], {'dim': 0})
    fam.case('stack[int32 + int64 -> int64]', 'stack', [i32((2,)), i64((2,))], {'dim': 0})
    fam.case('clamp[int64 float bounds -> float32]', 'clamp', [i64((4,))], {'min': -2.5, 'max': 3.5})
    fam.case('maskedFill[int64 float value]', 'maskedFill', [In([3], 'int64', dist=[1, 2, 3]),
                                                             In([3], 'bool', dist=[True, False, True])], {'value': 2.0})
    fam.case('maskedFill[bool]', 'maskedFill', [In([3], 'bool', dist=[True, False, False]),
                                                In([3], 'bool', dist=[False, False, True])], {'value': 1.0})
    for op in ['exp', 'sqrt', 'sigmoid', 'log', 'sin', 'tanh', 'erf']:
        fam.case(f'{op}[int64 -> float32]', op, [In([4], 'int64', dist=[0, 1, 2, 9])])
    fam.case('sqrt[bool -> float32]', 'sqrt', [In([2], 'bool', dist=[True, False])])
    fam.case('exp[uint8 -> float32]', 'exp', [In([2], 'uint8', dist=[0, 3])])
    fam.case('exp[int32 -> float32]', 'exp', [In([2], 'int32', dist=[0, -3])])
    fam.case('neg[uint8 wraps]', 'neg', [In([3], 'uint8', dist=[0, 1, 200])])
    fam.case('abs[int32 min value]', 'abs', [In([2], 'int32', dist=[-2147483648, -5])])
    fam.case('add[int32 overflow wraps]', 'add', [In([2], 'int32', dist=[2147483647, -2147483648])], si(1))
    fam.case('add[int64 overflow wraps]', 'add', [In([1], 'int64', dist=[9223372036854775807])], si(1))
    fam.case('sum[int32 -> int64 no overflow]', 'sum', [In([3], 'int32', dist=[2147483647, 2147483647, 10])])
    fam.case('sum[bool -> int64]', 'sum', [b((5,))])
    fam.case('sum[uint8 -> int64]', 'sum', [In([3], 'uint8', dist=[255, 255, 3])])
    fam.case('prod[int32 -> int64]', 'prod', [In([3], 'int32', dist=[100000, 100000, 3])])
    fam.case('cumsum[int32 -> int64]', 'cumsum', [In([3], 'int32', dist=[2147483647, 1, 1])], {'dim': 0})
    fam.case('mean[float64 stays float64]', 'mean', [f64((2, 3))])
    fam.case('argmax[int32 -> int64]', 'argmax', [In([3], 'int32', dist=[1, 9, 2])])
    fam.case('max[uint8 dim0 values uint8]', 'max', [In([3, 2], 'uint8', dist=[0, 200, 255, 1, 3, 2])], {'dim': 0, 'keepdim': False})
    # conversions
    fam.case('to[float32 -> int64 trunc]', 'to', [In([6], dist=[-2.7, 2.7, -0.5, 0.5, 1e9, -3.0])], {'dtype': 'int64'})
    fam.case('to[float32 -> int32 trunc]', 'to', [In([4], dist=[-2.7, 2.7, -0.5, 100.99])], {'dtype': 'int32'})
    fam.case('to[float32 -> bool]', 'to', [In([5], dist=[0.0, -0.0, 0.1, NAN, -INF])], {'dtype': 'bool'})
    fam.case('to[int64 -> uint8 wraps]', 'to', [In([4], 'int64', dist=[300, -1, 255, 256])], {'dtype': 'uint8'})
    fam.case('to[int64 -> int32 wraps]', 'to', [In([2], 'int64', dist=[4294967297, -4294967297])], {'dtype': 'int32'})
    fam.case('to[int64 -> bool]', 'to', [In([3], 'int64', dist=[0, 2, -1])], {'dtype': 'bool'})
    fam.case('to[bool -> float32]', 'to', [In([2], 'bool', dist=[True, False])], {'dtype': 'float32'})
    fam.case('to[uint8 -> int32]', 'to', [In([2], 'uint8', dist=[255, 0])], {'dtype': 'int32'})
    fam.case('to[int32 -> float32]', 'to', [In([3], 'int32', dist=[16777217, -7, 0])], {'dtype': 'float32'})
    fam.case('to[float32 -> float64 grad]', 'to', [In([2, 3])], {'dtype': 'float64'})
    fam.case('to[float64 -> float32 rounding grad]', 'to', [In([3], 'float64', dist=[0.1, 1.0 / 3.0, 1e-50])], {'dtype': 'float32'})
    fam.case('to[float32 -> float32 same]', 'to', [In([3])], {'dtype': 'float32'})
    fam.case('to[float32 noncontig -> float64]', 'to', [In([4, 3], view=[T01])], {'dtype': 'float64'})
    return fam


def gen_autograd():
    """Gradient accumulation (a leaf used more than once) and PyTorch's subgradient conventions at points where
    the math is not differentiable (relu/abs at 0, clamp at its bounds, ties in max/amax/maximum, zeros in
    prod/norm/pow), which decide what training code sees."""
    fam = Family('autograd')
    fam.case('mul[x * x]', 'mul', [In([3, 4]), Same(0)])
    fam.case('add[x + x.t()]', 'add', [In([3, 3]), Same(0, view=[T01])])
    fam.case('sub[x - x]', 'sub', [In([2, 3]), Same(0)])
    fam.case('matmul[x @ x.t()]', 'matmul', [In([3, 4]), Same(0, view=[T01])])
    fam.case('mul[x.expand * x.t().expand]', 'mul', [In([1, 3], view=[V('expand', shape=[3, 3])]), Same(0, view=[T01, V('expand', shape=[3, 3])])])
    fam.case('cat[x, x.t(), x]', 'cat', [In([2, 2]), Same(0, view=[T01]), Same(0)], {'dim': 0})
    fam.case('stack[x, x.slice]', 'stack', [In([2, 4], view=[V('slice', dim=1, start=0, end=4, step=2)]),
                                             Same(0, view=[V('slice', dim=1, start=1, end=4, step=2)])], {'dim': 0})
    fam.case('where[x, x via flatten+view]', 'where', [In([2, 3], 'bool', dist='bool'), In([2, 3]), Same(1, view=[V('flatten'), V('view', shape=[2, 3])])])
    fam.case('maximum[x[0:2] vs x[1:3]]', 'maximum', [In([3, 3], dist='distinct', view=[V('narrow', dim=0, start=0, length=2)]),
                                                       Same(0, view=[V('narrow', dim=0, start=1, length=2)])])
    fam.case('pow[x ** x]', 'pow', [In([2, 3], dist='pos'), Same(0)])
    fam.case('mul[x * x.select(0, 1)]', 'mul', [In([3, 3]), Same(0, view=[V('select', dim=0, index=1)])])
    fam.case('float64 mul[x * x]', 'mul', [In([2, 3], 'float64'), Same(0)])
    # subgradients
    fam.case('relu[subgrad at 0]', 'relu', [In([5], dist=[-1.0, 0.0, -0.0, 2.0, 0.0])])
    fam.case('abs[subgrad at 0]', 'abs', [In([4], dist=[-1.0, 0.0, -0.0, 2.0])])
    fam.case('clamp[subgrad at bounds]', 'clamp', [In([6], dist=[-0.5, 0.5, 0.0, 1.0, -1.0, 0.49])], {'min': -0.5, 'max': 0.5})
    fam.case('clampMin[subgrad at bound]', 'clampMin', [In([3], dist=[-0.5, 0.5, -1.0])], {'min': -0.5})
    fam.case('clampMax[subgrad at bound]', 'clampMax', [In([3], dist=[-0.5, 0.5, 1.0])], {'max': 0.5})
    # no maximum/minimum ties: torch 1.13 gives both operands the full gradient there, later versions split it
    fam.case('max[all ties]', 'max', [In([2, 3], dist=[1.0, 3.0, 3.0, -1.0, 3.0, 0.0])])
    fam.case('max[dim ties]', 'max', [In([2, 3], dist=[1.0, 3.0, 3.0, -1.0, 2.0, 2.0])], {'dim': 1, 'keepdim': False})
    fam.case('min[dim ties]', 'min', [In([2, 3], dist=[1.0, 0.5, 0.5, -1.0, -1.0, 2.0])], {'dim': 1, 'keepdim': False})
    fam.case('amax[dim ties]', 'amax', [In([2, 3], dist=[1.0, 3.0, 3.0, -1.0, 2.0, 2.0])], {'dim': 1, 'keepdim': False})
    fam.case('amin[all ties]', 'amin', [In([2, 3], dist=[1.0, 0.5, 0.5, -1.0, -1.0, 2.0])])
    fam.case('norm[p2 zero vector]', 'norm', [In([3], dist=[0.0, 0.0, 0.0])])
    fam.case('norm[p2 zero row dim1]', 'norm', [In([2, 2], dist=[0.0, 0.0, 3.0, 4.0])], {'p': 2.0, 'dims': [1], 'keepdim': False})
    fam.case('prod[two zeros]', 'prod', [In([2, 3], dist=[0.0, 2.0, 0.0, 1.5, 0.0, -2.0])], {'dim': 1, 'keepdim': False})
    fam.case('prod[all with one zero]', 'prod', [In([4], dist=[1.5, 0.0, -2.0, 3.0])])
    fam.case('pow[zero base, tensor exponent]', 'pow', [In([4], dist=[0.0, 0.0, 2.0, 1.5]), In([4], dist=[2.0, 0.5, 1.0, 0.0])])
    fam.case('pow[zero base, scalar 2]', 'pow', [In([3], dist=[0.0, -1.0, 2.0])], {'scalar': 2.0, 'scalar_type': 'float'})
    fam.case('pow[scalar 0 exponent at 0]', 'pow', [In([3], dist=[0.0, -1.0, 2.0])], {'scalar': 0.0, 'scalar_type': 'float'})
    fam.case('sqrt[at 0]', 'sqrt', [In([3], dist=[0.0, 1.0, 4.0])])
    fam.case('log[at 0]', 'log', [In([2], dist=[0.0, 1.0])])
    fam.case('sign[grad zero]', 'sign', [In([3], dist=[0.0, -2.0, 2.0])])
    fam.case('remainder[exact multiples]', 'remainder', [In([4], dist=[3.0, -3.0, 4.5, -4.5]), In([4], dist=[1.5, 1.5, -1.5, -1.5])])
    fam.case('softplus[above threshold]', 'softplus', [In([3], dist=[20.0, 20.5, 30.0])])
    return fam


def gen_errors():
    fam = Family('errors')
    e = lambda name, op, inputs, args=None: fam.case(name, op, inputs, args=args, error=True, grad=False)  # noqa: E731
    e('add[broadcast mismatch]', 'add', [In([3, 4]), In([3, 5])])
    e('mul[broadcast mismatch 3d]', 'mul', [In([2, 3, 4]), In([3, 2, 4])])
    e('view[incompatible with strides]', 'view', [In([3, 4], view=[T01])], {'shape': [12]})
    e('view[wrong numel]', 'view', [In([3, 4])], {'shape': [5, 2]})
    e('view[two -1]', 'view', [In([3, 4])], {'shape': [-1, -1]})
    e('reshape[wrong numel]', 'reshape', [In([3, 4])], {'shape': [7, -1]})
    e('matmul[inner mismatch]', 'matmul', [In([3, 4]), In([5, 2])])
    e('matmul[batch mismatch]', 'matmul', [In([2, 3, 4]), In([3, 4, 2])])
    e('mm[3d input]', 'mm', [In([2, 3, 4]), In([4, 2])])
    e('bmm[2d input]', 'bmm', [In([3, 4]), In([4, 2])])
    e('dot[length mismatch]', 'dot', [In([3]), In([4])])
    e('dot[dtype mismatch]', 'dot', [In([3]), In([3], 'float64')])
    e('cat[shape mismatch]', 'cat', [In([2, 3]), In([2, 4])], {'dim': 0})
    e('stack[shape mismatch]', 'stack', [In([2, 3]), In([3, 2])], {'dim': 0})
    e('mean[int64]', 'mean', [In([3], 'int64', dist=[1, 2, 3])])
    e('pow[int negative int exponent]', 'pow', [In([3], 'int64', dist=[1, 2, 3])], {'scalar': -1, 'scalar_type': 'int'})
    e('indexSelect[index out of range]', 'indexSelect', [In([3, 2]), In([2], 'int64', dist=[0, 3])], {'dim': 0})
    e('gather[index out of range]', 'gather', [In([3, 2]), In([1, 2], 'int64', dist=[0, 2])], {'dim': 1})
    e('gather[float index]', 'gather', [In([3, 2]), In([1, 2], dist=[0.0, 1.0])], {'dim': 1})
    e('index[out of range]', 'index', [In([3, 2]), In([2], 'int64', dist=[0, 3])])
    e('expand[non-singleton]', 'expand', [In([3, 2])], {'shape': [3, 4]})
    e('select[index out of range]', 'select', [In([3, 2])], {'dim': 0, 'index': 3})
    e('transpose[dim out of range]', 'transpose', [In([3, 2])], {'dim0': 0, 'dim1': 2})
    e('sum[dim out of range]', 'sum', [In([3, 2])], {'dim': 2, 'keepdim': False})
    e('squeeze[dim out of range]', 'squeeze', [In([3, 1])], {'dim': 2})
    e('narrow[out of range]', 'narrow', [In([3, 2])], {'dim': 0, 'start': 2, 'length': 2})
    e('oneHot[class out of range]', 'oneHot', [In([2], 'int64', dist=[0, 4])], {'num_classes': 3})
    e('oneHot[float input]', 'oneHot', [In([2], dist=[0.0, 1.0])], {'num_classes': 3})
    e('where[non-bool condition]', 'where', [In([3]), In([3]), In([3])])
    e('topk[k too large]', 'topk', [In([3])], {'k': 4, 'dim': 0, 'largest': True, 'sorted': True})
    e('split[sizes do not sum]', 'split', [In([5])], {'sizes': [2, 2], 'dim': 0})
    e('unflatten[sizes do not match]', 'unflatten', [In([2, 6])], {'dim': 1, 'sizes': [4, 2]})
    e('logicalAnd[broadcast mismatch]', 'logicalAnd', [In([3], 'bool', dist='bool'), In([2], 'bool', dist='bool')])
    e('scatter[index out of range]', 'scatter', [In([3]), In([2], 'int64', dist=[0, 5]), In([2])], {'dim': 0})
    e('permute[repeated dim]', 'permute', [In([2, 3])], {'dims': [0, 0]})
    return fam


def main():
    families = [gen_elementwise(), gen_reductions(), gen_linalg(), gen_indexing(), gen_views(), gen_promotion(), gen_autograd(),
                gen_errors()]
    total = 0
    for fam in families:
        path, n, size = fam.write()
        total += size
        print(f'{os.path.relpath(path)}: {n} cases, {size / 1024:.1f} KiB')
    print(f'total {total / 1024:.1f} KiB, torch {torch.__version__}')
    if total > 3 * 1024 * 1024:
        print('WARNING: fixtures exceed 3 MB', file=sys.stderr)


if __name__ == '__main__':
    main()
