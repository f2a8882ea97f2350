// Quantization speed: static int8 resnet18 (S8S8, U8S8, U8U8) and dynamic int8 transformer vs float, p50 ratios measured
// side by side (runs alternated) at 2 threads, batch 1; plus the fused kernels onnxruntime actually uses in each model.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(import.meta.url);
const ort = require('onnxruntime-node');
const gen = path.join(root, 'test', 'fixtures', 'generated');
const cli = path.join(root, 'out', 'cli', 'cli.cjs');
const THREADS = Number(process.env.BENCH_THREADS ?? 2);
const BATCH = Number(process.env.BENCH_BATCH ?? 1);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 12);
const PER_ROUND = 5;

if (!['resnet18.onnx', 'transformer.onnx'].every((m) => fs.existsSync(path.join(gen, m)))) {
  execFileSync('/usr/bin/python3', [path.join(root, 'scripts', 'make-fixtures.py'), gen], { stdio: 'inherit' });
}
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-bench-quant-'));

/** Quantizes with the CLI; @returns the output path and the JSON report. */
function quantize(model, name, args) {
  const out = path.join(tmp, name);
  const r = spawnSync(process.execPath, [cli, 'quantize', path.join(gen, model), '-o', out, '--error-items', '0', '--json', ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`quantize ${name} failed: ${r.stdout}${r.stderr}`);
  return { file: out, report: JSON.parse(r.stdout) };
}

/** @returns op type → count in the model onnxruntime runs after its graph optimizations. */
async function fusedOps(file) {
  const dump = `${file}.optimized.onnx`;
  const s = await ort.InferenceSession.create(file, { graphOptimizationLevel: 'all', optimizedModelFilePath: dump, intraOpNumThreads: 1, logSeverityLevel: 3 });
  await s.release();
  const out = spawnSync('/usr/bin/python3', ['-c', `import onnx,collections,json,sys; m=onnx.load(sys.argv[1], load_external_data=False); print(json.dumps(collections.Counter(n.op_type for n in m.graph.node)))`, dump], { encoding: 'utf8' });
  return out.status === 0 ? JSON.parse(out.stdout) : {};
}

function randomInput(shape) {
  const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < data.length; i++) data[i] = Math.random() * 2 - 1;
  return data;
}

/** Runs the models alternately; @returns the p50 latency of each, ms. */
async function alternate(files, shape, rounds = ROUNDS) {
  const sessions = [];
  for (const f of files) sessions.push(await ort.InferenceSession.create(f, { intraOpNumThreads: THREADS, interOpNumThreads: 1, logSeverityLevel: 3 }));
  const x = randomInput(shape);
  const feeds = sessions.map((s) => ({ [s.inputNames[0]]: new ort.Tensor('float32', x, shape) }));
  for (let i = 0; i < sessions.length; i++) for (let w = 0; w < 3; w++) await sessions[i].run(feeds[i]);
  const lat = sessions.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < sessions.length; i++) {
      for (let k = 0; k < PER_ROUND; k++) {
        const t0 = performance.now();
        await sessions[i].run(feeds[i]);
        lat[i].push(performance.now() - t0);
      }
    }
  }
  for (const s of sessions) await s.release();
  return lat.map((l) => l.sort((a, b) => a - b)[Math.floor(l.length / 2)]);
}

const count = (ops, names) => names.reduce((n, k) => n + (ops[k] ?? 0), 0);
try {
  console.log(`threads ${THREADS}, batch ${BATCH}, ${ROUNDS} rounds × ${PER_ROUND} runs per model, alternated; load average ${os.loadavg()[0].toFixed(1)}`);
  const variants = [
    ['S8S8', quantize('resnet18.onnx', 'r18-s8s8.onnx', ['--format', 's8s8'])],
    ['U8S8', quantize('resnet18.onnx', 'r18-u8s8.onnx', ['--format', 'u8s8'])],
    ['U8U8', quantize('resnet18.onnx', 'r18-u8u8.onnx', ['--format', 'u8u8'])],
  ];
  const floatOps = await fusedOps(path.join(gen, 'resnet18.onnx'));
  const convs = count(floatOps, ['Conv', 'FusedConv']);
  const rows = [];
  for (const [label, v] of variants) {
    const ops = await fusedOps(v.file);
    rows.push({
      model: `resnet18 ${label}${v.report.report.reduceRange ? ' rr' : ''}`,
      QLinearConv: ops.QLinearConv ?? 0,
      floatConv: count(ops, ['Conv', 'FusedConv', 'NchwcConv']),
      QLinearAdd: ops.QLinearAdd ?? 0,
      QGemm: ops.QGemm ?? 0,
      QuantizeLinear: ops.QuantizeLinear ?? 0,
      DequantizeLinear: ops.DequantizeLinear ?? 0,
      sizeRatio: v.report.sizeRatio.toFixed(3),
    });
  }
  console.table(rows);
  for (const r of rows) console.log(`${r.model}: ${r.QLinearConv} of ${convs} Conv run as QLinearConv, ${r.floatConv} float Conv left, ${r.DequantizeLinear} DequantizeLinear left`);
  const shape = [BATCH, 3, 224, 224];
  const p50 = await alternate([path.join(gen, 'resnet18.onnx'), ...variants.map(([, v]) => v.file)], shape);
  console.log(`resnet18 float p50 ${p50[0].toFixed(2)} ms`);
  variants.forEach(([label], i) => console.log(`resnet18 static int8 ${label}: p50 ${p50[i + 1].toFixed(2)} ms, ${(p50[0] / p50[i + 1]).toFixed(3)}× float (target ≥ 1.15×)`));

  const dyn = quantize('transformer.onnx', 'tr-dyn.onnx', ['--mode', 'dynamic']);
  const dynOps = await fusedOps(dyn.file);
  console.log(`transformer dynamic: ${dynOps.DynamicQuantizeMatMul ?? 0} DynamicQuantizeMatMul, ${dynOps.MatMulIntegerToFloat ?? 0} MatMulIntegerToFloat, ${dynOps.MatMulInteger ?? 0} unfused MatMulInteger; size ${(100 * dyn.report.sizeRatio).toFixed(1)} %`);
  const t = await alternate([path.join(gen, 'transformer.onnx'), dyn.file], [BATCH, 16, 64], ROUNDS * 20);
  console.log(`transformer float p50 ${t[0].toFixed(3)} ms, dynamic int8 p50 ${t[1].toFixed(3)} ms: ${(t[0] / t[1]).toFixed(3)}× float (target: no slower, ≥ 1.0×)`);
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
