// One runtime: every place that times a model against a bare onnxruntime-node loop with the same resolved options,
// in one run with the methods alternated round by round (sample and resnet18). Prints p50 per method, the ratio to
// bare (target: within 5 %), and the default settings against one thread (target for resnet18: at least 1.8× faster).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { benchSetup, resnet, root, runEngineDriver, sample } from '../bench-setup.mjs';

const outDir = benchSetup();

// Bare onnxruntime-node with the options it is sent. Like the studio's benchmark, each block creates its session, warms
// up (the protocol's warm-up: 3 runs and at least 150 ms), times the runs and releases it (a session kept across blocks measured up to 10 % differently on tiny
// models, in either direction, so both sides follow one protocol).
const bareWorker = path.join(outDir, 'one-runtime-bare.cjs');
fs.writeFileSync(
  bareWorker,
  `const ort = require('onnxruntime-node');
process.on('message', async ({ model, options, input, runs }) => {
  const session = await ort.InferenceSession.create(model, { ...options, logSeverityLevel: 4 });
  const feeds = { [input.name]: new ort.Tensor(input.dtype, new Float32Array(input.data), input.dims) };
  // the one timing protocol's warm-up: at least 3 runs and at least 150 ms
  const w0 = performance.now();
  for (let i = 0; i < 5000 && (i < 3 || performance.now() - w0 < 150); i++) await session.run(feeds);
  const latencies = [];
  for (let i = 0; i < runs; i++) { const t0 = performance.now(); await session.run(feeds); latencies.push(performance.now() - t0); }
  await session.release();
  process.send({ latencies });
});
`,
);
// The runtime bundle's own runner (the template shipped in every bundle), timing a .npy input as `node run.js --bench` does.
const bundleWorker = path.join(outDir, 'one-runtime-bundle.cjs');
fs.writeFileSync(
  bundleWorker,
  `const fs = require('node:fs');
const { createRunner } = require(${JSON.stringify(path.join(root, 'assets', 'templates', 'runtime-core', 'model-runner-core.cjs'))});
const runners = new Map();
process.on('message', async ({ dir, npy, runs }) => {
  let r = runners.get(dir);
  if (!r) {
    r = { runner: await createRunner(dir), bytes: fs.readFileSync(npy) };
    for (let i = 0; i < 5; i++) await r.runner.runNpy(r.bytes);
    runners.set(dir, r);
  }
  const { latencies } = await r.runner.benchmark(r.bytes, { runs, warmup: 2 });
  process.send({ latencies, options: r.runner.info.sessionOptions });
});
`,
);

