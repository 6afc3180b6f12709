#!/usr/bin/python3
"""PyTorch reference for `constcl bench train|embed --vs-pytorch` (issue 7: performance vs PyTorch).

Builds the same ConST-CL network as ConstCl.Modeling.ConstClModel for a preset (paper or tiny) and times the same
work as the C# benchmarks:

  --mode train  one step = random inputs (two views in [-1, 1], random boxes) -> forward (both views, one backbone
                pass) -> global NT-Xent + local instance InfoNCE (+ their detached diagnostics) + kernel weight-decay
                term -> backward -> Keras-style momentum SGD (v = m v - lr g; w += v), like `constcl bench train`
                (src/ConstCl.Cli/Commands/Bench/BenchTrainCommand.cs).
  --mode embed  the frozen encoder (stem..res5, eval, no_grad) + mean over (T, H, W) on one batch of random clips,
                best of R repeats after one warm-up, like `constcl bench embed` (TorchSharp column).

The JSON written by --json has the same field names as the C# result objects. Run with the system interpreter
(Debian's python3-torch 1.13, OpenBLAS): `/usr/bin/python3 bench/pytorch/constcl_reference.py --help`.
It is a benchmark tool only: no test and no CI job runs it.
"""

import argparse
import gc
import warnings
import json
import math
import os
import statistics
import sys
import time

warnings.filterwarnings("ignore", message=".*reduce_op.*")   # printed by Debian's torch 1.13 at import
import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

# --------------------------------------------------------------------------------------------------------------
# Presets (src/ConstCl.Core/Modeling/ConstClModelOptions.cs and its option records)
# --------------------------------------------------------------------------------------------------------------

PRESETS = {
    "paper": dict(stem=64, widths=[64, 128, 256, 512], head_hidden=2048, head_out=128, context=5, width=128,
                  frames=16, size=224, parameters=71_665_572),
    "tiny": dict(stem=8, widths=[8, 16, 32, 64], head_hidden=64, head_out=32, context=3, width=16,
                 frames=8, size=64, parameters=964_572),
}
BLOCKS = [3, 4, 6, 3]
SPATIAL_STRIDES = [1, 2, 2, 2]
TEMPORAL_KERNELS = [[1, 1, 1], [1, 1, 1, 1], [3, 3, 3, 3, 3, 3], [3, 3, 3]]
EXPANSION = 4
HEAD_LAYERS = 3
DECODER_LAYERS = 3
DECODER_UNITS = 3
CROP = 4
POS_HIDDEN = 4
POS_OUT = 8
BOXES = 8                  # boxes per frame in bench train's random input
LARGE_NUM = 1e9            # the official _LARGE_NUM
GLOBAL_TEMPERATURE = 0.1   # ConstClObjectiveOptions defaults
LOCAL_TEMPERATURE = 0.2
LOCAL_WEIGHT = 0.001
WEIGHT_DECAY = 1e-6        # PretrainingOptions.Tiny.WeightDecay
MOMENTUM = 0.9
LEARNING_RATE = 1e-3       # bench train sets 1e-3


# --------------------------------------------------------------------------------------------------------------
# Network (Modeling/*.cs, same module structure and parameter count)
# --------------------------------------------------------------------------------------------------------------

class Stem(nn.Module):
    """Conv3d 5x7x7 /(2,2,2), no bias -> BN -> ReLU -> MaxPool 1x3x3 /(1,2,2) (ResNetStem.cs, Symmetric padding)."""

    def __init__(self, channels):
        super().__init__()
        self.conv = nn.Conv3d(3, channels, (5, 7, 7), stride=(2, 2, 2), padding=(2, 3, 3), bias=False)
        self.bn = nn.BatchNorm3d(channels, eps=1e-5, momentum=0.1)
        self.pool = nn.MaxPool3d((1, 3, 3), (1, 2, 2), (0, 1, 1))

    def forward(self, x):
        return self.pool(F.relu(self.bn(self.conv(x))))


