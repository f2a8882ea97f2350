#!/usr/bin/python3
"""Trains the demo's task models on synthetic data and writes them with sample inputs and ground truth.

usage: train-task-models.py OUT_DIR [--force]

Writes, in OUT_DIR (skipping models already there unless --force; each trains in well under a minute on 2 cores):
  shapes-detector.onnx   images [1,3,64,64] -> output0 [1,64,7]: YOLOv5-style rows (cx, cy, w, h in input pixels,
                         objectness, square score, circle score), already sigmoid-ed; class names in the metadata (labels)
  shapes-segmenter.onnx  images [1,3,64,64] -> logits [1,3,64,64]: background, square, circle
  image-invert.onnx      image [1,3,H,W] -> image_out [1,3,H,W]: 1 - x (an image-to-image model, no training)
  vad.onnx               audio [1,samples] at 16 kHz -> speech [1,frames] (one probability per 10 ms frame),
                         trained on espeak-ng speech mixed with noise and silence
  shapes-test-*.png + shapes-test-*.json   test images (64x64 and 256x256) with their shapes' boxes
  vad-test.wav + vad-test.json             speech at 22.05 kHz (so the studio resamples) and its speech segments
"""
import json
import math
import os
import struct
import subprocess
import sys
import tempfile
import wave

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

SIZE = 64
GRID = 8
STRIDE = SIZE // GRID
CLASSES = ["square", "circle"]
SR = 16000
HOP = 160


def export(model, dummy, path, inputs, outputs, dynamic_axes=None, meta=None):
    import onnx
    model.eval()
    kwargs = dict(input_names=inputs, output_names=outputs, opset_version=13, dynamic_axes=dynamic_axes or {})
    import inspect
    if "dynamo" in inspect.signature(torch.onnx.export).parameters:
        kwargs["dynamo"] = False
    tmp = path + ".tmp"
    torch.onnx.export(model, dummy, tmp, **kwargs)
    proto = onnx.load(tmp)
    for k, v in (meta or {}).items():
        entry = proto.metadata_props.add()
        entry.key, entry.value = k, v
    onnx.checker.check_model(proto)
    onnx.save(proto, tmp)
    os.replace(tmp, path)


# ---- shapes ---------------------------------------------------------------------------------------------------------

def draw_scene(rng, size=SIZE, count=None):
    """A noisy background with 1-3 filled squares and circles; returns HWC float image, class map, boxes."""
    scale = size / SIZE
    bg = rng.uniform(0.0, 0.35, 3)
    img = np.ones((size, size, 3), np.float32) * bg + rng.normal(0, 0.04, (size, size, 3)).astype(np.float32)
    cls_map = np.zeros((size, size), np.int64)
    boxes = []
    yy, xx = np.mgrid[0:size, 0:size]
    n = count if count is not None else rng.integers(1, 4)
    for _ in range(200):
        if len(boxes) >= n:
            break
        k = int(rng.integers(0, 2))
        s = rng.uniform(12, 26) * scale
        cx, cy = rng.uniform(s / 2 + 1, size - s / 2 - 1, 2)
        box = (cx - s / 2, cy - s / 2, cx + s / 2, cy + s / 2)
        if any(iou(box, b["box"]) > 0.0 for b in boxes):
            continue
        color = rng.uniform(0.55, 1.0, 3)
        if k == 0:
            m = (np.abs(xx + 0.5 - cx) <= s / 2) & (np.abs(yy + 0.5 - cy) <= s / 2)
        else:
            m = (xx + 0.5 - cx) ** 2 + (yy + 0.5 - cy) ** 2 <= (s / 2) ** 2
        img[m] = color
        cls_map[m] = k + 1
        boxes.append({"label": CLASSES[k], "class": k, "box": box})
    return np.clip(img, 0, 1), cls_map, boxes


