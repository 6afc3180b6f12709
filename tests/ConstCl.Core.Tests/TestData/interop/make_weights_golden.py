#!/usr/bin/python3
"""Golden files for WeightsExchangeTests (safetensors weights exchanged with PyTorch).

Builds a small network with the PyTorch reference modules of bench/pytorch/constcl_reference.py (the same module
names as ConstCl's state dict), with every weight and BatchNorm statistic drawn at random (so a misplaced tensor
changes the output), and writes, with a minimal safetensors writer of its own (Debian has no `safetensors` package):

  micro_model.safetensors      the full state dict (float32 weights, int64 num_batches_tracked), no ConstCl metadata,
                               exactly as a PyTorch user would save it
  micro_expected.safetensors   a fixed input clip batch and the eval-mode outputs: res5 and res5_local averaged over
                               (T, H, W), and the global projection of the pooled res5

Run with Debian's interpreter (python3-torch 1.13): /usr/bin/python3 make_weights_golden.py [--check FILE]
--check FILE loads a ConstCl-written .safetensors (ConstCl.Interop.WeightsExchange.ExportModel) into the same PyTorch
module with strict=True and prints the largest output difference against micro_expected.safetensors.
The micro network (ConstClModelOptions in WeightsExchangeTests.Micro): stem 4, widths [4,4,4,4], blocks [2,1,1,1],
temporal kernels [[1,1],[1],[3],[3]], global MLP 3 x 8 -> 4, decoder width 4, context 3, 8 x 32 x 32 clips.
"""

import argparse
import json
import os
import struct
import sys
import warnings

warnings.filterwarnings("ignore")
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "..", "bench", "pytorch"))
import torch  # noqa: E402
import constcl_reference as ref  # noqa: E402

ref.BLOCKS = [2, 1, 1, 1]
ref.TEMPORAL_KERNELS = [[1, 1], [1], [3], [3]]
MICRO = dict(stem=4, widths=[4, 4, 4, 4], head_hidden=8, head_out=4, context=3, width=4, frames=8, size=32)
CODES = {torch.float32: "F32", torch.float64: "F64", torch.int64: "I64"}
TYPES = {v: k for k, v in CODES.items()}


def write_safetensors(path, tensors, metadata=None):
    header, offset, blobs = {}, 0, []
    if metadata:
        header["__metadata__"] = metadata
    for name, t in tensors.items():
        data = t.detach().contiguous().numpy().tobytes()
        header[name] = {"dtype": CODES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


def read_safetensors(path):
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, e in header.items():
        if name == "__metadata__":
            continue
        b, end = e["data_offsets"]
        out[name] = torch.frombuffer(bytearray(data[b:end]), dtype=TYPES[e["dtype"]]).reshape(e["shape"]).clone()
    return out


def outputs(model, clips):
    model.eval()
    with torch.no_grad():
        res5, res5_local = model.backbone(clips)
        pooled = res5.mean([2, 3, 4])
        return {"res5_pooled": pooled, "res5_local_pooled": res5_local.mean([2, 3, 4]),
                "global_projection": model.global_head.mlp(pooled)}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--check", help="a ConstCl-written model .safetensors to load with strict=True")
    args = parser.parse_args()
    torch.manual_seed(20261206)
    model = ref.ConstClModel(MICRO)
    with torch.no_grad():
        for name, module in model.named_modules():
            if isinstance(module, (torch.nn.BatchNorm1d, torch.nn.BatchNorm3d)):
                module.weight.uniform_(0.5, 1.5)
                module.bias.normal_(0, 0.1)
                module.running_mean.normal_(0, 0.1)
                module.running_var.uniform_(0.5, 1.5)
                module.num_batches_tracked.fill_(7)
    clips = torch.rand(2, 3, MICRO["frames"], MICRO["size"], MICRO["size"]) * 2 - 1
    if args.check:
        expected = read_safetensors(os.path.join(HERE, "micro_expected.safetensors"))
        model.load_state_dict(read_safetensors(args.check), strict=True)
        got = outputs(model, expected["input"])
        for k, v in got.items():
            print(f"{k}: max |PyTorch - golden| = {(v - expected[k]).abs().max().item():.3g}")
        return
    write_safetensors(os.path.join(HERE, "micro_model.safetensors"), model.state_dict())
    write_safetensors(os.path.join(HERE, "micro_expected.safetensors"), {"input": clips, **outputs(model, clips)},
                      {"made_by": "make_weights_golden.py", "torch": torch.__version__})
    print(f"{len(model.state_dict())} tensors, {sum(p.numel() for p in model.parameters())} parameters")


if __name__ == "__main__":
    main()
