#!/usr/bin/python3
"""Trains the bundled Fashion-MNIST sample CNN and writes it, with labels, preprocessing and sample images, to assets/samples/fashion-mnist/.

Usage: /usr/bin/python3 scripts/train-sample.py [--out DIR] [--epochs N]
Needs Debian packages dataset-fashion-mnist, python3-torch, python3-onnx, python3-numpy (no downloads).
"""

import argparse
import gzip
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import zlib

import numpy as np
import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA_DIR = "/usr/share/datasets/fashion-mnist"
SEED = 1234
MIN_ACCURACY = 0.88
CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
           "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
FOLDERS = ["t-shirt-top", "trouser", "pullover", "dress", "coat",
           "sandal", "shirt", "sneaker", "bag", "ankle-boot"]
IMAGES_PER_CLASS = 5


def read_idx(path):
    """Reads a (gzipped) IDX file into a numpy uint8 array."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    zero, dtype, ndim = struct.unpack(">HBB", data[:4])
    if zero != 0 or dtype != 0x08:
        raise ValueError(f"{path}: not an unsigned-byte IDX file")
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def load_split(kind):
    images = read_idx(os.path.join(DATA_DIR, f"{kind}-images-idx3-ubyte.gz"))
    labels = read_idx(os.path.join(DATA_DIR, f"{kind}-labels-idx1-ubyte.gz"))
    assert images.shape[0] == labels.shape[0] and images.shape[1:] == (28, 28)
    return images, labels.astype(np.int64)


def write_png_gray(path, pixels):
    """Minimal deterministic 8-bit grayscale PNG writer (no PIL needed)."""
    h, w = pixels.shape
    raw = b"".join(b"\x00" + pixels[y].astype(np.uint8).tobytes() for y in range(h))

    def chunk(kind, body):
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))

    png = (b"\x89PNG\r\n\x1a\n"
           + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(raw, 9))
           + chunk(b"IEND", b""))
    with open(path, "wb") as f:
        f.write(png)


class FashionCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(16)
        self.conv2 = nn.Conv2d(16, 32, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(32)
        self.conv3 = nn.Conv2d(32, 64, 3, padding=1, bias=False)
        self.bn3 = nn.BatchNorm2d(64)
        self.fc1 = nn.Linear(64 * 3 * 3, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.bn1(self.conv1(x))), 2)  # 28 -> 14
        x = F.max_pool2d(F.relu(self.bn2(self.conv2(x))), 2)  # 14 -> 7
        x = F.max_pool2d(F.relu(self.bn3(self.conv3(x))), 2)  # 7 -> 3
        x = torch.flatten(x, 1)
        return self.fc2(F.relu(self.fc1(x)))


def evaluate(model, x, y, batch=1000):
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(x), batch):
            correct += (model(x[i:i + batch]).argmax(1) == y[i:i + batch]).sum().item()
    return correct / len(x)


def ort_outputs(model_path, batch):
    """Runs the model with onnxruntime-node from the repo (no python onnxruntime here); None if unavailable."""
    node = shutil.which("node")
    if not node or not os.path.isdir(os.path.join(REPO, "node_modules", "onnxruntime-node")):
        return None
    with tempfile.TemporaryDirectory() as tmp:
        in_path, out_path = os.path.join(tmp, "in.bin"), os.path.join(tmp, "out.bin")
        batch.astype(np.float32).tofile(in_path)
        js = """
