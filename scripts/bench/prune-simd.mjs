// Channel pruning and the host's channel multiple: resnet18 with 30 % of its channels pruned under the host profile's
// defaults (kept counts rounded to the host's multiple) and with rounding off (--round-to 1), each timed against the
// float original, runs alternated in one process, p50 per round, the median round reported. Target: the default prune
// ≥ 1.6× faster than float at the host's default threads. Also prints MACs kept and the multiple's source.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { alternateImageModels, median } from '../bench-setup.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
const ort = require(path.join(root, 'node_modules', 'onnxruntime-node'));
const gen = path.join(root, 'test', 'fixtures', 'generated');
const source = path.join(gen, 'resnet18.onnx');
if (!fs.existsSync(source)) execFileSync('/usr/bin/python3', [path.join(root, 'scripts', 'make-fixtures.py'), gen], { stdio: 'inherit' });
const SPARSITY = Number(process.env.PRUNE_SIMD_SPARSITY ?? 0.3);
const ROUNDS = Number(process.env.PRUNE_BENCH_ROUNDS ?? 5);
const RUNS = Number(process.env.PRUNE_BENCH_RUNS ?? 20);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-prune-simd-'));
const cpu = fs.existsSync('/proc/cpuinfo') ? (/^model name\s*:\s*(.*)$/m.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? os.cpus()[0]?.model) : os.cpus()[0]?.model;

function prune(name, extra) {
  const out = path.join(dir, name);
  const args = [path.join(root, 'out', 'cli', 'cli.cjs'), 'prune', source, '-o', out, '--method', 'channel', '--sparsity', String(SPARSITY), '--json', ...extra];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, DEPLOY_STUDIO_DATA_DIR: dir } });
  if (r.status !== 0) throw new Error(`prune ${name} failed: ${r.stderr || r.stdout}`);
  return { file: out, report: JSON.parse(r.stdout) };
}


/** Times the models alternately (the order flips every run); @returns per round the p50 of each model. */
const alternate = (files, threads) => alternateImageModels(ort, files, { threads, rounds: ROUNDS, runs: RUNS });

try {
  console.log(`${cpu}, ${os.cpus().length} logical CPUs, onnxruntime-node ${require(path.join(root, 'node_modules', 'onnxruntime-node', 'package.json')).version}; load average ${os.loadavg()[0].toFixed(1)}`);
  const rounded = prune('resnet18-rounded.onnx', []);
  const plain = prune('resnet18-unrounded.onnx', ['--round-to', '1']);
  const r = rounded.report.rounding;
  console.log(`channel multiple ${r.multiple} (${r.from}, ${r.isa}): ${r.source}`);
  for (const c of [...new Map(r.changes.map((c) => [`${c.unrounded}-${c.kept}`, c])).values()].slice(0, 6)) console.log(`  ${c.node}: ${c.unrounded} → ${c.kept} channels`);
  const macs = (rep) => `${(rep.macsAfter / 1e6).toFixed(0)} M MACs (${((100 * rep.macsAfter) / rep.macsBefore).toFixed(1)} % of ${(rep.macsBefore / 1e6).toFixed(0)} M)`;
  console.log(`resnet18 ${Math.round(SPARSITY * 100)} % channels, host defaults (multiples of ${r.multiple}): ${macs(rounded.report)}`);
  console.log(`resnet18 ${Math.round(SPARSITY * 100)} % channels, --round-to 1:                ${macs(plain.report)}`);

  const rows = [];
  let verdict = null;
  for (const threads of [os.cpus().length, 1].filter((t, i, a) => a.indexOf(t) === i)) {
    const rounds = await alternate([source, rounded.file, plain.file], threads);
    const ratios = rounds.map(([f, a, b]) => ({ f, a, b, ra: f / a, rb: f / b }));
    const mid = [...ratios].sort((p, q) => p.ra - q.ra)[Math.floor(ratios.length / 2)];
    const midB = median(ratios.map((q) => q.rb));
    rows.push({
      threads,
      'float p50 ms': mid.f.toFixed(1),
      [`rounded to ${r.multiple} p50 ms`]: mid.a.toFixed(1),
      'unrounded p50 ms': mid.b.toFixed(1),
      'rounded speed-up': `${mid.ra.toFixed(2)}×`,
      'unrounded speed-up': `${midB.toFixed(2)}×`,
      rounds: ratios.map((q) => `${q.ra.toFixed(2)}/${q.rb.toFixed(2)}`).join(' '),
    });
    if (threads === os.cpus().length) verdict = mid.ra;
  }
  console.table(rows);
  console.log(`resnet18, ${Math.round(SPARSITY * 100)} % channels pruned with the host's defaults, ${os.cpus().length} thread(s): ${verdict.toFixed(2)}× faster than float at p50 (target ≥ 1.6×) ${verdict >= 1.6 ? 'PASS' : 'FAIL'}`);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
