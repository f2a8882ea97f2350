// The int8 format table of this host: resnet18 and mobilenet_v2 quantized statically (per-channel) as U8S8, S8S8 and
// U8S8 with reduce-range, each timed against the float model, runs alternated in one process, p50 per round, the
// median round reported. The table is stored as host-int8-formats.json in the data folder (INT8_BENCH_STORE=0 leaves
// it), where the studio's static int8 defaults for this host read it; the bench then checks that the host's default
// format is the fastest measured. INT8_BENCH_PER_TENSOR=1 adds U8S8 per-tensor.
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
const cli = path.join(root, 'out', 'cli', 'cli.cjs');
const MODELS = (process.env.INT8_BENCH_MODELS ?? 'resnet18,mobilenet_v2').split(',');
const ROUNDS = Number(process.env.INT8_BENCH_ROUNDS ?? 7);
const RUNS = Number(process.env.INT8_BENCH_RUNS ?? 10);
const VARIANTS = [
  { format: 'u8s8', reduceRange: false, perChannel: true },
  { format: 's8s8', reduceRange: false, perChannel: true },
  { format: 'u8s8', reduceRange: true, perChannel: true },
  ...(process.env.INT8_BENCH_PER_TENSOR === '1' ? [{ format: 'u8s8', reduceRange: false, perChannel: false }] : []),
];
const label = (v) => `${v.format.toUpperCase()}${v.reduceRange ? ' reduce-range' : ''}${v.perChannel ? '' : ' per-tensor'}`;

if (!MODELS.every((m) => fs.existsSync(path.join(gen, `${m}.onnx`)))) execFileSync('/usr/bin/python3', [path.join(root, 'scripts', 'make-fixtures.py'), gen], { stdio: 'inherit' });
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-bench-int8-'));

function run(args) {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`deploy-studio ${args.slice(0, 2).join(' ')} failed: ${r.stdout}${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** Quantizes one model as one variant; @returns the file. */
function quantize(model, v) {
  const out = path.join(tmp, `${model}-${v.format}${v.reduceRange ? '-rr' : ''}${v.perChannel ? '' : '-pt'}.onnx`);
  const t0 = performance.now();
  run(['quantize', path.join(gen, `${model}.onnx`), '-o', out, '--mode', 'static', '--format', v.format, v.reduceRange ? '--reduce-range' : '--no-reduce-range', v.perChannel ? '--per-channel' : '--per-tensor', '--calibration-limit', '8', '--error-items', '0', '--json']);
  console.log(`  quantized ${model} ${label(v)} in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  return out;
}


/** Times the float model and its variants alternately (the order flips every run); @returns per model the rounds' p50s. */
const alternate = (files, threads) => alternateImageModels(ort, files, { threads, rounds: ROUNDS, runs: RUNS });

try {
  const targets = run(['targets', '--json']);
  const host = targets.targets.find((t) => t.profile.id === 'host').profile;
  const dataDir = path.dirname(targets.userDir);
  const threads = host.hardware.cores ?? os.cpus().length;
  const ortVersion = ort.env.versions?.node ?? ort.env.versions?.common ?? 'unknown';
  console.log(`${host.hardware.cpu}, ${threads} core(s), SIMD ${host.hardware.simd.join(' ')}; onnxruntime ${ortVersion}; load average ${os.loadavg()[0].toFixed(1)}`);
  const table = { kind: 'deploy-studio-int8-formats', version: 1, cpuModel: host.hardware.cpu, simd: host.hardware.simd, onnxruntimeVersion: ortVersion, threads, measuredAt: new Date().toISOString(), models: [] };
  for (const model of MODELS) {
    const files = VARIANTS.map((v) => quantize(model, v));
    const rounds = await alternate([path.join(gen, `${model}.onnx`), ...files], threads);
    const floatP50 = median(rounds.map((r) => r[0]));
    const rows = VARIANTS.map((v, i) => ({ ...v, p50Ms: Number(median(rounds.map((r) => r[i + 1])).toFixed(2)), speedup: Number(median(rounds.map((r) => r[0] / r[i + 1])).toFixed(3)) }));
    table.models.push({ model, floatP50Ms: Number(floatP50.toFixed(2)), rows });
    console.log(`${model}: float p50 ${floatP50.toFixed(1)} ms (${threads} threads, ${ROUNDS} rounds × ${RUNS} runs, alternated)`);
    console.table(rows.map((r, i) => ({ format: label(r), 'p50 ms': r.p50Ms.toFixed(1), 'speed-up vs float': `${r.speedup.toFixed(2)}×`, rounds: rounds.map((q) => (q[0] / q[i + 1]).toFixed(2)).join(' ') })));
  }
  const geo = VARIANTS.map((v, i) => ({ v, speedup: Math.exp(table.models.reduce((s, m) => s + Math.log(m.rows[i].speedup), 0) / table.models.length) })).sort((a, b) => b.speedup - a.speedup);
  console.log(`ranking (geometric mean over ${MODELS.join(', ')}): ${geo.map((g) => `${label(g.v)} ${g.speedup.toFixed(2)}×`).join(' > ')}`);

  if (process.env.INT8_BENCH_STORE !== '0') {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(path.join(dataDir, 'host-int8-formats.json'), `${JSON.stringify(table, null, 2)}\n`);
    console.log(`stored as ${path.join(dataDir, 'host-int8-formats.json')}`);
    // the host's static int8 defaults now read the table: quantize the small sample with no format given
    const sample = path.join(root, 'assets', 'samples', 'fashion-mnist', 'fashion-cnn.onnx');
    const r = run(['quantize', sample, '-o', path.join(tmp, 'sample-default.onnx'), '--mode', 'static', '--error-items', '0', '--json']);
    const report = r.report ?? r;
    const plain = geo.filter((g) => g.v.perChannel && !g.v.reduceRange);
    const chosen = plain.find((g) => g.v.format === report.format);
    // within 5 % of the fastest is a tie (FORMAT_TIE in shared/targets/int8-formats.ts)
    const ok = chosen !== undefined && chosen.speedup >= plain[0].speedup * 0.95;
    console.log(`host default: ${report.format.toUpperCase()}${report.reduceRange ? ' reduce-range' : ''} — ${report.defaultsFrom}`);
    console.log(`reduce-range: ${report.reduceRangeReason}`);
    console.log(`the host's default int8 format is the fastest measured (${label(plain[0].v)} ${plain[0].speedup.toFixed(2)}×): ${ok ? 'PASS' : 'FAIL'}`);
  }
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
