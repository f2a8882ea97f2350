// Static int8 ablation: per model (trained MobileNets, resnet18, the sample, the PaddleOCR corpus models when present),
// output SNR, top-1 (labelled data) or agreement, and p50 float vs int8 (runs alternated in one process) with the host
// defaults and with each technique switched off or swapped; then a layer-by-layer diagnosis of the trained MobileNets
// (own SNR, accumulated SNR, depthwise weight ranges). QUANT_BENCH_MODELS=a,b limits the models; QUANT_BENCH_ROUNDS.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { benchSetup, median, resnet, root, sample } from '../bench-setup.mjs';

const require = createRequire(import.meta.url);
const ort = require('onnxruntime-node');
const cli = path.join(root, 'out', 'cli', 'cli.cjs');
const trained = path.join(root, 'test', 'fixtures', 'generated', 'trained');
const corpus = path.join(root, 'test', 'fixtures', 'corpus');
const ROUNDS = Number(process.env.QUANT_BENCH_ROUNDS ?? 7);
const RUNS = 15;
const THREADS = Number(process.env.BENCH_THREADS ?? 2);
const tmp = benchSetup();

if (!fs.existsSync(path.join(trained, 'mobilenet_v2.onnx')) || !fs.existsSync(path.join(trained, 'mobilenet_v3_small.onnx'))) {
  console.log('training the MobileNets (scripts/train-mobilenets.py, a few minutes)…');
  spawnSync('/usr/bin/python3', [path.join(root, 'scripts', 'train-mobilenets.py'), trained], { stdio: 'inherit' });
}

const mobilenet = (name) => ({
  name,
  file: path.join(trained, `${name}.onnx`),
  shape: [1, 3, 32, 32],
  data: ['--calibration', path.join(trained, 'calib'), '--eval', path.join(trained, 'test'), '--eval-limit', '1000'],
});
const MODELS = [
  mobilenet('mobilenet_v3_small'),
  mobilenet('mobilenet_v2'),
  { name: 'resnet18 (random weights)', file: resnet, shape: [1, 3, 224, 224], data: [] },
  { name: 'sample (fashion-cnn)', file: sample, shape: [1, 1, 28, 28], data: ['--calibration', path.join(path.dirname(sample), 'images'), '--eval', path.join(path.dirname(sample), 'images')] },
  { name: 'ppocr-mobile-cls', file: path.join(corpus, 'ppocr-mobile-cls.onnx'), shape: [1, 3, 48, 192], dims: ['p2o.DynamicDimension.0=1', 'p2o.DynamicDimension.1=48', 'p2o.DynamicDimension.2=192'], data: [], few: true },
  { name: 'ppocr-v4-det', file: path.join(corpus, 'ppocr-v4-det.onnx'), shape: [1, 3, 160, 160], dims: ['p2o.DynamicDimension.0=1', 'p2o.DynamicDimension.1=160', 'p2o.DynamicDimension.2=160'], data: [], few: true },
  { name: 'ppocr-v4-rec', file: path.join(corpus, 'ppocr-v4-rec.onnx'), shape: [1, 3, 48, 320], dims: ['p2o.DynamicDimension.0=1', 'p2o.DynamicDimension.1=320'], data: [], few: true },
].filter((m) => fs.existsSync(m.file) && (!process.env.QUANT_BENCH_MODELS || process.env.QUANT_BENCH_MODELS.split(',').some((w) => m.name.startsWith(w))));

// Each variant changes one thing against the host defaults. The guard measures only here (minimums out of reach of
// nothing), so each row shows the technique's own effect; the last row is the defaults with the guard at its defaults.
// Host defaults: per-channel weights, MSE-chosen activation clipping, fused-only planning.
const MEASURE_ONLY = ['--min-snr', '-100', '--min-agreement', '0'];
const VARIANTS = [
  { id: 'defaults', args: MEASURE_ONLY },
  { id: 'all ops (no fused-only)', args: [...MEASURE_ONLY, '--no-fused-only'] },
  { id: 'per-tensor weights', args: [...MEASURE_ONLY, '--per-tensor'] },
  { id: 'minmax (no MSE clipping)', args: [...MEASURE_ONLY, '--method', 'minmax'] },
  { id: 'percentile 99.99', args: [...MEASURE_ONLY, '--method', 'percentile', '--percentile', '99.99'] },
  { id: 'defaults + guard', args: [] },
];

