#!/usr/bin/python3
"""Writes the UCF101 and HMDB51 fixture folders (official layouts, empty placeholder videos).

Run from this folder: /usr/bin/python3 make_fixtures.py
The readers never decode, so the .avi files are empty. Expected counts are asserted in
tests/ConstCl.Core.Tests/Datasets/Ucf101Tests.cs and Hmdb51Tests.cs.
"""
import os
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))


def write(path, lines, newline="\n", bom=False):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        if bom:
            f.write(b"\xef\xbb\xbf")
        f.write("".join(l + newline for l in lines).encode("utf-8"))


def touch(path):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    open(path, "wb").close()


def ucf101():
    root = os.path.join(HERE, "ucf101")
    shutil.rmtree(root, ignore_errors=True)
    # (folder/class name, name used inside file names) -- HandstandPushups has the real dataset's
    # HandStandPushups spelling inside its file names.
    classes = [("ApplyEyeMakeup", "ApplyEyeMakeup"), ("Basketball", "Basketball"), ("HandstandPushups", "HandStandPushups")]
    groups = [1, 8, 15, 22]        # official test groups: split1 g01-g07, split2 g08-g14, split3 g15-g21
    clips = [1, 2]
    write(os.path.join(root, "ucfTrainTestlist", "classInd.txt"), [f"{i + 1} {c}" for i, (c, _) in enumerate(classes)], "\r\n")
    videos = []
    for ci, (cls, inner) in enumerate(classes):
        for g in groups:
            for c in clips:
                rel = f"{cls}/v_{inner}_g{g:02d}_c{c:02d}.avi"
                touch(os.path.join(root, "UCF-101", rel))
                videos.append((rel, ci + 1, g))
    for split, lo in ((1, 1), (2, 8), (3, 15)):
        test = [v for v in videos if lo <= v[2] <= lo + 6]
        train = [v for v in videos if not lo <= v[2] <= lo + 6]
        train_lines = [f"{rel} {k}" for rel, k, _ in train]
        if split == 1:
            # Listed but not on disk: must be reported as missing.
            train_lines.append("Basketball/v_Basketball_g22_c03.avi 2")
        # Official lists use CRLF; one file also gets a BOM.
        write(os.path.join(root, "ucfTrainTestlist", f"trainlist{split:02d}.txt"), train_lines, "\r\n")
        write(os.path.join(root, "ucfTrainTestlist", f"testlist{split:02d}.txt"), [rel for rel, _, _ in test], "\r\n", bom=(split == 3))


def hmdb51():
    root = os.path.join(HERE, "hmdb51")
    shutil.rmtree(root, ignore_errors=True)
    classes = ["brush_hair", "cartwheel", "ride_bike"]
    for cls in classes:
        names = [f"Sample_{i}_{cls}_f_cm_np1_ri_med_{i}.avi" for i in range(6)]
        for n in names:
            touch(os.path.join(root, cls, n))
        for split in (1, 2, 3):
            # Per split: 3 train (1), 2 test (2), 1 unused (0), rotating with the split.
            marks = [1, 1, 1, 2, 2, 0]
            k = split - 1
            marks = marks[-k:] + marks[:-k] if k else marks
            lines = [f"{n} {m} " for n, m in zip(names, marks)]   # the official files end lines with a space
            if cls == "cartwheel" and split == 1:
                lines.append("Sample_9_cartwheel_missing.avi 1 ")
            write(os.path.join(root, "testTrainMulti_7030_splits", f"{cls}_test_split{split}.txt"), lines, "\n" if split != 2 else "\r\n")


if __name__ == "__main__":
    ucf101()
    hmdb51()
