// Inspect of a ~300 MB model (single file and external data): wall time and peak memory as a ratio of the model size.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const gen = path.join(root, 'test', 'fixtures', 'generated');
const models = ['big-300mb.onnx', 'big-300mb-ext.onnx'];
if (!models.every((m) => fs.existsSync(path.join(gen, m)))) {
  console.log('making the 300 MB fixtures (scripts/make-fixtures.py --big)…');
  execFileSync('/usr/bin/python3', [path.join(root, 'scripts', 'make-fixtures.py'), gen, '--big'], { stdio: 'inherit' });
}
const cli = path.join(root, 'out', 'cli', 'cli.cjs');
const rows = [];
for (const m of models) {
  const file = path.join(gen, m);
  const side = m.endsWith('-ext.onnx') ? file.replace(/\.onnx$/, '.bin') : null;
  const size = fs.statSync(file).size + (side && fs.existsSync(side) ? fs.statSync(side).size : 0);
  const runs = [];
  for (let i = 0; i < 3; i++) {
    // GNU time reports the child's peak RSS; fall back to wall time only without it.
    const t0 = performance.now();
    const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, cli, 'inspect', file, '--json'], { encoding: 'utf8' });
    const secs = (performance.now() - t0) / 1000;
    if (r.status !== 0) throw new Error(r.stderr);
    const peakKb = Number(r.stderr.trim().split('\n').pop());
    runs.push({ secs, peak: peakKb * 1024 });
  }
  runs.sort((a, b) => a.secs - b.secs);
  const med = runs[1];
  const bare = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, '-e', '0'], { encoding: 'utf8' });
  const nodeBase = Number(bare.stderr.trim().split('\n').pop()) * 1024;
  rows.push({ model: m, sizeMB: (size / 1e6).toFixed(1), seconds: med.secs.toFixed(2), peakMB: (med.peak / 1e6).toFixed(0), peakOverSize: (med.peak / size).toFixed(2), nodeBaselineMB: (nodeBase / 1e6).toFixed(0) });
}
console.table(rows);
for (const r of rows) {
  console.log(`${r.model}: inspect ${r.seconds} s (target < 2 s), peak ${r.peakMB} MB = ${r.peakOverSize}× model size (target < 1.5×)`);
}
