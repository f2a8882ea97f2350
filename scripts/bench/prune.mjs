// Channel pruning speed-up: resnet18 with 50 % of its channels removed against the original, runs alternated in one
// process, p50 ratio printed (target ≥ 2×). Also times the prune itself. Rounds repeat; the median round is reported.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
const ort = require(path.join(root, 'node_modules', 'onnxruntime-node'));
const source = path.join(root, 'test', 'fixtures', 'generated', 'resnet18.onnx');
if (!fs.existsSync(source)) {
  console.log('making the test models (scripts/make-fixtures.py)…');
  execFileSync('/usr/bin/python3', [path.join(root, 'scripts', 'make-fixtures.py')], { stdio: 'inherit' });
}
const ROUNDS = Number(process.env.PRUNE_BENCH_ROUNDS ?? 3);
const RUNS = Number(process.env.PRUNE_BENCH_RUNS ?? 30);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-prune-bench-'));
const pruned = path.join(dir, 'resnet18-channels-50.onnx');

try {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [path.join(root, 'out', 'cli', 'cli.cjs'), 'prune', source, '-o', pruned, '--method', 'channel', '--sparsity', '0.5', '--json'], { encoding: 'utf8' });
  const pruneSecs = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`prune failed: ${r.stderr || r.stdout}`);
  const report = JSON.parse(r.stdout);
  console.log(
    `pruned resnet18 in ${pruneSecs.toFixed(1)} s: channels ${report.channelsBefore} → ${report.channelsAfter}, ` +
      `MACs ${(report.macsBefore / 1e9).toFixed(3)} G → ${(report.macsAfter / 1e9).toFixed(3)} G (${((100 * report.macsAfter) / report.macsBefore).toFixed(1)} %), ` +
      `params ${(report.paramsBefore / 1e6).toFixed(2)} M → ${(report.paramsAfter / 1e6).toFixed(2)} M`,
  );

  const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
  const x = new ort.Tensor('float32', Float32Array.from({ length: 3 * 224 * 224 }, (_, i) => Math.sin(i) * 0.5), [1, 3, 224, 224]);
  const rows = [];
  for (const threads of [1, os.cpus().length].filter((t, i, a) => a.indexOf(t) === i)) {
    const opts = { intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: 'all' };
    const original = await ort.InferenceSession.create(source, opts);
    const small = await ort.InferenceSession.create(pruned, opts);
    const feeds = { [original.inputNames[0]]: x };
    for (let i = 0; i < 5; i++) {
      await original.run(feeds);
      await small.run(feeds);
    }
    const rounds = [];
    for (let round = 0; round < ROUNDS; round++) {
      const a = [];
      const b = [];
      for (let i = 0; i < RUNS; i++) {
        // alternate which goes first so drift on the shared machine hits both alike
        const order = i % 2 ? [[original, a], [small, b]] : [[small, b], [original, a]];
        for (const [s, times] of order) {
          const t = performance.now();
          await s.run(feeds);
          times.push(performance.now() - t);
        }
      }
      rounds.push({ original: median(a), pruned: median(b), ratio: median(a) / median(b) });
    }
    await original.release();
    await small.release();
    rounds.sort((p, q) => p.ratio - q.ratio);
    const mid = rounds[Math.floor(rounds.length / 2)];
    rows.push({
      threads,
      'original p50 ms': mid.original.toFixed(1),
      'pruned p50 ms': mid.pruned.toFixed(1),
      'speed-up (median round)': `${mid.ratio.toFixed(2)}×`,
      'rounds': rounds.map((q) => `${q.ratio.toFixed(2)}×`).join(' '),
    });
  }
  console.table(rows);
  for (const row of rows) {
    const ratio = Number.parseFloat(row['speed-up (median round)']);
    console.log(`resnet18, 50 % channels pruned, ${row.threads} thread(s): ${ratio.toFixed(2)}× faster at p50 (target ≥ 2×) ${ratio >= 2 ? 'PASS' : 'FAIL'}`);
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
