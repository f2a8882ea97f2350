/** Crafted inputs the fuzzer found or that attacks use, kept as regression tests: each is refused with a clear code. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { deeplyNestedModel } from './mutators';
import { openLikeAUser } from './targets';

const modelPath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ds-reg-')), 'm.onnx');

describe('crafted models', () => {
  it.each([100, 10_000, 200_000])('refuses subgraphs nested %i deep without overflowing the stack', (depth) => {
    const outcome = openLikeAUser(deeplyNestedModel(depth), modelPath);
    expect(outcome).toEqual({ kind: 'refused', code: 'INVALID_MODEL' });
  });

  it('opens subgraphs nested a realistic depth', () => {
    expect(openLikeAUser(deeplyNestedModel(8), modelPath)).toMatchObject({ kind: 'ok' });
  });

  it('refuses an empty file and random bytes as not ONNX', () => {
    expect(openLikeAUser(new Uint8Array(), modelPath)).toEqual({ kind: 'refused', code: 'NOT_ONNX' });
    expect(openLikeAUser(Uint8Array.from({ length: 512 }, (_, i) => (i * 7919) % 251), modelPath)).toMatchObject({ kind: 'refused' });
  });
});