const fs = require('fs'); const ort = require('onnxruntime-node');
const [model, inp, out, n] = process.argv.slice(1);
(async () => {
  const s = await ort.InferenceSession.create(model);
  const b = fs.readFileSync(inp);
  const data = new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
  const r = await s.run({ input: new ort.Tensor('float32', data, [Number(n), 1, 28, 28]) });
  fs.writeFileSync(out, Buffer.from(r.logits.data.buffer));
})().catch((e) => { console.error(e); process.exit(1); });
"""
        try:
            subprocess.run([node, "-e", js, model_path, in_path, out_path, str(len(batch))],
                           cwd=REPO, check=True, capture_output=True, timeout=120)
        except (subprocess.SubprocessError, OSError) as e:
            print(f"  onnxruntime-node check failed to run: {e}", file=sys.stderr)
            return None
        return np.fromfile(out_path, dtype=np.float32).reshape(len(batch), 10)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=os.path.join(REPO, "assets", "samples", "fashion-mnist"))
    ap.add_argument("--epochs", type=int, default=6)
    args = ap.parse_args()

    t0 = time.time()
    torch.manual_seed(SEED)
    np.random.seed(SEED)
    torch.set_num_threads(2)
    torch.use_deterministic_algorithms(True)

    train_img, train_lbl = load_split("train")
    test_img, test_lbl = load_split("t10k")

    # Real training-set statistics of x/255, rounded so preprocess.json reproduces them exactly.
    scaled = train_img.astype(np.float64) / 255.0
    mean, std = round(float(scaled.mean()), 4), round(float(scaled.std()), 4)
    print(f"train mean={mean} std={std} ({len(train_img)} train / {len(test_img)} test images)")

    def to_tensor(img):
        return ((torch.from_numpy(img.astype(np.float32)) / 255.0 - mean) / std).unsqueeze(1)

    x_train, y_train = to_tensor(train_img), torch.from_numpy(train_lbl)
    x_test, y_test = to_tensor(test_img), torch.from_numpy(test_lbl)

    model = FashionCNN()
    batch_size = 128
    steps = args.epochs * ((len(x_train) + batch_size - 1) // batch_size)
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=steps)
    gen = torch.Generator().manual_seed(SEED)

    for epoch in range(args.epochs):
        model.train()
        perm = torch.randperm(len(x_train), generator=gen)
        total_loss = 0.0
        for i in range(0, len(x_train), batch_size):
            idx = perm[i:i + batch_size]
            xb = x_train[idx]
            # Cheap augmentation: random horizontal flip of half the batch.
            flip = torch.rand(len(idx), generator=gen) < 0.5
            xb = torch.where(flip[:, None, None, None], xb.flip(3), xb)
            loss = F.cross_entropy(model(xb), y_train[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total_loss += loss.item() * len(idx)
        acc = evaluate(model, x_test, y_test)
        print(f"epoch {epoch + 1}/{args.epochs}: loss={total_loss / len(x_train):.4f} "
              f"test_acc={acc:.4f} ({time.time() - t0:.0f}s)")

    accuracy = evaluate(model, x_test, y_test)
    print(f"FINAL TEST ACCURACY: {accuracy:.4f} on {len(x_test)} test images")
    if accuracy < MIN_ACCURACY:  # fail before overwriting any committed asset
        print(f"ERROR: test accuracy {accuracy:.4f} < {MIN_ACCURACY}", file=sys.stderr)
        return 1

    # ---- export ----
    os.makedirs(args.out, exist_ok=True)
    onnx_path = os.path.join(args.out, "fashion-cnn.onnx")
    model.eval()
    # TrainingMode.PRESERVE on an eval-mode model skips the exporter's Conv+BN fusion peephole,
    # so BatchNormalization stays a real (inference-mode) node in the graph.
    torch.onnx.export(
        model, torch.zeros(1, 1, 28, 28), onnx_path,
        input_names=["input"], output_names=["logits"],
        dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}},
        opset_version=17, training=torch.onnx.TrainingMode.PRESERVE,
        do_constant_folding=False)

    proto = onnx.load(onnx_path)
    onnx.checker.check_model(proto, full_check=True)
    ops = [n.op_type for n in proto.graph.node]
    n_bn = ops.count("BatchNormalization")
    print(f"exported {onnx_path}: {len(ops)} nodes, {n_bn} BatchNormalization, ops={sorted(set(ops))}")
    if n_bn != 3:
        print("WARNING: exporter did not keep the 3 BatchNormalization nodes", file=sys.stderr)

    # Compare torch vs onnxruntime (via onnxruntime-node; python onnxruntime is not installed here).
    probe = x_test[:64]
    with torch.no_grad():
        ref = model(probe).numpy()
    got = ort_outputs(onnx_path, probe.numpy())
    if got is None:
        print("onnxruntime not available: skipped torch-vs-onnx output comparison")
    else:
        diff = float(np.abs(ref - got).max())
        print(f"torch vs onnxruntime-node: max abs diff {diff:.2e}")
        if diff > 1e-3 or not np.array_equal(ref.argmax(1), got.argmax(1)):
            print("ERROR: ONNX outputs differ from torch", file=sys.stderr)
            return 1

    # ---- sidecar files ----
    with open(os.path.join(args.out, "labels.txt"), "w") as f:
        f.write("\n".join(CLASSES) + "\n")
    with open(os.path.join(args.out, "preprocess.json"), "w") as f:
        json.dump({"layout": "NCHW", "channels": "grayscale",
                   "resize": {"width": 28, "height": 28, "mode": "stretch"},
                   "scale": 255, "mean": [mean], "std": [std], "inputName": "input"}, f, indent=2)
        f.write("\n")
    with open(os.path.join(args.out, "classes.json"), "w") as f:
        json.dump({folder: i for i, folder in enumerate(FOLDERS)}, f, indent=2)
        f.write("\n")
    with open(os.path.join(args.out, "model-card.json"), "w") as f:
        json.dump({"name": "Fashion-MNIST CNN", "testAccuracy": round(accuracy, 4),
                   "trainedEpochs": args.epochs, "seed": SEED,
                   "source": "scripts/train-sample.py"}, f, indent=2)
        f.write("\n")

    # First IMAGES_PER_CLASS test images of each class, as 28x28 grayscale PNGs.
    images_dir = os.path.join(args.out, "images")
    shutil.rmtree(images_dir, ignore_errors=True)
    for cls, folder in enumerate(FOLDERS):
        os.makedirs(os.path.join(images_dir, folder))
        for n, idx in enumerate(np.nonzero(test_lbl == cls)[0][:IMAGES_PER_CLASS]):
            write_png_gray(os.path.join(images_dir, folder, f"{n}.png"), test_img[idx])

    total = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(args.out) for f in fs)
    print(f"wrote {args.out} ({total / 1024:.1f} KiB total) in {time.time() - t0:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