class Bottleneck(nn.Module):
    """temporal kt x1x1 -> BN -> ReLU -> spatial 1x3x3 (stride) -> BN -> ReLU -> expand 1x1x1 -> BN; + shortcut; ReLU."""

    def __init__(self, cin, width, kt, stride):
        super().__init__()
        cout = width * EXPANSION
        self.temporal_conv = nn.Conv3d(cin, width, (kt, 1, 1), padding=(kt // 2, 0, 0), bias=False)
        self.temporal_bn = nn.BatchNorm3d(width)
        self.spatial_conv = nn.Conv3d(width, width, (1, 3, 3), stride=(1, stride, stride), padding=(0, 1, 1), bias=False)
        self.spatial_bn = nn.BatchNorm3d(width)
        self.expand_conv = nn.Conv3d(width, cout, 1, bias=False)
        self.expand_bn = nn.BatchNorm3d(cout)
        self.shortcut_conv = None
        self.shortcut_bn = None
        if cin != cout or stride != 1:
            self.shortcut_conv = nn.Conv3d(cin, cout, 1, stride=(1, stride, stride), bias=False)
            self.shortcut_bn = nn.BatchNorm3d(cout)

    def forward(self, x):
        h = F.relu(self.temporal_bn(self.temporal_conv(x)))
        h = F.relu(self.spatial_bn(self.spatial_conv(h)))
        h = self.expand_bn(self.expand_conv(h))
        shortcut = x if self.shortcut_conv is None else self.shortcut_bn(self.shortcut_conv(x))
        return F.relu(h.add_(shortcut))


def stage(s, cin, width):
    blocks = []
    for b in range(BLOCKS[s]):
        blocks.append(Bottleneck(cin, width, TEMPORAL_KERNELS[s][b], SPATIAL_STRIDES[s] if b == 0 else 1))
        cin = width * EXPANSION
    return nn.Sequential(*blocks), cin


class ResNet3dY(nn.Module):
    """stem -> res2 -> res3 -> res4 -> {res5, res5_local} (ResNet3dY.cs)."""

    def __init__(self, stem, widths):
        super().__init__()
        self.stem = Stem(stem)
        c = stem
        self.res2, c = stage(0, c, widths[0])
        self.res3, c = stage(1, c, widths[1])
        self.res4, c4 = stage(2, c, widths[2])
        self.res5, c = stage(3, c4, widths[3])
        self.res5_local, _ = stage(3, c4, widths[3])
        self.output_channels = c

    def trunk(self, x):
        return self.res4(self.res3(self.res2(self.stem(x))))

    def forward(self, x):
        r4 = self.trunk(x)
        return self.res5(r4), self.res5_local(r4)


class ProjectionMlp(nn.Module):
    """3 x [Linear (no bias) -> BN1d -> ReLU] -> Linear (bias) (ProjectionMlp.cs, ConST-CL variant)."""

    def __init__(self, cin, hidden, out):
        super().__init__()
        self.linears = nn.ModuleList()
        self.norms = nn.ModuleList()
        for _ in range(HEAD_LAYERS):
            self.linears.append(nn.Linear(cin, hidden, bias=False))
            self.norms.append(nn.BatchNorm1d(hidden))
            cin = hidden
        self.output = nn.Linear(cin, out)

    def forward(self, x):
        for linear, norm in zip(self.linears, self.norms):
            x = F.relu(norm(linear(x)))
        return self.output(x)


class PositionalEmbedding(nn.Module):
    """temporal 1->4->8 and spatial 2->4->8 MLPs on centred indices, concatenated (PositionalEmbedding.cs)."""

    def __init__(self):
        super().__init__()
        self.temporal_hidden = nn.Linear(1, POS_HIDDEN)
        self.temporal_output = nn.Linear(POS_HIDDEN, POS_OUT)
        self.spatial_hidden = nn.Linear(2, POS_HIDDEN)
        self.spatial_output = nn.Linear(POS_HIDDEN, POS_OUT)

    @staticmethod
    def centered_grid(frames, height, width):
        t = torch.arange(frames, dtype=torch.float32) - (frames - 1) / 2.0
        y = torch.arange(height, dtype=torch.float32) - (height - 1) / 2.0
        x = torch.arange(width, dtype=torch.float32) - (width - 1) / 2.0
        return torch.stack(torch.meshgrid(t, y, x, indexing="ij"), -1).reshape(frames * height * width, 3)

    def forward(self, grid):
        temporal = self.temporal_output(F.relu(self.temporal_hidden(grid[:, 0:1])))
        spatial = self.spatial_output(F.relu(self.spatial_hidden(grid[:, 1:3])))
        return torch.cat([temporal, spatial], -1)


class DecoderUnit(nn.Module):
    """q, k, v Dense; softmax(q k^T / sqrt(w)); LN(A v + q), eps 1e-12; Dense(GELU(Dense(h))) (DecoderUnit.cs)."""

    def __init__(self, din, dm, width):
        super().__init__()
        self.query = nn.Linear(din, width)
        self.key = nn.Linear(dm, width)
        self.value = nn.Linear(dm, width)
        self.layer_norm = nn.LayerNorm(width, eps=1e-12)
        self.ffn_hidden = nn.Linear(width, width)
        self.ffn_output = nn.Linear(width, width)
        self.scale = 1.0 / math.sqrt(width)

    def forward(self, query, memory):
        q = self.query(query)
        k = self.key(memory)
        v = self.value(memory)
        attention = q.matmul(k.transpose(1, 2)).mul_(self.scale).softmax(-1)
        h = self.layer_norm(attention.matmul(v).add_(q))
        return self.ffn_output(F.gelu(self.ffn_hidden(h)))


class DecoderLayer(nn.Module):
    def __init__(self, din, dm, width):
        super().__init__()
        self.units = nn.ModuleList([DecoderUnit(din, dm, width) for _ in range(DECODER_UNITS)])

    def forward(self, query, memory):
        return torch.cat([u(query, memory) for u in self.units], -1)


class ContextTransformerDecoder(nn.Module):
    def __init__(self, channels, memory_channels, width):
        super().__init__()
        self.layers = nn.ModuleList()
        c = channels
        for _ in range(DECODER_LAYERS):
            self.layers.append(DecoderLayer(c, memory_channels, width))
            c = DECODER_UNITS * width
        self.projection = nn.Linear(c, channels)

    def forward(self, query, memory):
        x = query
        for layer in self.layers:
            x = layer(x, memory)
        return self.projection(x)


def l2_normalize(x, dim=-1):
    """TF l2_normalize: x * rsqrt(max(sum x^2, 1e-12)) (Ops/L2Normalize.cs)."""
    return x.mul(x.square().sum(dim, keepdim=True).clamp_min(1e-12).rsqrt())


def pool_regions(key_slice, boxes, crop):
    """grid_sample(bilinear, border, align_corners) at crop x crop bin centres, mean over bins (KeyFrameRegionPooling.cs)."""
    b, c, h, w = key_slice.shape
    n = boxes.shape[1]
    x1, y1, x2, y2 = boxes[..., 0:1] * w, boxes[..., 1:2] * h, boxes[..., 2:3] * w, boxes[..., 3:4] * h
    centres = (torch.arange(crop, dtype=key_slice.dtype) + 0.5) / crop
    xs = x1 + centres * (x2 - x1)
    ys = y1 + centres * (y2 - y1)
    gx = (xs * (2.0 / max(w - 1, 1)) - 1).unsqueeze(2).expand(b, n, crop, crop)
    gy = (ys * (2.0 / max(h - 1, 1)) - 1).unsqueeze(3).expand(b, n, crop, crop)
    grid = torch.stack([gx, gy], -1).reshape(b, n * crop, crop, 2)
    sampled = F.grid_sample(key_slice, grid, mode="bilinear", padding_mode="border", align_corners=True)
    return sampled.view(b, c, n, crop, crop).mean([3, 4]).transpose(1, 2).contiguous()


def temporal_indices(feature_frames, context, key):
    stride = feature_frames // context
    return [min(max((k - context // 2) * stride + key, 0), feature_frames - 1) for k in range(context)]


class InstanceReconstructor(nn.Module):
    """ROI pooling of the key slice, context memory of the other view + positional channels, shared decoder."""

    def __init__(self, channels, context, width):
        super().__init__()
        self.positional_embedding = PositionalEmbedding()
        self.decoder = ContextTransformerDecoder(channels, channels + 2 * POS_OUT, width)
        self.context = context

    def forward(self, features, key_boxes, key_slices):
        n2, c, t, h, w = features.shape
        b = n2 // 2
        rows = torch.arange(n2)
        slices = torch.tensor(key_slices)
        key_slice = features.permute(0, 2, 1, 3, 4)[rows, slices]                       # [2B, C, H, W]
        regions = pool_regions(key_slice, key_boxes, CROP)                               # [2B, N, C]
        index = torch.tensor([temporal_indices(t, self.context, k) for k in key_slices])  # [2B, L]
        memory = features.permute(0, 2, 3, 4, 1)[rows.unsqueeze(1), index]              # [2B, L, H, W, C]
        memory = memory.reshape(n2, self.context * h * w, c)
        position = self.positional_embedding(PositionalEmbedding.centered_grid(self.context, h, w))
        memory = torch.cat([memory, position.unsqueeze(0).expand(n2, -1, -1)], -1)      # [2B, M, C + 16]
        regions_a, regions_b = regions[:b], regions[b:]
        a2b = self.decoder(regions_a, memory[b:])
        b2a = self.decoder(regions_b, memory[:b])
        return regions_a, regions_b, a2b, b2a


class ConstClModel(nn.Module):
    def __init__(self, p):
        super().__init__()
        self.backbone = ResNet3dY(p["stem"], p["widths"])
        c = self.backbone.output_channels
        self.global_head = nn.Module()
        self.global_head.mlp = ProjectionMlp(c, p["head_hidden"], p["head_out"])
        self.local_head = InstanceReconstructor(c, p["context"], p["width"])

    def forward(self, view_a, view_b, boxes_a, boxes_b):
        batch, _, frames = view_a.shape[:3]
        x = torch.cat([view_a, view_b], 0)
        res5, res5_local = self.backbone(x)
        g = self.global_head.mlp(res5.mean([2, 3, 4]))
        local = l2_normalize(res5_local, 1)
        feature_frames = local.shape[2]
        key = frames // 2                                                              # KeyFrameStrategy.Center
        key_slice = min(key * feature_frames // frames, feature_frames - 1)
        rows = torch.arange(batch)
        key_boxes = torch.cat([boxes_a[rows, key], boxes_b[rows, key]], 0)             # [2B, N, 4]
        mask = torch.ones(batch, boxes_a.shape[2], dtype=torch.bool)
        ra, rb, a2b, b2a = self.local_head(local, key_boxes, [key_slice] * (2 * batch))
        return g, ra, rb, a2b, b2a, mask, mask.clone()


# --------------------------------------------------------------------------------------------------------------
# Objective (Losses/*.cs) and optimiser (Training/MomentumSgd.cs, KernelWeightDecay.cs)
# --------------------------------------------------------------------------------------------------------------

def global_loss(view_a, view_b, temperature):
    batch = view_a.shape[0]
    a, b = l2_normalize(view_a), l2_normalize(view_b)
    self_mask = torch.eye(batch, dtype=torch.bool)
    ab = a.matmul(b.t()).div(temperature)
    aa = a.matmul(a.t()).div(temperature).masked_fill(self_mask, -LARGE_NUM)
    ba = b.matmul(a.t()).div(temperature)
    bb = b.matmul(b.t()).div(temperature).masked_fill(self_mask, -LARGE_NUM)
    labels = torch.arange(batch)
    loss = F.cross_entropy(torch.cat([ab, aa], 1), labels) + F.cross_entropy(torch.cat([ba, bb], 1), labels)
    with torch.no_grad():
        accuracy = ab.argmax(1).eq(labels).float().mean()
        p = ab.softmax(1)
        entropy = -(p * (p + 1e-8).log()).sum(1).mean()
    return loss, (accuracy, entropy)


def divide_no_nan(numerator, denominator):
    zero = denominator.eq(0)
    safe = torch.where(zero, torch.ones_like(denominator), denominator)
    return torch.where(zero, torch.zeros_like(numerator), numerator.div(safe))


def direction(predictions, targets, positive_index, mask, temperature):
    batch, regions, channels = predictions.shape
    anchors = batch * regions
    cosine = predictions.reshape(anchors, channels).matmul(targets.reshape(anchors, channels).t())
    video = torch.arange(batch).repeat_interleave(regions)
    same = video.unsqueeze(1).eq(video.unsqueeze(0))
    negatives = cosine.div(temperature).masked_fill(same, -LARGE_NUM)
    matched = targets.gather(1, positive_index.unsqueeze(-1).expand(batch, regions, channels))
    positive_cosine = predictions.mul(matched).sum(-1).reshape(anchors)
    positive = positive_cosine.div(temperature)
    per_anchor = torch.cat([positive.unsqueeze(1), negatives], 1).logsumexp(1).sub(positive)
    weights = mask.reshape(anchors)
    weight_sum = weights.sum()
    loss = divide_no_nan(per_anchor.mul(weights).sum(), weight_sum)
    with torch.no_grad():  # the diagnostics the C# loss also computes
        valid = weights.ne(0)
        nan = torch.full((), float("nan"))

        def ratio(num, den):
            return torch.where(den.ne(0), num.div(den), nan)

        any_valid = valid.any().float()
        diagnostics = [
            ratio(positive_cosine.mul(weights).sum(), weight_sum),
            ratio(positive_cosine.masked_fill(~valid, float("-inf")).max(), any_valid),
            ratio(positive_cosine.masked_fill(~valid, float("inf")).min(), any_valid),
        ]
        pair_weights = (~same).float().mul(weights.unsqueeze(1))
        diagnostics.append(ratio(cosine.mul(pair_weights).sum(), pair_weights.sum()))
        if batch > 1:
            for extreme in (cosine.masked_fill(same, float("-inf")).amax(1), cosine.masked_fill(same, float("inf")).amin(1)):
                diagnostics.append(ratio(extreme.masked_fill(~valid, 0.0).mul(weights).sum(), weight_sum))
    return loss, diagnostics


def local_loss(a2b, b2a, ra, rb, mask_a, mask_b, temperature):
    za2b, zb2a, ha, hb = (l2_normalize(t) for t in (a2b, b2a, ra, rb))
    with torch.no_grad():
        similarity = ha.bmm(hb.transpose(1, 2))
        index_a2b, index_b2a = similarity.argmax(2), similarity.argmax(1)
    la, da = direction(za2b, hb, index_a2b, mask_a.float(), temperature)
    lb, db = direction(zb2a, ha, index_b2a, mask_b.float(), temperature)
    return (la + lb) * 0.5, da + db


def kernels(model):
    """Conv and Linear weights only (KernelWeightDecay.SelectKernels)."""
    return [m.weight for m in model.modules() if isinstance(m, (nn.Conv3d, nn.Linear))]


class KerasMomentumSgd:
    """v <- m v - lr g; w <- w + v (MomentumSgd.cs); velocities allocated up front."""

    def __init__(self, parameters, momentum):
        self.parameters = [p for p in parameters if p.requires_grad]
        self.velocities = [torch.zeros_like(p) for p in self.parameters]
        self.momentum = momentum

    def zero_grad(self):
        for p in self.parameters:
            p.grad = None

    @torch.no_grad()
    def step(self, lr):
        for p, v in zip(self.parameters, self.velocities):
            if p.grad is not None:
                v.mul_(self.momentum).add_(p.grad, alpha=-lr)
                p.add_(v)


# --------------------------------------------------------------------------------------------------------------
# Benchmarks
# --------------------------------------------------------------------------------------------------------------

def peak_rss_bytes():
    """VmHWM of /proc/self/status, as the C# side reads it."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def live_tensors():
    return sum(1 for o in gc.get_objects() if torch.is_tensor(o))


def random_input(batch, frames, size, boxes, g):
    def make_boxes():
        lo = torch.rand(batch, frames, boxes, 2, generator=g) * 0.6
        extent = torch.rand(batch, frames, boxes, 2, generator=g) * 0.35 + 0.05
        return torch.cat([lo, lo + extent], -1)

    a = torch.rand(batch, 3, frames, size, size, generator=g) * 2 - 1
    b = torch.rand(batch, 3, frames, size, size, generator=g) * 2 - 1
    return a, b, make_boxes(), make_boxes()


def parameter_count(model):
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


def run_train(args, p, model):
    model.train()
    optimizer = KerasMomentumSgd(model.parameters(), MOMENTUM)
    decay = kernels(model)
    g = torch.Generator().manual_seed(7)
    seconds, cpu_seconds = [], []
    live_first = 0
    for s in range(args.warmup + args.steps):
        if s == args.warmup:
            live_first = live_tensors()
        cpu_start = time.process_time()   # process CPU time, all threads (C#: Process.TotalProcessorTime)
        start = time.perf_counter()
        view_a, view_b, boxes_a, boxes_b = random_input(args.batch_size, args.frames, args.size, BOXES, g)
        optimizer.zero_grad()
        gemb, ra, rb, a2b, b2a, mask_a, mask_b = model(view_a, view_b, boxes_a, boxes_b)
        b = args.batch_size
        lg, _ = global_loss(gemb[:b], gemb[b:], GLOBAL_TEMPERATURE)
        ll, _ = local_loss(a2b, b2a, ra, rb, mask_a, mask_b, LOCAL_TEMPERATURE)
        wd = torch.stack([k.float().square().sum() for k in decay]).sum().mul(WEIGHT_DECAY / 2.0)
        loss = lg * 1.0 + ll * LOCAL_WEIGHT + wd
        loss.backward()
        optimizer.step(LEARNING_RATE)
        loss.item()
        del view_a, view_b, boxes_a, boxes_b, gemb, ra, rb, a2b, b2a, mask_a, mask_b, lg, ll, wd, loss
        if s >= args.warmup:
            seconds.append(time.perf_counter() - start)
            cpu_seconds.append(time.process_time() - cpu_start)
    live_last = live_tensors()
    median = statistics.median(seconds)
    return {
        "preset": args.preset, "batchSize": args.batch_size, "frames": args.frames, "size": args.size,
        "threads": torch.get_num_threads(), "steps": args.steps, "warmupSteps": args.warmup,
        "secondsPerStep": {"median": median, "min": min(seconds), "max": max(seconds)},
        "clipsPerSecond": 2 * args.batch_size / median, "peakRssBytes": peak_rss_bytes(),
        "liveTensorsFirst": live_first, "liveTensorsLast": live_last, "stepSeconds": seconds,
        "cpuSecondsPerStep": {"median": statistics.median(cpu_seconds), "min": min(cpu_seconds), "max": max(cpu_seconds)},
        "cpuStepSeconds": cpu_seconds,
    }


def run_embed(args, p, model):
    model.eval()
    encoder = nn.Sequential(model.backbone.stem, model.backbone.res2, model.backbone.res3, model.backbone.res4,
                            model.backbone.res5)
    g = torch.Generator().manual_seed(1)
    clips = torch.rand(args.batch_size, 3, args.frames, args.size, args.size, generator=g) * 2 - 1
    best = best_cpu = float("inf")
    with torch.no_grad():
        for i in range(args.repeats + 1):
            cpu = time.process_time()
            start = time.perf_counter()
            out = encoder(clips).mean([2, 3, 4]).numpy().copy()
            if i > 0:
                best = min(best, time.perf_counter() - start)
                best_cpu = min(best_cpu, time.process_time() - cpu)
    return {
        "encoder": args.preset + " (random weights)", "embeddingDimension": int(out.shape[1]), "batch": args.batch_size,
        "frames": args.frames, "size": args.size, "threads": torch.get_num_threads(), "repeats": args.repeats,
        "seconds": best, "clipsPerSecond": args.batch_size / best, "cpuSeconds": best_cpu, "peakRssBytes": peak_rss_bytes(),
    }


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mode", choices=["train", "embed"], default="train")
    ap.add_argument("--preset", choices=sorted(PRESETS), default="tiny")
    ap.add_argument("--batch-size", type=int, default=2, help="train: videos per step (two clips each); embed: clips per pass")
    ap.add_argument("--frames", type=int, help="T (default: the preset's)")
    ap.add_argument("--size", type=int, help="S (default: the preset's)")
    ap.add_argument("--steps", type=int, default=5, help="train: timed steps")
    ap.add_argument("--warmup", type=int, default=1, help="train: untimed steps first")
    ap.add_argument("--repeats", type=int, default=3, help="embed: timed passes after one warm-up; the fastest counts")
    ap.add_argument("--threads", type=int, default=0, help="intra-op threads (0: all cores)")
    ap.add_argument("--expect-params", type=int, help="trainable parameter count of the C# model (checked)")
    ap.add_argument("--mkldnn", choices=["on", "off"], default="on", help="torch.backends.mkldnn.enabled")
    ap.add_argument("--json", help="also write the result as JSON to this file")
    args = ap.parse_args(argv)
    p = PRESETS[args.preset]
    args.frames = args.frames or p["frames"]
    args.size = args.size or p["size"]
    if args.batch_size < 1 or args.steps < 1 or args.warmup < 0 or args.repeats < 1 or args.threads < 0:
        ap.error("--batch-size, --steps, --repeats must be >= 1; --warmup, --threads >= 0")
    torch.set_num_threads(args.threads or os.cpu_count())
    torch.backends.mkldnn.enabled = args.mkldnn == "on"
    torch.manual_seed(0)
    model = ConstClModel(p)
    count = parameter_count(model)
    expected = args.expect_params if args.expect_params is not None else p["parameters"]
    print(f"PyTorch {torch.__version__}: {args.preset} model, {count:,} trainable parameters (ConstCl: {expected:,})")
    if count != expected:
        print(f"error: parameter count {count} differs from ConstCl's {expected}: the networks are not the same", file=sys.stderr)
        return 3
    result = (run_train if args.mode == "train" else run_embed)(args, p, model)
    result["engine"] = "PyTorch " + torch.__version__
    result["parameters"] = count
    if args.mode == "train":
        s = result["secondsPerStep"]
        print(f"preset {args.preset}, batch {args.batch_size}, {args.frames}x{args.size}^2 clips, {result['threads']} threads, "
              f"{args.steps} timed steps after {args.warmup} warm-up:")
        print(f"  seconds/step: median {s['median']:.3f}, min {s['min']:.3f}, max {s['max']:.3f}; {result['clipsPerSecond']:.2f} clips/s")
        print(f"  CPU seconds/step (all threads): median {result['cpuSecondsPerStep']['median']:.3f}")
        print(f"  peak RSS {result['peakRssBytes'] / 1048576:.1f} MiB")
    else:
        print(f"encoder {result['encoder']}: clips [{args.batch_size}, 3, {args.frames}, {args.size}, {args.size}], "
              f"{result['threads']} threads: {result['seconds']:.3f} s per batch, {result['clipsPerSecond']:.2f} clips/s, "
              f"peak RSS {result['peakRssBytes'] / 1048576:.1f} MiB")
    if args.json:
        path = os.path.abspath(args.json)
        temp = f"{path}.{os.getpid()}.tmp"
        with open(temp, "w") as f:
            json.dump(result, f, indent=2)
        os.replace(temp, path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
