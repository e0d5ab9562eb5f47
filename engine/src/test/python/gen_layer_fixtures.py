#!/usr/bin/env python3
"""PyTorch reference fixtures for Trainyard's nn layers (convolution, pooling, normalization, recurrent, attention).

Regenerate (from the repository root) with:

    /usr/bin/python3 engine/src/test/python/gen_layer_fixtures.py

Needs PyTorch (Debian package `python3-torch`) and NumPy. It rewrites
engine/src/test/resources/fixtures/layers/<family>.json; the JUnit side lives in
engine/src/test/java/dev/trainyard/engine/nn/layers/ and is run with

    JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 ./mvnw -q -pl engine test -Dtest='dev.trainyard.engine.nn.layers.**'

Output is deterministic: every case seeds torch from a CRC of "<family>/<name>", so adding or removing a case
does not change the data of any other case.

File schema (one JSON object per file):

    {"family": "conv", "torch_version": "...", "cases": [CASE, ...]}

    CASE = {
      "name":   "conv2d_same_even_kernel",   # unique within the file
      "module": "Conv2d",                    # the Trainyard class under test
      "config": {...},                       # constructor arguments, PyTorch's names in camelCase
      "train":  false,                       # module.train(mode) before the forward
      "call":   {...},                       # optional forward options (needWeights, averageAttnWeights, ...)
      "state_dict": [[key, TENSOR], ...],    # PyTorch's state_dict before the forward, in its order;
                                             # Java loads it with loadStateDict and checks the key order
      "inputs": [[name, TENSOR], ...],       # forward arguments by name (input, h0, c0, query, key, value,
                                             # keyPaddingMask, attnMask, mask, srcKeyPaddingMask); float
                                             # ones require grad
      "outputs": [TENSOR | null, ...],       # the forward's outputs in order (e.g. output, hN, cN); null =
                                             # absent (attention weights with needWeights false)
      "grad_outputs": [TENSOR | null, ...],  # upstream gradient per output (null = not differentiated)
      "input_grads": [[name, TENSOR], ...],  # d(sum outputs*grad_outputs)/d(input) per float input
      "param_grads": [[name, TENSOR], ...],  # ... per parameter, by its state_dict key
      "state_after": [[key, TENSOR], ...]    # the state_dict after the forward (batch norm running stats)
    }

    TENSOR = {"dtype": "float32"|"int64"|"bool", "shape": [..], "data": [row-major values]}
             float32 values are written with the shortest decimal that round-trips in float32; the strings
             "NaN", "Infinity", "-Infinity" stand for the special values.
"""

import os
import warnings
import zlib

import numpy as np
import torch
import torch.nn as nn

torch.set_num_threads(1)
# PyTorch warns that padding='same' with an even kernel copies the input; that is the case under test
warnings.filterwarnings('ignore', message="Using padding='same'")

HERE = os.path.dirname(os.path.abspath(__file__))
OUT_DIR = os.path.normpath(os.path.join(HERE, '..', 'resources', 'fixtures', 'layers'))


# ---------------------------------------------------------------------------------------------- JSON encoding

def _num(v):
    if isinstance(v, (bool, np.bool_)):
        return 'true' if v else 'false'
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    f = np.float32(v)
    if np.isnan(f):
        return '"NaN"'
    if np.isinf(f):
        return '"Infinity"' if f > 0 else '"-Infinity"'
    s = str(f)  # numpy prints the shortest repr that round-trips in float32
    return s


def encode(obj):
    """JSON text; tensors become TENSOR objects with compact float32 data."""
    if obj is None:
        return 'null'
    if isinstance(obj, torch.Tensor):
        t = obj.detach()
        dtype = str(t.dtype).replace('torch.', '')
        data = t.reshape(-1).tolist()
        if t.dtype == torch.bool:
            body = ','.join('true' if x else 'false' for x in data)
        elif t.dtype.is_floating_point:
            body = ','.join(_num(x) for x in data)
        else:
            body = ','.join(str(int(x)) for x in data)
        return '{"dtype":"%s","shape":%s,"data":[%s]}' % (dtype, encode(list(t.shape)), body)
    if isinstance(obj, bool):
        return 'true' if obj else 'false'
    if isinstance(obj, int):
        return str(obj)
    if isinstance(obj, float):
        return repr(obj)
    if isinstance(obj, str):
        return '"%s"' % obj.replace('\\', '\\\\').replace('"', '\\"')
    if isinstance(obj, (list, tuple)):
        return '[' + ','.join(encode(x) for x in obj) + ']'
    if isinstance(obj, dict):
        return '{' + ','.join('%s:%s' % (encode(k), encode(v)) for k, v in obj.items()) + '}'
    raise TypeError(type(obj))


