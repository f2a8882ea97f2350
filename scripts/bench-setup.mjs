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
