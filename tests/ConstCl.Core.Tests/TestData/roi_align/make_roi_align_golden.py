#!/usr/bin/python3
"""Golden values for ConstCl.Ops.RoiAlign, made with torchvision.ops.roi_align.

Run with the system interpreter (Debian python3-torch 1.13 + python3-torchvision 0.14):
    /usr/bin/python3 make_roi_align_golden.py > roi_align_golden.txt

Format (plain text, one record per line, numbers in %.9g):
    features N C H W            then one line of N*C*H*W values (row-major)
    case outH outW scale sampling aligned K
    rois      K*5 values (batch, x1, y1, x2, y2) in image units (feature units / scale)
    output    K*C*outH*outW values of roi_align(features, rois, ...)
    upstream  K*C*outH*outW values u (fixed weights)
    grad      N*C*H*W values of d(sum(output * u)) / d features
All in float32 (features, rois, outputs as torch computes them in float32).
"""
import torch
import torchvision
from torchvision.ops import roi_align

torch.set_num_threads(2)
g = torch.Generator().manual_seed(20261126)

N, C, H, W = 2, 3, 5, 6
features = torch.randn(N, C, H, W, generator=g, dtype=torch.float32)

# Boxes in FEATURE units (x1, y1, x2, y2) with a batch index: inside, partly outside on every
# side, wholly outside, tiny (< 1 px), degenerate (zero size), inverted, touching the border
# exactly, and large ones (so the adaptive sampling grid is > 1).
feature_boxes = [
    (0, 0.5, 0.5, 3.5, 2.5),
    (1, 1.2, 0.3, 4.9, 4.1),
    (1, -1.5, -0.7, 2.2, 1.9),     # partly outside top-left
    (0, 3.5, 2.5, 7.8, 6.6),       # partly outside bottom-right
    (1, -3.0, -2.5, -1.2, -1.1),   # wholly outside (samples < -1)
    (0, 6.4, 5.2, 8.0, 7.0),       # wholly outside bottom-right
    (0, 2.1, 1.7, 2.4, 1.9),       # tiny
    (1, 3.0, 2.0, 3.0, 2.0),       # zero size
    (0, 4.0, 3.0, 1.0, 1.0),       # inverted
    (1, 0.0, 0.0, 6.0, 5.0),       # whole map, exact border
    (0, -1.0, -1.0, 7.0, 6.0),     # one pixel beyond on every side
    (1, 0.25, 3.75, 5.75, 4.9),    # wide and thin
]
base = torch.tensor(feature_boxes, dtype=torch.float64)

cases = [
    # outH, outW, scale, sampling_ratio, aligned
    (4, 4, 1.0, 1, True),      # the ConST-CL setting (4x4 bins, one sample per bin)
    (2, 2, 1.0, 2, False),
    (3, 2, 0.5, 2, True),
    (2, 3, 0.25, 3, False),
    (2, 2, 1.0, 0, True),      # adaptive sampling grid ceil(roi/bin)
    (3, 3, 0.5, 0, False),     # adaptive, aligned=False
    (1, 1, 2.0, 1, False),
    (5, 3, 1.0, 2, True),
]


def fmt(t):
    return " ".join("%.9g" % v for v in t.reshape(-1).tolist())


print("features %d %d %d %d" % (N, C, H, W))
print(fmt(features))
for (oh, ow, scale, sr, aligned) in cases:
    rois = base.clone()
    rois[:, 1:] = rois[:, 1:] / scale
    rois = rois.to(torch.float32)
    f = features.clone().requires_grad_(True)
    out = roi_align(f, rois, output_size=(oh, ow), spatial_scale=scale,
                    sampling_ratio=sr, aligned=aligned)
    u = torch.randn(out.shape, generator=g, dtype=torch.float32)
    (out * u).sum().backward()
    print("case %d %d %.9g %d %d %d" % (oh, ow, scale, sr, int(aligned), rois.shape[0]))
    print("rois " + fmt(rois))
    print("output " + fmt(out.detach()))
    print("upstream " + fmt(u))
    print("grad " + fmt(f.grad))