# ---------------------------------------------------------------------------------------------- cases

FAMILIES = {}


def seed(family, name):
    torch.manual_seed(zlib.crc32(('%s/%s' % (family, name)).encode()))


def randomize_(module, scale=0.5):
    """Overwrites every parameter with N(0, scale^2) values (PyTorch's zero/one inits would hide bugs)."""
    with torch.no_grad():
        for p in module.parameters():
            p.copy_(torch.randn_like(p) * scale)


def case(family, name, module_name, config, module, inputs, forward, train=False, call=None, grad_names=None):
    """Runs `forward(module, **inputs)` (returning a tuple of outputs) and records everything the Java test needs.

    Float inputs require grad if named in `grad_names` (None = every float input; float masks are left out)."""
    module.train(train)
    state_before = [(k, v.clone()) for k, v in module.state_dict().items()]
    ins = []
    for k, v in inputs:
        if v is not None and v.dtype.is_floating_point and (grad_names is None or k in grad_names):
            v = v.detach().clone().requires_grad_(True)
        ins.append((k, v))
    outs = forward(module, **dict(ins))
    if not isinstance(outs, tuple):
        outs = (outs,)
    grad_outs = [None if (o is None or not o.dtype.is_floating_point) else torch.randn_like(o) for o in outs]
    diff = [(o, g) for o, g in zip(outs, grad_outs) if g is not None and o.requires_grad]
    wrt_inputs = [(k, v) for k, v in ins if v is not None and v.requires_grad]
    params = [(k, p) for k, p in module.named_parameters()]
    grads = torch.autograd.grad([o for o, _ in diff], [v for _, v in wrt_inputs] + [p for _, p in params],
                                [g for _, g in diff], allow_unused=True)
    grads = [torch.zeros_like(t) if g is None else g for g, t in
             zip(grads, [v for _, v in wrt_inputs] + [p for _, p in params])]
    n_in = len(wrt_inputs)
    c = {
        'name': name, 'module': module_name, 'config': config, 'train': train,
        'state_dict': state_before,
        'inputs': ins,
        'outputs': list(outs),
        'grad_outputs': grad_outs,
        'input_grads': [(k, g) for (k, _), g in zip(wrt_inputs, grads[:n_in])],
        'param_grads': [(k, g) for (k, _), g in zip(params, grads[n_in:])],
    }
    if call:
        c['call'] = call
    if any(k.startswith('running_') or k.endswith('num_batches_tracked') for k, _ in state_before):
        c['state_after'] = list(module.state_dict().items())
    FAMILIES.setdefault(family, []).append(c)


def single(module, input):
    return module(input)


# ---------------------------------------------------------------------------------------------- conv and pooling

