"""PyTorch side of the checkpoint round-trip tests (engine/src/test/java/.../serialization/TorchInteropTest.java).

  export DIR           writes DIR/<model>.safetensors (PyTorch's weights, PyTorch's state_dict keys), plus
                       DIR/<model>.json with an input and PyTorch's output for it. The files are committed;
                       regenerate with: /usr/bin/python3 engine/src/test/python/torch_interop.py export \
                       engine/src/test/resources/fixtures/interop
  check MODEL CKPT IN  loads the model weights from a Trainyard checkpoint (a zip whose model.safetensors holds the
                       state dict), runs the JSON input IN through it and prints the output as JSON.

safetensors is parsed and written here by hand (8-byte little-endian header length, JSON header, raw data), since
Debian ships no python3-safetensors; the format is simple enough that this is also a check of our writer.
"""
import io
import json
import struct
import sys
import zipfile

import torch
import torch.nn as nn

DTYPES = {"F32": torch.float32, "F64": torch.float64, "I64": torch.int64, "I32": torch.int32, "U8": torch.uint8,
          "BOOL": torch.bool}
CODES = {v: k for k, v in DTYPES.items()}


def models():
    torch.manual_seed(0)
    mlp = nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))
    cnn = nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3), nn.ReLU(),
                        nn.MaxPool2d(2), nn.Flatten(), nn.Linear(1600, 128), nn.ReLU(), nn.Linear(128, 10))
    return {"mlp": mlp, "cnn": cnn}


def read_safetensors(data):
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    header.pop("__metadata__", None)
    base = 8 + n
    out = {}
    for name, info in header.items():
        begin, end = info["data_offsets"]
        t = torch.frombuffer(bytearray(data[base + begin:base + end]), dtype=DTYPES[info["dtype"]])
        out[name] = t.reshape(info["shape"])
    return out


def write_safetensors(tensors, metadata=None):
    header, chunks, offset = {}, [], 0
    if metadata:
        header["__metadata__"] = metadata
    for name, t in tensors.items():
        raw = t.detach().contiguous().numpy().tobytes()
        header[name] = {"dtype": CODES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    h = json.dumps(header).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    return struct.pack("<Q", len(h)) + h + b"".join(chunks)


def export(out_dir):
    for name, model in models().items():
        model.eval()
        with open("%s/%s.safetensors" % (out_dir, name), "wb") as f:
            f.write(write_safetensors(model.state_dict()))
        x = torch.rand(2, 1, 28, 28)
        with torch.no_grad():
            y = model(x)
        with open("%s/%s.json" % (out_dir, name), "w") as f:
            json.dump({"torch_version": torch.__version__, "input_shape": list(x.shape),
                       "input": x.reshape(-1).tolist(), "output": y.reshape(-1).tolist()}, f)


def check(model_name, ckpt, input_json):
    model = models()[model_name]
    with zipfile.ZipFile(ckpt) as z:
        state = read_safetensors(z.read("model.safetensors"))
    model.load_state_dict(state, strict=True)
    model.eval()
    with open(input_json) as f:
        spec = json.load(f)
    x = torch.tensor(spec["input"], dtype=torch.float32).reshape(spec["input_shape"])
    with torch.no_grad():
        y = model(x)
    print(json.dumps({"output": y.reshape(-1).tolist(), "keys": list(state.keys())}))


if __name__ == "__main__":
    if sys.argv[1] == "export":
        export(sys.argv[2])
    elif sys.argv[1] == "check":
        check(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        raise SystemExit(__doc__)