function quantize(m, v, i) {
  const out = path.join(tmp, `ablation-${i}.onnx`);
  const dims = (m.dims ?? []).flatMap((d) => ['--dim', d]);
  const r = spawnSync(process.execPath, [cli, 'quantize', m.file, '-o', out, '--json', '--error-items', '16', ...dims, ...m.data, ...v.args], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) return { error: (r.stdout + r.stderr).split('\n').find((l) => /error|Error/.test(l)) ?? `exit ${r.status}` };
  return { out, report: JSON.parse(r.stdout) };
}

/** @returns p50 ms of each model, runs alternated (order reversed every other run), median over rounds. */
async function alternate(files, shape) {
  const opts = { intraOpNumThreads: THREADS, interOpNumThreads: 1, graphOptimizationLevel: 'all', logSeverityLevel: 3 };
  const sessions = [];
  for (const f of files) sessions.push(await ort.InferenceSession.create(f, opts));
  const n = shape.reduce((a, b) => a * b, 1);
  const x = new ort.Tensor('float32', Float32Array.from({ length: n }, (_, i) => Math.sin(i) * 0.5), shape);
  const feeds = sessions.map((s) => ({ [s.inputNames[0]]: x }));
  for (let k = 0; k < sessions.length; k++) for (let i = 0; i < 5; i++) await sessions[k].run(feeds[k]);
  const rounds = sessions.map(() => []);
  for (let r = 0; r < ROUNDS; r++) {
    const times = sessions.map(() => []);
    for (let i = 0; i < RUNS; i++) {
      const order = i % 2 ? sessions.map((_, k) => k) : sessions.map((_, k) => sessions.length - 1 - k);
      for (const k of order) {
        const t = performance.now();
        await sessions[k].run(feeds[k]);
        times[k].push(performance.now() - t);
      }
    }
    times.forEach((t, k) => rounds[k].push(median(t)));
  }
  for (const s of sessions) await s.release();
  return rounds.map((r) => ({ p50: median(r), spread: (Math.max(...r) - Math.min(...r)) / median(r) }));
}

