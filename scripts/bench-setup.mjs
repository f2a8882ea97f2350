// Shared set-up of the runtime benches (scripts/bench/*.mjs): the repository root, the sample and resnet18 (made when
// missing), and a scratch folder inside node_modules (so onnxruntime-node resolves from the studio's own, outside out/).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const sample = path.join(root, 'assets', 'samples', 'fashion-mnist', 'fashion-cnn.onnx');
export const resnet = path.join(root, 'test', 'fixtures', 'generated', 'resnet18.onnx');

/** Makes the test fixtures when resnet18 is missing; @returns the scratch folder for generated bench scripts. */
export function benchSetup() {
  if (!fs.existsSync(resnet)) {
    console.log('making the test fixtures (scripts/make-fixtures.py)…');
    spawnSync('/usr/bin/python3', [path.join(root, 'scripts', 'make-fixtures.py'), path.dirname(resnet)], { stdio: 'inherit' });
  }
  const outDir = path.join(root, 'node_modules', '.cache', 'deploy-studio-bench');
  fs.mkdirSync(outDir, { recursive: true });
  return outDir;
}

/** @returns the median of the values. */
export const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];

/**
 * Times image models (input [1, 3, 224, 224]) in one process, alternating them run by run (the order reversed every
 * other run), after a short warm-up.
 * @param ort - onnxruntime-node
 * @param files - the models
 * @param o - intra-op threads, rounds, runs per round
 * @returns per round, each model's median run in ms
 */
export async function alternateImageModels(ort, files, { threads, rounds, runs }) {
  const opts = { intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: 'all', logSeverityLevel: 3 };
  const sessions = [];
  for (const f of files) sessions.push(await ort.InferenceSession.create(f, opts));
  const x = new ort.Tensor('float32', Float32Array.from({ length: 3 * 224 * 224 }, (_, i) => Math.sin(i) * 0.5), [1, 3, 224, 224]);
  const feeds = { [sessions[0].inputNames[0]]: x };
  for (const s of sessions) for (let i = 0; i < 3; i++) await s.run(feeds);
  const out = [];
  for (let r = 0; r < rounds; r++) {
    const times = sessions.map(() => []);
    for (let i = 0; i < runs; i++) {
      const order = i % 2 ? sessions.map((_, k) => k) : sessions.map((_, k) => sessions.length - 1 - k);
      for (const k of order) {
        const t = performance.now();
        await sessions[k].run(feeds);
        times[k].push(performance.now() - t);
      }
    }
    out.push(times.map(median));
  }
  for (const s of sessions) await s.release();
  return out;
}

/**
 * Bundles a TypeScript driver that imports the engine's sources (esbuild), runs it in a child process with the built
 * runner script, and parses the JSON it prints last.
 * @param outDir - the scratch folder from {@link benchSetup}
 * @param name - the driver's file name (without extension)
 * @param source - the driver's TypeScript, resolved from the repository root
 * @param args - its command-line arguments
 * @returns the parsed JSON (the process exits with the driver's error output when it fails)
 */
export async function runEngineDriver(outDir, name, source, args) {
  const driver = path.join(outDir, `${name}.cjs`);
  const esbuild = await import('esbuild');
  await esbuild.build({
    stdin: { resolveDir: root, loader: 'ts', contents: source },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile: driver,
    external: ['onnxruntime-node', 'sharp'],
    logLevel: 'warning',
  });
  const { spawnSync } = await import('node:child_process');
  const r = spawnSync(process.execPath, [driver, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, DEPLOY_STUDIO_RUNNER_SCRIPT: path.join(root, 'out', 'engine', 'runtime-runner.cjs') },
    maxBuffer: 64 * 2 ** 20,
  });
  if (r.status !== 0) {
    console.error(r.stderr || r.stdout);
    process.exit(1);
  }
  const start = r.stdout.search(/[[{]/);
  return JSON.parse(r.stdout.slice(start));
}
