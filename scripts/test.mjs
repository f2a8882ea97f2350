// `npm test`: lint, type-check, build, make the test fixtures, then every vitest project (unit, engine, e2e).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

function step(title, cmd, args) {
  const t0 = performance.now();
  process.stdout.write(`\n== ${title}\n`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: process.env });
  const secs = ((performance.now() - t0) / 1000).toFixed(1);
  if (r.status !== 0) {
    process.stdout.write(`\n${title} failed after ${secs} s\n`);
    process.exit(r.status ?? 1);
  }
  process.stdout.write(`== ${title}: ok (${secs} s)\n`);
}

const only = process.argv.slice(2);
step('generate ONNX protobuf types', process.execPath, ['-e', `import('${path.join(root, 'scripts/build.mjs').replace(/\\/g, '/')}').then(m => m.genProto())`]);
step('lint', bin('eslint'), ['.']);
step('type-check (node)', bin('tsc'), ['-p', 'tsconfig.node.json']);
step('type-check (web)', bin('tsc'), ['-p', 'tsconfig.web.json']);
step('build', process.execPath, [path.join(root, 'scripts/build.mjs')]);
const python = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
step('test fixtures (scripts/make-fixtures.py)', python, [path.join(root, 'scripts/make-fixtures.py'), path.join(root, 'test/fixtures/generated')]);
step('graph fixtures (scripts/make-graph-fixtures.py)', python, [path.join(root, 'scripts/make-graph-fixtures.py'), path.join(root, 'test/fixtures/generated'), '--sizes', '2000,50000']);
const report = path.join(root, 'test', 'artifacts', 'vitest-results.json');
fs.mkdirSync(path.dirname(report), { recursive: true });
const t0 = performance.now();
process.stdout.write('\n== vitest: unit, engine, e2e\n');
const run = spawnSync(bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...only], { cwd: root, stdio: 'inherit' });
let counts = '';
try {
  const r = JSON.parse(fs.readFileSync(report, 'utf8'));
  counts = `${r.numPassedTests} passed, ${r.numFailedTests} failed`;
} catch {
  counts = run.status === 0 ? '' : `0 passed, 1 failed`;
}
process.stdout.write(`== vitest: ${run.status === 0 ? 'ok' : 'FAILED'} (${((performance.now() - t0) / 1000).toFixed(1)} s)\n`);
if (counts) process.stdout.write(`${counts}\n`);
process.exit(run.status ?? 1);
