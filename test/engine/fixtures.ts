/** Paths of test models: the bundled sample, generated exports (scripts/make-fixtures.py) and ONNX's conformance data. */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');
export const SAMPLE = path.join(ROOT, 'assets/samples/fashion-mnist/fashion-cnn.onnx');
export const GENERATED = path.join(ROOT, 'test/fixtures/generated');
export const CONFORMANCE = '/usr/share/libonnx-testdata/data';

/**
 * The path of a generated fixture.
 * @throws when it is missing, saying how to make it (fixtures are made by `npm test` before the tests run)
 */
export function generated(name: string): string {
  const p = path.join(GENERATED, name);
  if (!fs.existsSync(p)) {
    throw new Error(`${p} is missing: run \`npm run fixtures\` (needs python3-torch, python3-torchvision, python3-onnx).`);
  }
  return p;
}

/** The path of a conformance model folder's model.onnx. */
export function conformance(rel: string): string {
  const p = path.join(CONFORMANCE, rel, 'model.onnx');
  if (!fs.existsSync(p)) throw new Error(`${p} is missing: install Debian's libonnx-testdata.`);
  return p;
}