const f2 = (x, d = 1) => (x === null || x === undefined ? '—' : Number(x).toFixed(d));
const pad = (s, n) => String(s).padEnd(n);
console.log(`host: ${(fs.readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/) ?? [])[1]}, ${THREADS} threads, batch 1, onnxruntime-node ${ort.env?.versions?.common ?? ''}`);
console.log('SNR: int8 vs float output (dB); top-1: on the labelled test data, float → int8 (items); agr: top-1 agreement with float;');
console.log('p50: float vs int8 alternated, median of rounds; ~ marks a round-to-round spread over 10 %.\n');
const diagnose = [];
for (const m of MODELS) {
  console.log(`## ${m.name}`);
  console.log(`  ${pad('variant', 26)} ${pad('SNR dB', 7)} ${pad('cosine', 8)} ${pad('top-1 % (float→int8, n)', 26)} ${pad('agr %', 6)} ${pad('q nodes', 8)} ${pad('p50 float→int8 ms', 20)} speed`);
  const variants = m.few ? VARIANTS.filter((v) => ['defaults', 'all ops (no fused-only)', 'minmax (no MSE clipping)'].includes(v.id)) : VARIANTS;
  for (const [i, v] of variants.entries()) {
    const q = quantize(m, v, i);
    if (q.error) {
      console.log(`  ${pad(v.id, 26)} failed: ${q.error}`);
      continue;
    }
    const r = q.report.report;
    const f = r.fidelity ?? {};
    const [tf, tq] = await alternate([m.file, q.out], m.shape);
    const noisy = tf.spread > 0.1 || tq.spread > 0.1 ? '~' : '';
    const top1 = f.top1 ? `${f2(f.top1.float, 1)}→${f2(f.top1.quantized, 1)} (${f.count})` : '—';
    const status = q.report.status === 'below-threshold' ? ' BELOW THRESHOLD' : '';
    const kept = r.keptFloatCount ? ` (${r.keptFloatCount} kept float)` : '';
    console.log(
      `  ${pad(v.id, 26)} ${pad(f2(f.outputSnrDb ?? r.outputSnrDb), 7)} ${pad(f2(f.cosine, 4), 8)} ${pad(top1, 26)} ${pad(f2(f.agreement), 6)} ${pad(r.quantizedNodeCount, 8)} ` +
        `${pad(`${noisy}${tf.p50.toFixed(3)}→${tq.p50.toFixed(3)}`, 20)} ${(tf.p50 / tq.p50).toFixed(2)}×${status}${kept}`,
    );
    if (v.id === 'defaults' && m.name.startsWith('mobilenet')) diagnose.push({ m, table: r.errorTable });
    if (v.id === 'per-tensor weights' && m.name.startsWith('mobilenet')) diagnose.push({ m, table: r.errorTable, perTensor: true });
  }
  console.log('');
}

// Diagnosis: the worst tensors by accumulated SNR with each node's own SNR, and the depthwise weight ranges per channel.
for (const d of diagnose) {
  console.log(`## diagnosis: ${d.m.name}, ${d.perTensor ? 'per-tensor' : 'per-channel (default)'} weights — worst 8 by accumulated SNR`);
  console.log(`  ${pad('acc SNR', 8)} ${pad('own SNR', 8)} ${pad('op', 18)} tensor`);
  for (const row of d.table.filter((r) => r.kind === 'activation').slice(0, 8)) console.log(`  ${pad(f2(row.snrDb), 8)} ${pad(f2(row.localSnrDb), 8)} ${pad(row.op, 18)} ${row.tensor}`);
  const byOp = {};
  for (const row of d.table) if (typeof row.localSnrDb === 'number') (byOp[row.op] ??= []).push(row.localSnrDb);
  console.log(`  own SNR by op (median, min): ${Object.entries(byOp).map(([op, v]) => `${op} ${f2(median(v))}/${f2(Math.min(...v))}`).join(', ')}`);
}
const WEIGHT_RANGES = String.raw`
import sys, onnx, numpy as np
from onnx import numpy_helper
for path in sys.argv[1:]:
    m = onnx.load(path)
    init = {t.name: numpy_helper.to_array(t) for t in m.graph.initializer}
    rows = []
    for n in m.graph.node:
        if n.op_type != 'Conv' or n.input[1] not in init: continue
        w = init[n.input[1]]
        g = next((a.i for a in n.attribute if a.name == 'group'), 1)
        ch = np.abs(w.reshape(w.shape[0], -1)).max(1)
        ratio = ch.max() / max(np.median(ch), 1e-12)
        rows.append((g > 1 and g == w.shape[0], ratio, ch.max(), n.name))
    for dw in (True, False):
        r = [x[1] for x in rows if x[0] == dw]
        if r: print(f"  {'depthwise' if dw else 'other'} convs ({len(r)}): per-channel |w| max / median channel: median {np.median(r):.1f}x, worst {max(r):.1f}x")
`;
for (const m of MODELS.filter((x) => x.name.startsWith('mobilenet'))) {
  console.log(`## weight ranges (BN folded by the exporter): ${m.name}`);
  const r = spawnSync('/usr/bin/python3', ['-c', WEIGHT_RANGES, m.file], { encoding: 'utf8' });
  process.stdout.write(r.stdout || r.stderr);
}