def conv_cases():
    fam = 'conv'

    def conv2d(name, cin, cout, k, n=2, hw=(7, 6), stride=1, padding=0, dilation=1, groups=1, bias=True):
        seed(fam, name)
        m = nn.Conv2d(cin, cout, k, stride, padding, dilation, groups, bias)
        x = torch.randn(n, cin, *hw)
        cfg = {'inChannels': cin, 'outChannels': cout, 'kernelSize': _pair(k), 'stride': _pair(stride),
               'padding': padding if isinstance(padding, str) else _pair(padding), 'dilation': _pair(dilation),
               'groups': groups, 'bias': bias}
        case(fam, name, 'Conv2d', cfg, m, [('input', x)], single)

    conv2d('conv2d_basic', 3, 4, 3)
    conv2d('conv2d_stride_pad', 3, 5, (3, 2), stride=(2, 1), padding=(1, 2))
    conv2d('conv2d_same_odd_kernel', 2, 3, 3, padding='same')
    conv2d('conv2d_same_even_kernel', 2, 3, (4, 2), padding='same')  # total padding 3 and 1: extra on right/bottom
    conv2d('conv2d_same_dilation', 2, 3, (2, 3), padding='same', dilation=(3, 2))
    conv2d('conv2d_valid', 2, 3, 3, padding='valid')
    conv2d('conv2d_groups_dilation', 4, 6, 3, padding=2, dilation=2, groups=2, hw=(8, 8))
    conv2d('conv2d_depthwise_nobias', 3, 3, 3, padding=1, groups=3, bias=False)

    # unbatched input [C, H, W]
    seed(fam, 'conv2d_unbatched')
    m = nn.Conv2d(2, 3, 3, padding=1)
    case(fam, 'conv2d_unbatched', 'Conv2d', {'inChannels': 2, 'outChannels': 3, 'kernelSize': [3, 3], 'stride': [1, 1],
                                               'padding': [1, 1], 'dilation': [1, 1], 'groups': 1, 'bias': True},
         m, [('input', torch.randn(2, 5, 5))], single)

    def conv1d(name, cin, cout, k, stride=1, padding=0, dilation=1, groups=1, bias=True, length=10):
        seed(fam, name)
        m = nn.Conv1d(cin, cout, k, stride, padding, dilation, groups, bias)
        cfg = {'inChannels': cin, 'outChannels': cout, 'kernelSize': k, 'stride': stride, 'padding': padding,
               'dilation': dilation, 'groups': groups, 'bias': bias}
        case(fam, name, 'Conv1d', cfg, m, [('input', torch.randn(2, cin, length))], single)

    conv1d('conv1d_basic', 3, 4, 3)
    conv1d('conv1d_stride_pad', 3, 4, 3, stride=2, padding=1)
    conv1d('conv1d_same_even_kernel', 2, 4, 4, padding='same')
    conv1d('conv1d_same_dilation', 2, 2, 3, padding='same', dilation=3)
    conv1d('conv1d_groups_nobias', 4, 4, 2, groups=4, bias=False)

    def convt(name, cin, cout, k, stride=1, padding=0, output_padding=0, groups=1, bias=True, dilation=1):
        seed(fam, name)
        m = nn.ConvTranspose2d(cin, cout, k, stride, padding, output_padding, groups, bias, dilation)
        cfg = {'inChannels': cin, 'outChannels': cout, 'kernelSize': _pair(k), 'stride': _pair(stride),
               'padding': _pair(padding), 'outputPadding': _pair(output_padding), 'groups': groups, 'bias': bias,
               'dilation': _pair(dilation)}
        case(fam, name, 'ConvTranspose2d', cfg, m, [('input', torch.randn(2, cin, 4, 5))], single)

    convt('convtranspose2d_basic', 3, 2, 3)
    convt('convtranspose2d_stride_outpad', 3, 4, 3, stride=2, padding=1, output_padding=1)
    convt('convtranspose2d_groups', 4, 6, (3, 2), stride=(2, 1), padding=(0, 1), output_padding=(1, 0), groups=2)
    convt('convtranspose2d_dilation_nobias', 2, 3, 3, padding=1, dilation=2, bias=False)

    def maxpool(name, k, stride=None, padding=0, dilation=1, return_indices=False, ceil_mode=False, hw=(7, 7)):
        seed(fam, name)
        m = nn.MaxPool2d(k, stride, padding, dilation, return_indices, ceil_mode)
        cfg = {'kernelSize': _pair(k), 'stride': None if stride is None else _pair(stride), 'padding': _pair(padding),
               'dilation': _pair(dilation), 'returnIndices': return_indices, 'ceilMode': ceil_mode}
        case(fam, name, 'MaxPool2d', cfg, m, [('input', torch.randn(2, 3, *hw))], single)

    maxpool('maxpool2d_default_stride', 2)
    maxpool('maxpool2d_pad', 3, 2, 1)
    maxpool('maxpool2d_ceil', 3, 2, ceil_mode=True)
    maxpool('maxpool2d_indices_dilation', 2, 1, 1, dilation=2, return_indices=True)
    maxpool('maxpool2d_indices_ceil', (3, 2), (2, 2), ceil_mode=True, return_indices=True, hw=(6, 7))

    def avgpool(name, k, stride=None, padding=0, ceil_mode=False, count_include_pad=True, divisor_override=None):
        seed(fam, name)
        m = nn.AvgPool2d(k, stride, padding, ceil_mode, count_include_pad, divisor_override)
        cfg = {'kernelSize': _pair(k), 'stride': None if stride is None else _pair(stride), 'padding': _pair(padding),
               'ceilMode': ceil_mode, 'countIncludePad': count_include_pad, 'divisorOverride': divisor_override}
        case(fam, name, 'AvgPool2d', cfg, m, [('input', torch.randn(2, 2, 7, 6))], single)

    avgpool('avgpool2d_default_stride', 2)
    avgpool('avgpool2d_pad_exclude', 3, 2, 1, count_include_pad=False)
    avgpool('avgpool2d_ceil_include', 3, 2, 1, ceil_mode=True)
    avgpool('avgpool2d_divisor', (2, 3), (1, 2), divisor_override=4)

    for name, size, out in [('adaptiveavgpool2d_uneven', (7, 5), (3, 2)), ('adaptiveavgpool2d_global', (4, 6), (1, 1)),
                            ('adaptiveavgpool2d_divisible', (8, 6), (4, 3))]:
        seed(fam, name)
        m = nn.AdaptiveAvgPool2d(out)
        case(fam, name, 'AdaptiveAvgPool2d', {'outputSize': list(out)}, m, [('input', torch.randn(2, 3, *size))], single)


