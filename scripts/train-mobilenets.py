#!/usr/bin/python3
"""Trains torchvision's mobilenet_v3_small and mobilenet_v2 on Fashion-MNIST (32x32, gray replicated to 3 channels)
and writes them as ONNX (opset 13) with a held-out test set and a calibration set, for the int8 fidelity tests.

Usage: /usr/bin/python3 scripts/train-mobilenets.py [OUT_DIR] [--force] [--steps N] [--models a,b]
Writes into OUT_DIR (default test/fixtures/generated/trained):
  mobilenet_v3_small.onnx, mobilenet_v2.onnx    10-class logits, input "input" [batch,3,32,32] in [-1,1]
  <model>.json                                  float test accuracy (full 10 000 and the 1 000 below), steps, seconds
  test/x.npy, test/y.npy                        1 000 held-out test images (float32) and labels (int64)
  calib/x.npy                                   256 training-split images for calibration (not in the test set)
Existing outputs are kept (no retraining) unless --force. Seeded; needs Debian's dataset-fashion-mnist,
python3-torch, python3-torchvision, python3-onnx. Takes about two minutes per model on two cores.
"""

import argparse
import gzip
import json
import os
import struct
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA_DIR = "/usr/share/datasets/fashion-mnist"
SEED = 2121
TEST_COUNT = 1000
CALIB_COUNT = 256


def read_idx(path):
    """Reads a gzipped IDX file into a numpy uint8 array."""
    with gzip.open(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def load_split(kind):
    """Returns (images [n,3,32,32] float32 in [-1,1], labels int64): 28x28 padded by 2 with background, gray x3."""
    path = os.path.join(DATA_DIR, f"{kind}-images-idx3-ubyte.gz")
    if not os.path.exists(path):
        sys.exit(f"{path} is missing: install the Debian package dataset-fashion-mnist")
    images = read_idx(path).astype(np.float32) / 127.5 - 1.0
    labels = read_idx(os.path.join(DATA_DIR, f"{kind}-labels-idx1-ubyte.gz")).astype(np.int64)
    images = np.pad(images, ((0, 0), (2, 2), (2, 2)), constant_values=-1.0)
    return np.ascontiguousarray(np.repeat(images[:, None], 3, axis=1)), labels


# Width multiplier per architecture: v2 at 0.5 costs about what v3-small costs per image, so both train in minutes.
WIDTH = {"mobilenet_v3_small": None, "mobilenet_v2": 0.5}


def build(name):
    """torchvision's architecture with 10 classes. The stem keeps its stride 2 (a stride-1 stem made training four times
    slower on two cores); at 32x32 the last feature map is 1x1."""
    import torchvision
    kwargs = {"width_mult": WIDTH[name]} if WIDTH[name] else {}
    model = getattr(torchvision.models, name)(weights=None, num_classes=10, **kwargs)
    return model


def accuracy(model, x, y, batch=500):
    model.eval()
    hits = 0
    with torch.no_grad():
        for i in range(0, len(x), batch):
            hits += int((model(torch.from_numpy(x[i:i + batch])).argmax(1).numpy() == y[i:i + batch]).sum())
    return hits / len(x)


def train(name, x, y, steps, batch):
    torch.manual_seed(SEED)
    rng = np.random.default_rng(SEED)
    model = build(name)
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-4)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=steps, pct_start=0.2)
    model.train()
    t0 = time.time()
    for step in range(steps):
        idx = rng.integers(0, len(x), batch)
        xb = torch.from_numpy(x[idx])
        flip = torch.from_numpy(rng.random(batch) < 0.5)
        xb[flip] = xb[flip].flip(3)
        loss = F.cross_entropy(model(xb), torch.from_numpy(y[idx]), label_smoothing=0.05)
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        if step % 50 == 0 or step == steps - 1:
            print(f"  {name} step {step + 1}/{steps} loss {loss.item():.3f} ({time.time() - t0:.0f}s)", flush=True)
    recalibrate_bn(model, x, rng)
    return model.eval(), time.time() - t0


def recalibrate_bn(model, x, rng, batches=20, batch=128):
    """Re-estimates BatchNorm statistics with the final weights (torchvision's MobileNetV3 uses BN momentum 0.01, whose
    running averages still lag the weights after a short schedule: without this its test top-1 was 12 %)."""
    for m in model.modules():
        if isinstance(m, torch.nn.modules.batchnorm._BatchNorm):
            m.reset_running_stats()
            m.momentum = None
    model.train()
    with torch.no_grad():
        for _ in range(batches):
            model(torch.from_numpy(x[rng.integers(0, len(x), batch)]))


def export(model, path):
    import onnx
    dummy = torch.zeros(1, 3, 32, 32)
    torch.onnx.export(model, dummy, path, input_names=["input"], output_names=["logits"],
                      dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}}, opset_version=13,
                      do_constant_folding=True)
    onnx.checker.check_model(onnx.load(path))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out_dir", nargs="?", default=os.path.join(REPO, "test", "fixtures", "generated", "trained"))
    ap.add_argument("--force", action="store_true", help="retrain even when the outputs exist")
    ap.add_argument("--steps", type=int, default=500, help="training steps per model (batch 128)")
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--models", default="mobilenet_v3_small,mobilenet_v2")
    args = ap.parse_args()
    torch.set_num_threads(int(os.environ.get("TRAIN_THREADS", "2")))
    os.makedirs(args.out_dir, exist_ok=True)

    train_x, train_y = load_split("train")
    test_x, test_y = load_split("t10k")
    data_files = {"test/x.npy": test_x[:TEST_COUNT], "test/y.npy": test_y[:TEST_COUNT],
                  "calib/x.npy": train_x[np.random.default_rng(SEED + 1).choice(len(train_x), CALIB_COUNT, False)]}
    for f, arr in data_files.items():
        p = os.path.join(args.out_dir, f)
        if args.force or not os.path.exists(p):
            os.makedirs(os.path.dirname(p), exist_ok=True)
            np.save(p + ".part.npy", arr)
            os.replace(p + ".part.npy", p)
    for name in args.models.split(","):
        onnx_path = os.path.join(args.out_dir, f"{name}.onnx")
        meta_path = os.path.join(args.out_dir, f"{name}.json")
        if not args.force and os.path.exists(onnx_path) and os.path.exists(meta_path):
            print(f"skip   {name} (exists; --force to retrain)")
            continue
        model, seconds = train(name, train_x, train_y, args.steps, args.batch)
        meta = {"model": name, "steps": args.steps, "batch": args.batch, "seed": SEED, "trainSeconds": round(seconds, 1),
                "testAccuracy10k": accuracy(model, test_x, test_y),
                "testAccuracy1k": accuracy(model, test_x[:TEST_COUNT], test_y[:TEST_COUNT])}
        tmp = onnx_path + ".part"
        export(model, tmp)
        os.replace(tmp, onnx_path)
        with open(meta_path, "w") as f:
            json.dump(meta, f, indent=1)
        print(f"wrote  {name}: test top-1 {meta['testAccuracy10k'] * 100:.2f} % (10k), "
              f"{meta['testAccuracy1k'] * 100:.1f} % (1k), trained {seconds:.0f}s")


if __name__ == "__main__":
    main()