def iou(a, b):
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def batch(rng, n):
    imgs, maps, targets = [], [], []
    for _ in range(n):
        img, m, boxes = draw_scene(rng)
        imgs.append(img.transpose(2, 0, 1).astype(np.float32))
        maps.append(m)
        t = np.zeros((GRID, GRID, 6), np.float32)  # obj, class, cx-off, cy-off, log w, log h
        for b in boxes:
            x0, y0, x1, y1 = b["box"]
            cx, cy, w, h = (x0 + x1) / 2, (y0 + y1) / 2, x1 - x0, y1 - y0
            gx, gy = min(GRID - 1, int(cx // STRIDE)), min(GRID - 1, int(cy // STRIDE))
            t[gy, gx] = [1, b["class"], cx / STRIDE - gx, cy / STRIDE - gy, math.log(w / 16), math.log(h / 16)]
        targets.append(t)
    return torch.tensor(np.stack(imgs)), torch.tensor(np.stack(maps)), torch.tensor(np.stack(targets))


def conv(i, o, s=1):
    return nn.Sequential(nn.Conv2d(i, o, 3, s, 1), nn.BatchNorm2d(o), nn.ReLU())


class Detector(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(conv(3, 16, 2), conv(16, 32, 2), conv(32, 48, 2), conv(48, 48))
        self.head = nn.Conv2d(48, 7, 1)
        gy, gx = torch.meshgrid(torch.arange(GRID), torch.arange(GRID), indexing="ij")
        self.register_buffer("grid", torch.stack([gx, gy], -1).reshape(1, GRID * GRID, 2).float())

    def raw(self, x):
        return self.head(self.body(x)).permute(0, 2, 3, 1)  # [B, G, G, 7]: obj, cls0, cls1, dx, dy, lw, lh

    def forward(self, x):
        r = self.raw(x).reshape(-1, GRID * GRID, 7)
        xy = (torch.sigmoid(r[..., 3:5]) + self.grid) * STRIDE
        wh = torch.exp(r[..., 5:7].clamp(-4, 4)) * 16
        obj = torch.sigmoid(r[..., 0:1])
        cls = torch.softmax(r[..., 1:3], -1)
        return torch.cat([xy, wh, obj, cls], -1)


def train_detector(path, rng):
    torch.manual_seed(0)
    model = Detector()
    opt = torch.optim.Adam(model.parameters(), 3e-3)
    steps = 500
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, 3e-3, total_steps=steps)
    for step in range(steps):
        x, _, t = batch(rng, 32)
        r = model.raw(x)
        obj = t[..., 0]
        pos = obj > 0
        loss = F.binary_cross_entropy_with_logits(r[..., 0], obj, pos_weight=torch.tensor(4.0))
        if pos.any():
            p = r[pos]
            tp = t[pos]
            loss = loss + F.cross_entropy(p[:, 1:3], tp[:, 1].long())
            loss = loss + 5 * F.mse_loss(torch.sigmoid(p[:, 3:5]), tp[:, 2:4]) + 2 * F.mse_loss(p[:, 5:7], tp[:, 4:6])
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        if step % 100 == 0:
            print(f"  detector step {step} loss {loss.item():.3f}", flush=True)
    export(model, torch.zeros(1, 3, SIZE, SIZE), path, ["images"], ["output0"],
           meta={"task": "detect", "labels": json.dumps(CLASSES)})


class Segmenter(nn.Module):
    """Half-resolution encoder-decoder; logits upsampled to the input size plus a per-pixel colour term for sharp edges."""

    def __init__(self):
        super().__init__()
        self.e1, self.e2, self.e3 = conv(3, 16, 2), conv(16, 32, 2), conv(32, 32)
        self.d1 = conv(48, 16)
        self.out = nn.Conv2d(16, 3, 1)
        self.pixel = nn.Sequential(nn.Conv2d(3, 8, 1), nn.ReLU(), nn.Conv2d(8, 3, 1))

    def forward(self, x):
        a = self.e1(x)
        c = self.e3(self.e2(a))
        u = self.d1(torch.cat([F.interpolate(c, scale_factor=2.0, mode="nearest"), a], 1))
        return F.interpolate(self.out(u), scale_factor=2.0, mode="bilinear", align_corners=False) + self.pixel(x)


def train_segmenter(path, rng):
    torch.manual_seed(1)
    model = Segmenter()
    opt = torch.optim.Adam(model.parameters(), 3e-3)
    steps = 300
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, 3e-3, total_steps=steps)
    for step in range(steps):
        x, m, _ = batch(rng, 16)
        loss = F.cross_entropy(model(x), m)
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
        if step % 100 == 0:
            print(f"  segmenter step {step} loss {loss.item():.3f}", flush=True)
    export(model, torch.zeros(1, 3, SIZE, SIZE), path, ["images"], ["logits"],
           meta={"task": "segment", "labels": json.dumps(["background"] + CLASSES)})


class Invert(nn.Module):
    def forward(self, x):
        return 1.0 - x


def write_png(path, img):
    from PIL import Image
    Image.fromarray((np.clip(img, 0, 1) * 255).round().astype(np.uint8)).save(path)


def write_shape_samples(out, rng):
    for name, size in (("shapes-test-64", SIZE), ("shapes-test-256", 256)):
        img, _, boxes = draw_scene(rng, size, count=3)
        write_png(os.path.join(out, name + ".png"), img)
        with open(os.path.join(out, name + ".json"), "w") as f:
            json.dump({"width": size, "height": size, "shapes": [{"label": b["label"], "box": [round(v, 2) for v in b["box"]]} for b in boxes]}, f, indent=1)


# ---- audio ----------------------------------------------------------------------------------------------------------

PHRASES = ["hello there", "the quick brown fox jumps", "deploy the model now", "seven eight nine", "open the door please",
           "students show their demos", "what time is it", "turn left at the corner", "a small voice model", "good morning"]
VOICES = ["en", "en-us", "en+f3", "en+m3", "en-gb"]


def speak(text, voice, speed):
    with tempfile.NamedTemporaryFile(suffix=".wav") as tmp:
        subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-w", tmp.name, text], check=True, capture_output=True)
        with wave.open(tmp.name) as w:
            rate = w.getframerate()
            pcm = np.frombuffer(w.readframes(w.getnframes()), np.int16).astype(np.float32) / 32768
    return resample(pcm, rate, SR)


def resample(x, src, dst):
    n = int(round(len(x) * dst / src))
    return np.interp(np.arange(n) * src / dst, np.arange(len(x)), x).astype(np.float32)


def speech_mask(clean, sr=SR):
    """Per-10 ms frame truth: speech where the clean speech's short-time energy is above -40 dB of its peak, with gaps
    under 150 ms (between words) filled."""
    hop = sr // 100
    frames = len(clean) // hop
    e = np.array([np.sqrt(np.mean(clean[i * hop:(i + 1) * hop] ** 2)) for i in range(frames)])
    on = e > (e.max() * 0.01 if e.max() > 0 else 1)
    idx = np.flatnonzero(on)
    for a, b in zip(idx[:-1], idx[1:]):
        if 1 < b - a <= 15:
            on[a:b] = True
    return on


def mix(rng, clips, seconds):
    n = int(seconds * SR)
    clean = np.zeros(n, np.float32)
    t = rng.uniform(0.2, 0.8)
    for c in clips:
        start = int(t * SR)
        if start + len(c) >= n:
            break
        clean[start:start + len(c)] += c * rng.uniform(0.3, 1.0)
        t += len(c) / SR + rng.uniform(0.4, 1.5)
    kind = rng.integers(0, 3)
    noise = rng.normal(0, 1, n).astype(np.float32)
    if kind == 1:  # brown-ish noise
        noise = np.cumsum(noise)
        noise = (noise - np.convolve(noise, np.ones(400) / 400, "same")).astype(np.float32)
        noise /= noise.std() + 1e-9
    level = [rng.uniform(0.0005, 0.003), rng.uniform(0.002, 0.02), rng.uniform(0.005, 0.04)][kind]
    return clean + noise * level, clean


class Vad(nn.Module):
    """A learned filterbank (400-sample windows every 160 samples) and a small temporal CNN: one probability a frame."""

    def __init__(self):
        super().__init__()
        self.front = nn.Conv1d(1, 32, 400, HOP, padding=200)
        self.net = nn.Sequential(nn.Conv1d(32, 32, 5, padding=2), nn.ReLU(), nn.Conv1d(32, 32, 9, padding=8, dilation=2),
                                 nn.ReLU(), nn.Conv1d(32, 1, 9, padding=4))

    def logits(self, audio):
        f = torch.log1p(self.front(audio.unsqueeze(1)).abs() * 10)
        return self.net(f).squeeze(1)[:, : audio.shape[1] // HOP]

    def forward(self, audio):
        return torch.sigmoid(self.logits(audio))


def train_vad(path, rng):
    torch.manual_seed(2)
    clips = [speak(p, VOICES[i % len(VOICES)], 140 + 20 * (i % 4)) for i, p in enumerate(PHRASES * 2)]
    model = Vad()
    opt = torch.optim.Adam(model.parameters(), 2e-3)
    steps = 250
    for step in range(steps):
        xs, ys = [], []
        for _ in range(8):
            pick = [clips[i] for i in rng.choice(len(clips), 3, replace=False)]
            x, clean = mix(rng, pick, 4.0)
            xs.append(x * rng.uniform(0.3, 2.0))
            ys.append(speech_mask(clean)[: len(x) // HOP])
        x = torch.tensor(np.stack(xs))
        y = torch.tensor(np.stack(ys)).float()
        loss = F.binary_cross_entropy_with_logits(model.logits(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        if step % 50 == 0:
            print(f"  vad step {step} loss {loss.item():.3f}", flush=True)
    export(model, torch.zeros(1, SR), path, ["audio"], ["speech"], {"audio": {1: "samples"}, "speech": {1: "frames"}},
           meta={"task": "audio", "sample_rate": str(SR), "frame_hop_samples": str(HOP)})


def write_vad_sample(out, rng):
    """Silence and noise with two phrases a voice the model never heard at this speed; 22.05 kHz 16-bit mono."""
    a = speak("this is a test of the studio", "en-us", 150)
    b = speak("speech detection works", "en+f3", 165)
    n = int(5.0 * SR)
    clean = np.zeros(n, np.float32)
    starts = [int(0.8 * SR), int(3.0 * SR)]
    clean[starts[0]:starts[0] + len(a)] += a
    clean[starts[1]:starts[1] + len(b)] += b
    x = clean + rng.normal(0, 0.004, n).astype(np.float32)
    on = speech_mask(clean)
    segs, start = [], None
    for i, v in enumerate(list(on) + [False]):
        if v and start is None:
            start = i
        if not v and start is not None:
            segs.append([round(start / 100, 2), round(i / 100, 2)])
            start = None
    rate = 22050
    pcm = (np.clip(resample(x, SR, rate), -1, 1) * 32767).astype(np.int16)
    with wave.open(os.path.join(out, "vad-test.wav"), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm.tobytes())
    with open(os.path.join(out, "vad-test.json"), "w") as f:
        json.dump({"sampleRate": rate, "seconds": n / SR, "speech": segs}, f, indent=1)


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    force = "--force" in sys.argv
    if len(args) != 1:
        print(__doc__)
        sys.exit(2)
    out = args[0]
    os.makedirs(out, exist_ok=True)
    torch.set_num_threads(1)  # one thread: faster than two on a loaded 2-core machine
    jobs = [
        ("shapes-detector.onnx", lambda p: train_detector(p, np.random.default_rng(10))),
        ("shapes-segmenter.onnx", lambda p: train_segmenter(p, np.random.default_rng(11))),
        ("image-invert.onnx", lambda p: export(Invert(), torch.zeros(1, 3, 32, 32), p, ["image"], ["image_out"],
                                               {"image": {2: "height", 3: "width"}, "image_out": {2: "height", 3: "width"}})),
        ("shapes-test-64.png", lambda p: write_shape_samples(out, np.random.default_rng(12))),
        ("vad.onnx", lambda p: train_vad(p, np.random.default_rng(13))),
        ("vad-test.wav", lambda p: write_vad_sample(out, np.random.default_rng(14))),
    ]
    for name, make in jobs:
        path = os.path.join(out, name)
        if os.path.exists(path) and not force:
            print(f"cached {name}")
            continue
        import time
        t0 = time.time()
        make(path)
        print(f"made   {name} in {time.time() - t0:.1f} s", flush=True)


if __name__ == "__main__":
    main()