class _Pad(nn.Module):
    """F.pad as a module (no parameters), so pad cases share the layer schema."""

    def __init__(self, pad, value):
        super().__init__()
        self.pad, self.value = pad, value

    def forward(self, x):
        return torch.nn.functional.pad(x, self.pad, 'constant', self.value)


def pad_cases():
    fam = 'conv'
    for name, pad, value, shape in [('pad_last_dim', [1, 2], 0.0, (2, 3, 4)),
                                    ('pad_two_dims_value', [0, 1, 2, 0], 1.5, (2, 3, 4)),
                                    ('pad_three_dims_crop', [1, -1, -2, 1, 1, 0], -0.5, (2, 3, 4))]:
        seed(fam, name)
        case(fam, name, 'pad', {'pad': pad, 'value': value}, _Pad(pad, value), [('input', torch.randn(*shape))], single)


def _pair(v):
    return list(v) if isinstance(v, (tuple, list)) else [v, v]


# ---------------------------------------------------------------------------------------------- normalization

def norm_cases():
    fam = 'norm'

    def bn(name, cls, c, shape, train, momentum=0.1, eps=1e-5, affine=True, track=True, batches_tracked=None):
        seed(fam, name)
        m = getattr(nn, cls)(c, eps, momentum, affine, track)
        randomize_(m)
        with torch.no_grad():
            if track:
                m.running_mean.copy_(torch.randn(c) * 0.3)
                m.running_var.copy_(torch.rand(c) + 0.5)
                if batches_tracked is not None:
                    m.num_batches_tracked.fill_(batches_tracked)
        x = torch.randn(*shape) * 1.5 + 0.7
        cfg = {'numFeatures': c, 'eps': eps, 'momentum': momentum, 'affine': affine, 'trackRunningStats': track}
        case(fam, name, cls, cfg, m, [('input', x)], single, train=train)

    bn('batchnorm1d_train_2d', 'BatchNorm1d', 4, (6, 4), True)
    bn('batchnorm1d_train_3d', 'BatchNorm1d', 3, (4, 3, 5), True, momentum=0.3)
    bn('batchnorm1d_eval_3d', 'BatchNorm1d', 3, (4, 3, 5), False)
    bn('batchnorm1d_cumulative_momentum', 'BatchNorm1d', 3, (5, 3), True, momentum=None, batches_tracked=3)
    bn('batchnorm1d_no_affine', 'BatchNorm1d', 3, (5, 3, 2), True, affine=False, eps=1e-3)
    bn('batchnorm2d_train', 'BatchNorm2d', 3, (2, 3, 4, 5), True)
    bn('batchnorm2d_eval', 'BatchNorm2d', 3, (2, 3, 4, 5), False, eps=1e-2)
    bn('batchnorm2d_untracked_train', 'BatchNorm2d', 2, (3, 2, 3, 3), True, track=False)
    bn('batchnorm2d_untracked_eval', 'BatchNorm2d', 2, (3, 2, 3, 3), False, track=False)

    def ln(name, normalized_shape, shape, eps=1e-5, affine=True):
        seed(fam, name)
        m = nn.LayerNorm(normalized_shape, eps, affine)
        randomize_(m)
        cfg = {'normalizedShape': list(normalized_shape), 'eps': eps, 'elementwiseAffine': affine}
        case(fam, name, 'LayerNorm', cfg, m, [('input', torch.randn(*shape) * 2 + 1)], single)

    ln('layernorm_last_dim', [6], (2, 3, 6))
    ln('layernorm_two_dims', [3, 4], (2, 3, 4))
    ln('layernorm_no_affine', [5], (4, 5), eps=1e-3, affine=False)

    def gn(name, groups, c, shape, eps=1e-5, affine=True):
        seed(fam, name)
        m = nn.GroupNorm(groups, c, eps, affine)
        randomize_(m)
        cfg = {'numGroups': groups, 'numChannels': c, 'eps': eps, 'affine': affine}
        case(fam, name, 'GroupNorm', cfg, m, [('input', torch.randn(*shape) - 0.5)], single)

    gn('groupnorm_4d', 2, 6, (2, 6, 3, 3))
    gn('groupnorm_3d_no_affine', 3, 6, (2, 6, 4), affine=False)
    gn('groupnorm_instance_like', 4, 4, (3, 4, 2, 2), eps=1e-3)


