"""Golden values for RandomResizedCrop's resize: PyTorch bilinear, align_corners=False, no antialias
(the same sampling as TF tf.image.resize(bilinear, half_pixel_centers)). Run with /usr/bin/python3
(Debian's python3-torch). Writes resize_golden.txt: one case per block,
"case cx cy cw ch outH outW" followed by outH*outW*3*frames values in 0..255 units, [T, H, W, 3] order."""
import torch
import torch.nn.functional as F

torch.set_num_threads(2)
T, H, W = 2, 30, 40


def pattern(t, y, x, c):
    # Must equal TestClips.PatternValue in the C# tests.
    return ((t * 37) + (y * 11) + (x * 7) + (c * 83) + ((x * y) % 13)) % 256


frames = torch.tensor([[[[pattern(t, y, x, c) for c in range(3)] for x in range(W)] for y in range(H)] for t in range(T)],
                      dtype=torch.float32)  # [T, H, W, 3]

cases = [(7, 4, 23, 17, 11, 9), (2, 5, 9, 6, 20, 31), (0, 0, 40, 30, 30, 13), (13, 1, 27, 29, 16, 16)]
with open("resize_golden.txt", "w") as f:
    for cx, cy, cw, ch, oh, ow in cases:
        crop = frames[:, cy:cy + ch, cx:cx + cw, :].permute(0, 3, 1, 2)  # [T, 3, h, w]
        out = F.interpolate(crop, size=(oh, ow), mode="bilinear", align_corners=False, antialias=False)
        out = out.permute(0, 2, 3, 1).contiguous().reshape(-1)  # [T, H, W, 3]
        f.write(f"case {cx} {cy} {cw} {ch} {oh} {ow}\n")
        f.write(" ".join(f"{v:.6f}" for v in out.tolist()) + "\n")
