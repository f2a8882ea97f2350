// Comparison fairness: two byte-identical models timed by `compare` (alternated rounds) should differ by ~0 %; timed
// one after the other (`bench` A, then `bench` B) they pick up whatever the machine did meanwhile. Prints both ratios.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = path.join(root, 'out', 'cli', 'cli.cjs');
const sample = path.join(root, 'assets', 'samples', 'fashion-mnist', 'fashion-cnn.onnx');
const images = path.join(root, 'assets', 'samples', 'fashion-mnist', 'images');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-bench-compare-'));
const copy = path.join(tmp, 'copy.onnx');
fs.copyFileSync(sample, copy);

const run = (args) => JSON.parse(execFileSync(process.execPath, [cli, ...args, '--json'], { stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 * 2 ** 20 }).toString());
const dev = (r) => `${((r - 1) * 100).toFixed(2)} %`;
const repeats = 3;
const alternated = [];
const sequential = [];
try {
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    const c = run(['compare', sample, copy, '--data', images, '--rounds', '300', '--seconds', '60', '--no-memory']);
    const wall = (performance.now() - t0) / 1000;
    alternated.push(c.rows[1].latencyMs.p50 / c.rows[0].latencyMs.p50);
    const a = run(['bench', sample, '--runs', '300']);
    const b = run(['bench', copy, '--runs', '300']);
    sequential.push(b.latencyMs.p50 / a.latencyMs.p50);
    console.log(`repeat ${i + 1}: alternated p50 ratio ${alternated[i].toFixed(4)} (compare of 50 items + 300 rounds in ${wall.toFixed(1)} s); sequential ${sequential[i].toFixed(4)}`);
  }
  const worst = (xs) => xs.reduce((m, r) => Math.max(m, Math.abs(r - 1)), 0);
  console.log(`identical models, worst deviation of the p50 ratio from 1 over ${repeats} repeats:`);
  console.log(`  compare (alternated rounds): ${dev(1 + worst(alternated))}`);
  console.log(`  bench A then bench B:        ${dev(1 + worst(sequential))}`);
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
