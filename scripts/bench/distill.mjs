// Training speed of the distillation engine: items per second of whole steps (teacher run, forward, backward, update)
// for the sample (batch 64) and an exported resnet18 (batch 8), one epoch over random inputs, teacher = the model itself.
import * as os from 'node:os';
import { benchSetup, resnet, runEngineDriver, sample } from '../bench-setup.mjs';

const outDir = benchSetup();
const rows = await runEngineDriver(outDir, 'distill-driver', `
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadModelFile } from './electron/engine/onnx/load';
import { RuntimeService } from './electron/engine/runtime/runtime-service';
import { distill } from './electron/engine/train/distill';

function npy(file: string, shape: number[]) {
  let header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + shape.join(', ') + '), }';
  while ((10 + header.length + 1) % 64) header += ' ';
  header += '\\n';
  const head = Buffer.alloc(10);
  head.write('\\x93NUMPY', 0, 'latin1'); head[6] = 1; head.writeUInt16LE(header.length, 8);
  let seed = 7;
  const data = new Float32Array(shape.reduce((a, b) => a * b, 1)).map(() => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1);
  fs.writeFileSync(file, Buffer.concat([head, Buffer.from(header, 'latin1'), Buffer.from(data.buffer)]));
}

(async () => {
  const [outDir, ...jobs] = process.argv.slice(2);
  const runtime = new RuntimeService();
  const rows = [];
  for (const job of jobs) {
    const [file, batchText, itemsText, ...dims] = job.split(':');
    const batch = Number(batchText);
    const items = Number(itemsText);
    const data = path.join(outDir, 'distill-' + path.basename(file) + '.npy');
    npy(data, [items, ...dims.map(Number)]);
    const model = loadModelFile(file);
    const out = path.join(outDir, 'distilled-' + path.basename(file));
    const t0 = performance.now();
    const r = await distill({ runtime: runtime.models, student: model, teacher: model, train: { path: data }, settings: { epochs: 1, batch, optimizer: { kind: 'adam', learningRate: 1e-4 }, temperature: 4, alpha: 0, seed: 1 }, out });
    rows.push({ model: model.fileName, batch, items, params: r.trainable.params, itemsPerSecond: r.epochs[0].itemsPerSecond, totalSeconds: (performance.now() - t0) / 1000 });
    fs.rmSync(out, { force: true });
    fs.rmSync(data, { force: true });
  }
  runtime.dispose();
  process.stdout.write(JSON.stringify(rows));
  process.exit(0);
})().catch((e) => { console.error(e); process.exit(1); });`, [outDir, `${sample}:64:4096:1:28:28`, `${resnet}:8:64:3:224:224`]);
console.log(`distillation training speed: ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} logical cores, load ${os.loadavg()[0].toFixed(2)} (one epoch over random inputs; a step = teacher run + forward + backward + Adam update)`);
console.log('  model               batch  items   weights     items/s   whole run s');
for (const x of rows) console.log(`  ${x.model.padEnd(18)} ${String(x.batch).padStart(5)} ${String(x.items).padStart(6)} ${String(x.params).padStart(10)} ${x.itemsPerSecond.toFixed(1).padStart(11)} ${x.totalSeconds.toFixed(1).padStart(12)}`);
console.log('  resnet18 at batch 8 ran to the end without running out of memory.');