const results = await runEngineDriver(outDir, 'one-runtime-driver', `
import { fork } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createEngine } from './electron/engine/features';
import { compareModels } from './electron/engine/evaluate/compare';
import { loadModelFile } from './electron/engine/onnx/load';
import { summarize } from './electron/engine/analysis/summary';
import { runnerConfig, resolveModelAssets } from './electron/engine/package/model-assets';
import { runtimeFor } from './electron/engine/runtime/engine-runtime';
import { resolveSessionOptions } from './electron/engine/runtime/session-options';
import { percentile } from './electron/engine/runtime/stats';
import { settingsLabel } from './shared/api/runtime-dto';

const [bareScript, bundleScript, outDir, ...models] = process.argv.slice(2);
const p50 = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 50);
function worker(script: string) {
  const child = fork(script, [], { serialization: 'advanced' });
  return {
    block: (msg: unknown) => new Promise<number[]>((resolve) => { child.once('message', (m) => resolve((m as { latencies: number[] }).latencies)); child.send(msg); }),
    kill: () => child.kill(),
  };
}
function npy(shape: number[], data: Float32Array): Buffer {
  let header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + shape.join(', ') + (shape.length === 1 ? ',' : '') + '), }';
  while ((10 + header.length + 1) % 64) header += ' ';
  header += '\\n';
  const head = Buffer.alloc(10);
  head.write('\\x93NUMPY', 0, 'latin1'); head[6] = 1; head[7] = 0; head.writeUInt16LE(header.length, 8);
  return Buffer.concat([head, Buffer.from(header, 'latin1'), Buffer.from(data.buffer, data.byteOffset, data.byteLength)]);
}

(async () => {
  const engine = createEngine({ dataDir: path.join(outDir, 'one-runtime-data'), samplePath: models[0], appVersion: 'bench' });
  const runtime = runtimeFor(engine);
  const bare = worker(bareScript);
  const bundle = worker(bundleScript);
  const { options, resolved } = await resolveSessionOptions(undefined);
  const bareOptions = { intraOpNumThreads: options.intraOpThreads, interOpNumThreads: options.interOpThreads, graphOptimizationLevel: options.graphOptimizationLevel, executionMode: options.executionMode, executionProviders: options.executionProviders };
  const out: unknown[] = [];
  for (const file of models) {
    const loaded = loadModelFile(file);
    const input = summarize(loaded).inputs[0];
    const dims = (input.shape ?? []).map((d) => (typeof d === 'number' && d > 0 ? d : 1));
    const n = dims.reduce((a, b) => a * b, 1);
    let seed = 1;
    const data = new Float32Array(n).map(() => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1);
    // the same input for every method: an .npy file (compare and the bundle read it) and the bare worker's tensor
    const dir = fs.mkdtempSync(path.join(outDir, 'one-runtime-'));
    const npyPath = path.join(dir, 'input.npy');
    fs.writeFileSync(npyPath, npy(dims, data));
    const bundleDir = path.join(dir, 'bundle');
    fs.mkdirSync(bundleDir);
    fs.copyFileSync(file, path.join(bundleDir, 'model.onnx'));
    const summary = summarize(loaded);
    fs.writeFileSync(path.join(bundleDir, 'runner-config.json'), JSON.stringify(runnerConfig(summary, resolveModelAssets(summary, {}), loaded.fileName, 'model.onnx', resolved)));
    const { modelId } = await engine.call('openModel', { path: file });
    const big = loaded.fileSizeBytes > 5e6;
    const runs = big ? 8 : 400;
    const rounds = big ? 10 : 8;
    const lat: Record<string, number[]> = { bare: [], bench: [], demo: [], compare: [], bundle: [], 'bench --threads 1': [] };
    const methods: Record<string, () => Promise<number[]>> = {
      bare: () => bare.block({ model: file, options: bareOptions, input: { name: input.name, dtype: 'float32', dims, data: data.buffer.slice(0) }, runs }),
      bench: async () => (await runtime.benchmark(loaded, { runs, warmup: 2, sources: { [input.name]: { kind: 'file', path: npyPath } } })).latenciesMs,
      demo: async () => (await engine.call('benchmark', { modelId, runs, warmup: 2, inputs: { [input.name]: { kind: 'file', path: npyPath } } })).latenciesMs,
      compare: async () => (await compareModels([{ model: file }], { data: { path: npyPath }, timingRounds: runs, timingSeconds: 600, warmupRounds: 2, memory: false })).rows[0].latenciesMs,
      bundle: () => bundle.block({ dir: bundleDir, npy: npyPath, runs }),
      'bench --threads 1': async () => (await runtime.benchmark(loaded, { runs, warmup: 2, session: { intraOpThreads: 1 }, sources: { [input.name]: { kind: 'file', path: npyPath } } })).latenciesMs,
    };
    const names = Object.keys(methods);
    for (let r = 0; r < rounds; r++) {
      for (let k = 0; k < names.length; k++) {
        const name = names[(r + k) % names.length];
        lat[name].push(...(await methods[name]()));
      }
    }
    const bareP50 = p50(lat.bare);
    out.push({ model: loaded.fileName, settings: settingsLabel(resolved), rounds, runsPerBlock: runs, rows: names.map((m) => ({ method: m, runs: lat[m].length, p50: p50(lat[m]), ratioToBare: p50(lat[m]) / bareP50 })) });
    fs.rmSync(dir, { recursive: true, force: true });
  }
  bare.kill();
  bundle.kill();
  engine.dispose();
  process.stdout.write(JSON.stringify(out));
  process.exit(0);
})();`, [bareWorker, bundleWorker, outDir, sample, resnet]);
const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
console.log(`one runtime: ${cpu}, ${os.cpus().length} logical cores, load ${os.loadavg()[0].toFixed(2)}; methods alternated round by round`);
let failed = false;
for (const m of results) {
  console.log(`\n${m.model} (${m.rounds} rounds of ${m.runsPerBlock} runs per method; resolved settings: ${m.settings})`);
  console.log('  method              runs    p50 ms   ratio to bare');
  for (const row of m.rows) {
    const within = row.method === 'bare' || row.method.includes('threads 1') ? '' : Math.abs(row.ratioToBare - 1) <= 0.05 ? '  PASS (within 5 %)' : '  FAIL (over 5 %)';
    if (within.includes('FAIL')) failed = true;
    console.log(`  ${row.method.padEnd(18)} ${String(row.runs).padStart(5)} ${row.p50.toFixed(3).padStart(9)}   ${row.ratioToBare.toFixed(3)}${within}`);
  }
  const one = m.rows.find((x) => x.method.includes('threads 1'));
  const def = m.rows.find((x) => x.method === 'bench');
  const speedup = one.p50 / def.p50;
  const target = m.model.startsWith('resnet18') ? (speedup >= 1.8 ? '  PASS (≥ 1.8×)' : '  FAIL (< 1.8×)') : '';
  console.log(`  default settings vs --threads 1: ${speedup.toFixed(2)}× faster${target}`);
}
if (failed) console.log('\nSome figures were over 5 % from bare: the machine was busy, or a harness adds cost. Run again on a quiet machine.');
