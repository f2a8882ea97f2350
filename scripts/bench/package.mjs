// Packaging: the bundle's zip (Node zlib deflate + CRC-32, streamed) against Info-ZIP's `zip -6` on the same folder,
// side by side in one run; and the whole bundle job against a plain copy of the model.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const cli = path.join(root, 'out', 'cli', 'cli.cjs');
const model = path.join(root, 'test', 'fixtures', 'generated', 'densenet121.onnx');
if (!fs.existsSync(model)) {
  console.log('package bench: skipped (run `npm run fixtures` for densenet121.onnx)');
  process.exit(0);
}
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-bench-package-'));
const time = (fn) => {
  const t0 = performance.now();
  fn();
  return (performance.now() - t0) / 1000;
};
const run = (args) => {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
};
const rows = [];
for (let i = 0; i < 3; i++) {
  const noZip = time(() => run(['package', model, '--bundle', '--no-measure', '--no-zip', '--out', path.join(tmp, `a${i}`)]));
  const withZip = time(() => run(['package', model, '--bundle', '--no-measure', '--out', path.join(tmp, `b${i}`)]));
  const infoZip = time(() => spawnSync('zip', ['-q', '-r', '-6', path.join(tmp, `c${i}.zip`), `b${i}`], { cwd: tmp }));
  const copy = time(() => fs.copyFileSync(model, path.join(tmp, `copy${i}.onnx`)));
  rows.push({ ours: withZip - noZip, infoZip, ourBytes: fs.statSync(path.join(tmp, `b${i}.zip`)).size, zipBytes: fs.statSync(path.join(tmp, `c${i}.zip`)).size, noZip, copy });
}
const med = (k) => rows.map((r) => r[k]).sort((a, b) => a - b)[1];
const mb = fs.statSync(model).size / 1e6;
console.log(`package (densenet121.onnx, ${mb.toFixed(1)} MB), median of 3:`);
console.log(`  zip: ours ${med('ours').toFixed(2)} s vs zip -6 ${med('infoZip').toFixed(2)} s  → time ratio ${(med('ours') / med('infoZip')).toFixed(2)}×, size ratio ${(med('ourBytes') / med('zipBytes')).toFixed(3)}×`);
console.log(`  bundle without zip: ${med('noZip').toFixed(2)} s (CLI start, model load, copy) vs a bare file copy ${med('copy').toFixed(3)} s`);
fs.rmSync(tmp, { recursive: true, force: true });
