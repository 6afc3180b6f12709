#!/usr/bin/python3
"""Golden data for ConstCl.Regions (SLIC and Felzenszwalb-Huttenlocher boxes).

Run from this folder with the system interpreter (Debian 12: python3-skimage 0.19.3, numpy):
    /usr/bin/python3 make_region_golden.py
Writes, for each golden image NAME (96x96 RGB24):
    NAME.rgb                      raw RGB24 bytes, row-major [H, W, 3]
    NAME.<method>.labels.u16      skimage's label map, little-endian uint16 [H, W]
and golden.json with the parameters, segment counts and the bounding boxes of the 16 largest
segments (pixel counts descending, ties: smaller label first), in the ConstCl convention:
box = (x1, y1, x2, y2) normalised, x1 = min_col / W, x2 = (max_col + 1) / W (same for y).
The tests never run Python; they read these files.
"""
import json
import os

import numpy as np
import skimage
from skimage import io, transform
from skimage.segmentation import felzenszwalb, slic

H = W = 96
TOP = 16
rng = np.random.RandomState(20261126)


def shapes_image():
    """Flat background with a few flat coloured shapes (sharp edges)."""
    img = np.zeros((H, W, 3), np.uint8)
    img[:] = (40, 90, 160)
    yy, xx = np.mgrid[:H, :W]
    img[10:40, 8:50] = (230, 60, 40)                                   # rectangle
    img[(yy - 65) ** 2 + (xx - 66) ** 2 < 18 ** 2] = (250, 220, 30)    # disc
    tri = (yy > 50) & (yy < 90) & (xx > 6) & (xx - 6 < (yy - 50))      # triangle
    img[tri] = (30, 200, 80)
    img[60:70, 70:92] = (245, 245, 245)                                # bar over the disc
    return img


def textured_image():
    """Shapes over a smooth random texture with pixel noise (natural-ish statistics)."""
    coarse = rng.rand(7, 7, 3)
    tex = transform.resize(coarse, (H, W, 3), order=3, mode='reflect', anti_aliasing=False)
    tex = np.clip(tex, 0, 1) * 180 + 30
    img = tex.copy()
    yy, xx = np.mgrid[:H, :W]
    img[(yy - 30) ** 2 / 400.0 + (xx - 60) ** 2 / 900.0 < 1] = (200, 40, 60)
    img[55:85, 15:45] = (20, 30, 200)
    img += rng.randn(H, W, 3) * 6.0
    return np.clip(np.round(img), 0, 255).astype(np.uint8)


def astronaut_image():
    """skimage.data.astronaut (NASA, public domain) resized to 96x96."""
    src = io.imread(os.path.join(os.path.dirname(skimage.__file__), 'data', 'astronaut.png'))[..., :3]
    small = transform.resize(src, (H, W), order=1, anti_aliasing=True, preserve_range=True)
    return np.clip(np.round(small), 0, 255).astype(np.uint8)


METHODS = {
    'slic16': lambda im: slic(im, n_segments=16, compactness=10.0, max_num_iter=10, sigma=0,
                              enforce_connectivity=True, start_label=1, channel_axis=-1),
    'slic64': lambda im: slic(im, n_segments=64, compactness=20.0, max_num_iter=10, sigma=0,
                              enforce_connectivity=True, start_label=1, channel_axis=-1),
    'fh_default': lambda im: felzenszwalb(im, scale=1.0, sigma=0.8, min_size=20),
    'fh_coarse': lambda im: felzenszwalb(im, scale=300.0, sigma=0.8, min_size=80),
}
PARAMS = {
    'slic16': {'n_segments': 16, 'compactness': 10.0, 'max_num_iter': 10, 'sigma': 0},
    'slic64': {'n_segments': 64, 'compactness': 20.0, 'max_num_iter': 10, 'sigma': 0},
    'fh_default': {'scale': 1.0, 'sigma': 0.8, 'min_size': 20},
    'fh_coarse': {'scale': 300.0, 'sigma': 0.8, 'min_size': 80},
}


def top_boxes(labels):
    ids, counts = np.unique(labels, return_counts=True)
    order = sorted(range(len(ids)), key=lambda i: (-counts[i], ids[i]))[:TOP]
    boxes = []
    for i in order:
        rows, cols = np.nonzero(labels == ids[i])
        boxes.append({'label': int(ids[i]), 'pixels': int(counts[i]),
                      'box': [cols.min() / W, rows.min() / H, (cols.max() + 1) / W, (rows.max() + 1) / H]})
    return boxes


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    images = {'shapes': shapes_image(), 'textured': textured_image(), 'astronaut': astronaut_image()}
    out = {'skimage': skimage.__version__, 'numpy': np.__version__, 'width': W, 'height': H,
           'top': TOP, 'params': PARAMS, 'images': {}}
    for name, img in images.items():
        assert img.shape == (H, W, 3) and img.dtype == np.uint8
        img.tofile(os.path.join(here, name + '.rgb'))
        entry = {}
        for method, fn in METHODS.items():
            labels = fn(img)
            labels.astype('<u2').tofile(os.path.join(here, f'{name}.{method}.labels.u16'))
            entry[method] = {'segments': int(len(np.unique(labels))), 'boxes': top_boxes(labels)}
        out['images'][name] = entry
    with open(os.path.join(here, 'golden.json'), 'w') as f:
        json.dump(out, f, indent=1)
    for name, entry in out['images'].items():
        print(name, {m: e['segments'] for m, e in entry.items()})


if __name__ == '__main__':
    main()
