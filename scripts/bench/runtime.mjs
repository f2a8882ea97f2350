// Runtime harness cost: the engine's benchmark (runner process) vs a bare onnxruntime-node loop, alternating short
// blocks in one run and comparing p50; then the inference process's memory over 100 session create/release cycles.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { benchSetup, resnet, root, sample } from '../bench-setup.mjs';

const outDir = benchSetup();

// A bare loop, kept alive between blocks; like the engine's benchmark, each block creates its session, runs once, warms
// up, then times `runs` awaits of session.run, and releases the session.
const bareWorker = path.join(outDir, 'bare-ort-worker.cjs');
fs.writeFileSync(
  bareWorker,
  `const ort = require('onnxruntime-node');
process.on('message', async ({ model, runs, warmup, threads }) => {
  const s = await ort.InferenceSession.create(model, { intraOpNumThreads: threads, logSeverityLevel: 3 });
  const m = s.inputMetadata[0];
  const dims = m.shape.map((d) => (typeof d === 'number' ? d : 1));
  const data = new Float32Array(dims.reduce((a, b) => a * b, 1)).map(() => Math.random() * 2 - 1);
  const feeds = { [m.name]: new ort.Tensor('float32', data, dims) };
  await s.run(feeds);
  for (let i = 0; i < warmup; i++) await s.run(feeds);
  const latencies = [];
  for (let i = 0; i < runs; i++) { const t0 = performance.now(); await s.run(feeds); latencies.push(performance.now() - t0); }
  await s.release();
  process.send({ latencies });
});
`,
);

// The driver: bundled from the engine's sources.
const driver = path.join(outDir, 'runtime-bench.cjs');
const esbuild = await import('esbuild');
await esbuild.build({
  stdin: {
    resolveDir: root,
    loader: 'ts',
    contents: `
import { fork } from 'node:child_process';
import { loadModelFile } from './electron/engine/onnx/load';
import { buildFeeds } from './electron/engine/runtime/inputs/build-feeds';
import { modelInputs } from './electron/engine/runtime/inputs/input-spec';
import { modelKeyPrefix } from './electron/engine/runtime/model-files';
import { RunnerClient } from './electron/engine/runtime/runner/runner-client';
import { RuntimeService } from './electron/engine/runtime/runtime-service';
import { percentile } from './electron/engine/runtime/stats';

const THREADS = 1;
const [bareScript, runnerScript, ...models] = process.argv.slice(2);
const bare = fork(bareScript, [], { serialization: 'advanced' });
const bareBlock = (model: string, runs: number, warmup: number) =>
  new Promise<number[]>((resolve) => {
    bare.once('message', (m) => resolve((m as { latencies: number[] }).latencies));
    bare.send({ model, runs, warmup, threads: THREADS });
  });
const p50 = (xs: number[]) => percentile([...xs].sort((a, b) => a - b), 50);

(async () => {
  const runtime = new RuntimeService(new RunnerClient(runnerScript));
  const compare = [];
  const plan: Record<string, { rounds: number; runs: number; warmup: number }> = {
    'fashion-cnn.onnx': { rounds: 40, runs: 400, warmup: 40 },
    'resnet18.onnx': { rounds: 40, runs: 6, warmup: 3 },
  };
  for (const file of models) {
    const loaded = loadModelFile(file);
    const { rounds, runs, warmup } = plan[loaded.fileName];
    const h: number[] = [];
    const b: number[] = [];
    const harness = async () => {
      const r = await runtime.benchmark(loaded, { runs, warmup, session: { intraOpThreads: THREADS } });
      h.push(...r.latenciesMs);
    };
    const bareRun = async () => b.push(...(await bareBlock(file, runs, warmup)));
    for (let i = 0; i < rounds; i++) {
      if (i % 2 === 0) { await harness(); await bareRun(); } else { await bareRun(); await harness(); }
    }
    compare.push({ model: loaded.fileName, rounds, runsPerBlock: runs, harnessP50: p50(h), bareP50: p50(b), harnessMin: Math.min(...h), bareMin: Math.min(...b) });
  }
  bare.kill();
  const memory = [];
  for (const file of models) {
    const loaded = loadModelFile(file);
    const { feeds } = await buildFeeds({ inputs: modelInputs(loaded) });
    const rss = async () => (await runtime.runner.call<{ rssBytes: number }>({ op: 'stats' }, { what: 'stats' })).rssBytes;
    const cycle = async () => {
      await runtime.runFeeds(loaded, feeds);
      await runtime.runner.call({ op: 'release', modelKey: modelKeyPrefix(loaded) }, { what: 'release' });
    };
    for (let i = 0; i < 30; i++) await cycle();
    const start = await rss();
    const t0 = performance.now();
    for (let i = 0; i < 100; i++) await cycle();
    memory.push({ model: loaded.fileName, startMB: start / 2 ** 20, endMB: (await rss()) / 2 ** 20, msPerCycle: (performance.now() - t0) / 100 });
  }
  runtime.dispose();
  process.stdout.write(JSON.stringify({ compare, memory }));
})();`,
  },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  outfile: driver,
  external: ['onnxruntime-node', 'sharp'],
  logLevel: 'warning',
});

const loadBefore = os.loadavg()[0];
const run = spawnSync(process.execPath, [driver, bareWorker, path.join(root, 'out', 'engine', 'runtime-runner.cjs'), sample, resnet], {
  encoding: 'utf8',
  cwd: root,
  maxBuffer: 64 * 1024 * 1024,
});
if (run.status !== 0) throw new Error(`runtime bench failed: ${run.stderr}`);
const { compare, memory } = JSON.parse(run.stdout);
console.log(
  `load average ${loadBefore.toFixed(1)} before, ${os.loadavg()[0].toFixed(1)} after, on ${os.cpus().length} CPUs` +
    (os.loadavg()[0] > os.cpus().length ? ' (a busy machine: latency ratios are noisy; re-run on a quiet one)' : ''),
);
console.table(
  compare.map((c) => ({
    model: c.model,
    blocks: `${c.rounds} × ${c.runsPerBlock}`,
    harnessP50: c.harnessP50.toFixed(4),
    bareP50: c.bareP50.toFixed(4),
    p50Ratio: (c.harnessP50 / c.bareP50).toFixed(3),
    minRatio: (c.harnessMin / c.bareMin).toFixed(3),
  })),
);
for (const c of compare) {
  const ratio = c.harnessP50 / c.bareP50;
  console.log(
    `${c.model}: harness p50 / bare onnxruntime-node p50 = ${ratio.toFixed(3)} (${Math.abs(ratio - 1) <= 0.03 ? 'within' : 'NOT within'} 3 %; ` +
      `1 intra-op thread, ${c.rounds} alternating blocks of ${c.runsPerBlock} runs)`,
  );
}
const bounds = { 'fashion-cnn.onnx': 32, 'resnet18.onnx': 160 };
for (const m of memory) {
  const growth = m.endMB - m.startMB;
  console.log(
    `${m.model}: 100 session create/run/release cycles in the inference process: RSS ${m.startMB.toFixed(0)} → ${m.endMB.toFixed(0)} MB ` +
      `(growth ${growth.toFixed(1)} MB; bound ${bounds[m.model]} MB: ${growth < bounds[m.model] ? 'ok' : 'EXCEEDED'}), ${m.msPerCycle.toFixed(1)} ms per cycle`,
  );
}
