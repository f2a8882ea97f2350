// `npm run bench`: builds, then runs every benchmark in scripts/bench/ (or those named: npm run bench -- graph runtime).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = path.join(root, 'scripts', 'bench');
const wanted = process.argv.slice(2);
const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
const benches = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.mjs'))
  .filter((f) => wanted.length === 0 || wanted.includes(f.replace(/\.mjs$/, '')))
  .sort();
let failed = 0;
for (const file of benches) {
  console.log(`\n### ${file.replace(/\.mjs$/, '')}`);
  const r = spawnSync(process.execPath, ['--expose-gc', path.join(dir, file)], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