# ---------------------------------------------------------------------------------------------- recurrent

def rnn_cases():
    fam = 'rnn'

    def rnn(name, cls, input_size, hidden, layers, shape, nonlinearity='tanh', bias=True, batch_first=False,
            bidirectional=False, with_state=False):
        seed(fam, name)
        kwargs = dict(num_layers=layers, bias=bias, batch_first=batch_first, bidirectional=bidirectional)
        if cls == 'RNN':
            kwargs['nonlinearity'] = nonlinearity
        m = getattr(nn, cls)(input_size, hidden, **kwargs)
        x = torch.randn(*shape)
        d = 2 if bidirectional else 1
        unbatched = len(shape) == 2
        batch = None if unbatched else (shape[0] if batch_first else shape[1])
        state_shape = (d * layers, hidden) if unbatched else (d * layers, batch, hidden)
        inputs = [('input', x)]
        if with_state:
            inputs.append(('h0', torch.randn(*state_shape) * 0.5))
            if cls == 'LSTM':
                inputs.append(('c0', torch.randn(*state_shape) * 0.5))
        cfg = {'inputSize': input_size, 'hiddenSize': hidden, 'numLayers': layers, 'bias': bias,
               'batchFirst': batch_first, 'dropout': 0.0, 'bidirectional': bidirectional}
        if cls == 'RNN':
            cfg['nonlinearity'] = nonlinearity

        def fwd(module, input, h0=None, c0=None):
            if cls == 'LSTM':
                out, (h, c) = module(input, None if h0 is None else (h0, c0))
                return out, h, c
            out, h = module(input, h0)
            return out, h

        case(fam, name, cls, cfg, m, inputs, fwd)

    rnn('rnn_tanh_2layer_bidir_batchfirst', 'RNN', 3, 4, 2, (2, 5, 3), batch_first=True, bidirectional=True)
    rnn('rnn_tanh_2layer_bidir_batchfirst_h0', 'RNN', 3, 4, 2, (2, 5, 3), batch_first=True, bidirectional=True,
        with_state=True)
    rnn('rnn_relu_seqfirst_h0', 'RNN', 4, 3, 1, (6, 2, 4), nonlinearity='relu', with_state=True)
    rnn('rnn_tanh_unbatched_nobias', 'RNN', 3, 4, 2, (5, 3), bias=False)
    rnn('lstm_2layer_bidir_batchfirst', 'LSTM', 3, 4, 2, (2, 5, 3), batch_first=True, bidirectional=True)
    rnn('lstm_2layer_bidir_batchfirst_state', 'LSTM', 3, 4, 2, (2, 5, 3), batch_first=True, bidirectional=True,
        with_state=True)
    rnn('lstm_seqfirst_state', 'LSTM', 4, 5, 1, (7, 3, 4), with_state=True)
    rnn('lstm_unbatched_bidir_nobias', 'LSTM', 3, 2, 1, (4, 3), bias=False, bidirectional=True, with_state=True)
    rnn('gru_2layer_bidir_batchfirst', 'GRU', 3, 4, 2, (2, 5, 3), batch_first=True, bidirectional=True)
    rnn('gru_2layer_bidir_batchfirst_h0', 'GRU', 3, 4, 2, (2, 5, 3), batch_first=True, bidirectional=True,
        with_state=True)
    rnn('gru_3layer_seqfirst', 'GRU', 2, 3, 3, (6, 2, 2))
    rnn('gru_long_sequence_h0', 'GRU', 3, 4, 1, (40, 2, 3), with_state=True)


