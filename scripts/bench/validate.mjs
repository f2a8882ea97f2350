// What the model validator adds to opening a model: the engine's open (read, decode, summary without costs) timed with
// and without the validator, in fresh processes taken in turns, as CPU time (the machine may be shared); medians.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const gen = path.join(root, 'test', 'fixtures', 'generated');
const graphs = ['chain-50000', 'blocks-50000'].map((m) => path.join(gen, `${m}.onnx`));
if (!graphs.every((m) => fs.existsSync(m))) {
  execFileSync('/usr/bin/python3', [path.join(root, 'scripts', 'make-graph-fixtures.py'), gen], { stdio: 'inherit' });
}
// resnet18 (scripts/make-fixtures.py) when it is there: a usual model, where the validator costs a few milliseconds
const models = [...graphs, path.join(gen, 'resnet18.onnx')].filter((m) => fs.existsSync(m));
const ROUNDS = Number(process.env.VALIDATE_BENCH_ROUNDS ?? 9);

const entry = `
import { loadModelFile } from ${JSON.stringify(path.join(root, 'electron/engine/onnx/load'))};
import { summarize } from ${JSON.stringify(path.join(root, 'electron/engine/analysis/summary'))};
import { validateModel } from ${JSON.stringify(path.join(root, 'electron/engine/onnx/validate'))};
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const c0 = cpu();
const loaded = loadModelFile(process.argv[2]);
const summary = summarize(loaded, { costs: false });
const open = cpu() - c0;
const c1 = cpu();
validateModel(loaded.proto, { external: loaded.external });
console.log(JSON.stringify({ open, warm: cpu() - c1, problems: summary.problems.length }));
`;
const esbuild = await import('esbuild');
const outDir = path.join(root, 'out', 'bench');
const stub = {
  name: 'no-validator',
  setup(b) {
    b.onResolve({ filter: /onnx\/validate$/ }, (args) => (args.importer.includes('summary') ? { path: 'stub', namespace: 'stub' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: 'export function validateModel() { return []; }', loader: 'js' }));
  },
};
const build = (name, plugins) =>
  esbuild.build({ stdin: { contents: entry, resolveDir: root, loader: 'ts' }, bundle: true, platform: 'node', format: 'cjs', outfile: path.join(outDir, name), logLevel: 'error', plugins });
await build('open-with-validator.cjs', []);
await build('open-without-validator.cjs', [stub]);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const run = (bundle, model) => JSON.parse(execFileSync(process.execPath, [path.join(outDir, bundle), model], { encoding: 'utf8' }));
const rows = [];
for (const model of models) {
  const withV = [];
  const without = [];
  const warm = [];
  for (let i = 0; i < ROUNDS; i++) {
    const order = i % 2 ? ['with', 'without'] : ['without', 'with'];
    for (const k of order) {
      const r = run(k === 'with' ? 'open-with-validator.cjs' : 'open-without-validator.cjs', model);
      (k === 'with' ? withV : without).push(r.open);
      if (k === 'with') warm.push(r.warm);
    }
  }
  const a = median(without);
  const b = median(withV);
  rows.push({ model: path.basename(model), openMs: a.toFixed(0), withValidatorMs: b.toFixed(0), added: `${((100 * (b - a)) / a).toFixed(1)} %`, validatorWarmMs: median(warm).toFixed(1) });
}
console.table(rows);
for (const r of rows) console.log(`${r.model}: open ${r.openMs} ms CPU, with the validator ${r.withValidatorMs} ms (+${r.added}; target ≤ ~10 %), validator alone warm ${r.validatorWarmMs} ms`);