# ---------------------------------------------------------------------------------------------- attention

def causal_float_mask(n):
    return torch.triu(torch.full((n, n), float('-inf')), diagonal=1)


def attention_cases():
    fam = 'attention'

    def mha(name, e, heads, batch_first, q_shape, kv_len=None, kdim=None, vdim=None, bias=True, kpm=False,
            attn_mask=None, need_weights=True, average=True, self_attention=True):
        seed(fam, name)
        m = nn.MultiheadAttention(e, heads, 0.0, bias, kdim=kdim, vdim=vdim, batch_first=batch_first)
        if bias:
            with torch.no_grad():  # PyTorch zeroes the biases; random ones test their gradients
                m.in_proj_bias.normal_(0, 0.3)
                m.out_proj.bias.normal_(0, 0.3)
        n, l = (q_shape[0], q_shape[1]) if batch_first else (q_shape[1], q_shape[0])
        s = kv_len or l
        query = torch.randn(*q_shape)
        inputs = [('query', query)]
        if not self_attention:
            kshape = (n, s, kdim or e) if batch_first else (s, n, kdim or e)
            vshape = (n, s, vdim or e) if batch_first else (s, n, vdim or e)
            inputs += [('key', torch.randn(*kshape)), ('value', torch.randn(*vshape))]
        if kpm:
            mask = torch.zeros(n, s, dtype=torch.bool)
            mask[0, -2:] = True
            if n > 1:
                mask[1, 0] = True
            inputs.append(('keyPaddingMask', mask))
        if attn_mask == 'causal_float':
            inputs.append(('attnMask', causal_float_mask(l)))
        elif attn_mask == 'bool3d':
            mask = torch.rand(n * heads, l, s) < 0.3
            mask[..., 0] = False  # keep every row partly visible (an all-masked row is NaN in PyTorch too)
            inputs.append(('attnMask', mask))
        elif attn_mask == 'float2d':
            inputs.append(('attnMask', torch.randn(l, s)))
        cfg = {'embedDim': e, 'numHeads': heads, 'dropout': 0.0, 'bias': bias, 'kdim': kdim, 'vdim': vdim,
               'batchFirst': batch_first}
        call = {'needWeights': need_weights, 'averageAttnWeights': average}
        grad_names = {'query', 'key', 'value'}

        def fwd(module, query, key=None, value=None, keyPaddingMask=None, attnMask=None):
            if key is None:
                key = value = query
            out, w = module(query, key, value, key_padding_mask=keyPaddingMask, need_weights=need_weights,
                            attn_mask=attnMask, average_attn_weights=average)
            return out, w

        case(fam, name, 'MultiheadAttention', cfg, m, inputs, fwd, call=call, grad_names=grad_names)

    mha('mha_self_batchfirst_key_padding', 8, 2, True, (2, 5, 8), kpm=True)
    mha('mha_self_seqfirst_causal_float', 6, 3, False, (4, 2, 6), attn_mask='causal_float')
    mha('mha_cross_per_head_weights_bool3d', 8, 4, True, (2, 3, 8), kv_len=5, self_attention=False,
        attn_mask='bool3d', average=False)
    mha('mha_cross_kdim_vdim_float2d_kpm', 6, 2, False, (3, 2, 6), kv_len=4, kdim=5, vdim=3, self_attention=False,
        attn_mask='float2d', kpm=True)
    mha('mha_no_bias_no_weights', 4, 1, True, (2, 3, 4), need_weights=False)
    mha('mha_unbatched', 4, 2, False, (3, 4), self_attention=True)

    def enc_layer(name, d, heads, ff, batch_first, norm_first, activation, shape, mask=False, kpm=False, eps=1e-5):
        seed(fam, name)
        m = nn.TransformerEncoderLayer(d, heads, ff, 0.1, activation, eps, batch_first, norm_first)
        randomize_(m, 0.4)
        n, l = (shape[0], shape[1]) if batch_first else (shape[1], shape[0])
        inputs = [('src', torch.randn(*shape))]
        if mask:
            inputs.append(('srcMask', causal_float_mask(l)))
        if kpm:
            k = torch.zeros(n, l, dtype=torch.bool)
            k[-1, -1] = True
            inputs.append(('srcKeyPaddingMask', k))
        cfg = {'dModel': d, 'nhead': heads, 'dimFeedforward': ff, 'dropout': 0.1, 'activation': activation,
               'layerNormEps': eps, 'batchFirst': batch_first, 'normFirst': norm_first}

        def fwd(module, src, srcMask=None, srcKeyPaddingMask=None):
            return module(src, src_mask=srcMask, src_key_padding_mask=srcKeyPaddingMask)

        case(fam, name, 'TransformerEncoderLayer', cfg, m, inputs, fwd, grad_names={'src'})

    enc_layer('encoder_layer_post_norm_relu', 8, 2, 16, False, False, 'relu', (4, 2, 8), mask=True)
    enc_layer('encoder_layer_pre_norm_gelu', 8, 2, 12, True, True, 'gelu', (2, 5, 8), kpm=True)
    enc_layer('encoder_layer_post_norm_gelu_masks', 6, 3, 10, True, False, 'gelu', (3, 4, 6), mask=True, kpm=True,
              eps=1e-3)

    def encoder(name, d, heads, ff, layers, batch_first, norm_first, with_norm, shape):
        seed(fam, name)
        layer = nn.TransformerEncoderLayer(d, heads, ff, 0.1, 'relu', 1e-5, batch_first, norm_first)
        norm = nn.LayerNorm(d) if with_norm else None
        m = nn.TransformerEncoder(layer, layers, norm, enable_nested_tensor=False)
        randomize_(m, 0.4)
        n, l = (shape[0], shape[1]) if batch_first else (shape[1], shape[0])
        k = torch.zeros(n, l, dtype=torch.bool)
        k[0, -2:] = True
        inputs = [('src', torch.randn(*shape)), ('mask', causal_float_mask(l)), ('srcKeyPaddingMask', k)]
        cfg = {'dModel': d, 'nhead': heads, 'dimFeedforward': ff, 'dropout': 0.1, 'activation': 'relu',
               'layerNormEps': 1e-5, 'batchFirst': batch_first, 'normFirst': norm_first, 'numLayers': layers,
               'norm': with_norm}

        def fwd(module, src, mask=None, srcKeyPaddingMask=None):
            return module(src, mask=mask, src_key_padding_mask=srcKeyPaddingMask)

        case(fam, name, 'TransformerEncoder', cfg, m, inputs, fwd, grad_names={'src'})

    encoder('encoder_2_layers_norm_masks', 8, 2, 16, 2, True, False, True, (2, 5, 8))
    encoder('encoder_2_layers_pre_norm_seqfirst', 6, 2, 8, 2, False, True, False, (4, 3, 6))


def main():
    conv_cases()
    pad_cases()
    norm_cases()
    rnn_cases()
    attention_cases()
    os.makedirs(OUT_DIR, exist_ok=True)
    total = 0
    for fam, cases in FAMILIES.items():
        path = os.path.join(OUT_DIR, fam + '.json')
        with open(path, 'w') as f:
            f.write('{"family":%s,"torch_version":%s,"cases":[\n' % (encode(fam), encode(torch.__version__)))
            f.write(',\n'.join(encode(c) for c in cases))
            f.write('\n]}\n')
        size = os.path.getsize(path)
        total += size
        print('wrote %d cases (%d KB) to %s' % (len(cases), size // 1024, os.path.relpath(path)))
    print('total %d KB' % (total // 1024))


if __name__ == '__main__':
    main()
