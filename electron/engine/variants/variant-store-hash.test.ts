/** Families belong to the original's bytes: another path, a restart with a fresh upload folder, an old path-keyed index. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../store/atomic-write';
import { VariantStore, type VariantRecord } from './variant-store';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-variant-hash-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function copyTo(dir: string, name: string, bytes: Buffer): string {
  fs.mkdirSync(path.join(tmp, dir), { recursive: true });
  const p = path.join(tmp, dir, name);
  fs.writeFileSync(p, bytes);
  return p;
}

function addVariant(store: VariantStore, key: string, name: string): VariantRecord {
  const file = path.join(store.familyDir(key), `${name}.onnx`);
  fs.writeFileSync(file, `variant ${name}`);
  const record: VariantRecord = { id: store.newId(), parentId: null, name, kind: 'quantized', recipe: null, path: file, sizeBytes: 9, createdAt: new Date().toISOString(), reports: {} };
  store.add(key, record);
  return record;
}

describe('VariantStore content keying', () => {
  const model = Buffer.from('onnx bytes of a model '.repeat(1000));

  it('finds one family for the same bytes at two paths, and the original follows the path it was opened from', () => {
    const dataDir = path.join(tmp, 'data-a');
    const store = new VariantStore(dataDir);
    const a = copyTo('uploads-1/g1', 'resnet18.onnx', model);
    const b = copyTo('elsewhere', 'copy-of-resnet18.onnx', model);
    const first = store.familyOf(a);
    const variant = addVariant(store, first.key, 'int8');
    const second = store.familyOf(b);
    expect(second.key).toBe(first.key);
    expect(second.family.variants.map((v) => v.id)).toContain(variant.id);
    expect(second.family.rootPath).toBe(b);
    expect(second.family.variants[0].path).toBe(b);
    // a variant file resolves to its family too
    expect(store.familyOf(variant.path).key).toBe(first.key);
  });

  it('keeps families of different bytes apart', () => {
    const store = new VariantStore(path.join(tmp, 'data-b'));
    const a = store.familyOf(copyTo('b1', 'm.onnx', model));
    const b = store.familyOf(copyTo('b2', 'm.onnx', Buffer.from('other bytes')));
    expect(a.key).not.toBe(b.key);
  });

  it('finds the variants after a restart with a fresh upload folder, the old upload gone', () => {
    const dataDir = path.join(tmp, 'data-c');
    const first = copyTo('uploads-old/g', 'resnet18.onnx', model);
    const store = new VariantStore(dataDir);
    const { key } = store.familyOf(first);
    const variant = addVariant(store, key, 'pruned');
    fs.rmSync(path.join(tmp, 'uploads-old'), { recursive: true });

    const restarted = new VariantStore(dataDir);
    const again = restarted.familyOf(copyTo('uploads-new/g', 'resnet18.onnx', model));
    expect(again.key).toBe(key);
    expect(again.family.variants.map((v) => v.name)).toEqual(['original', 'pruned']);
    expect(restarted.find(variant.id)?.record.path).toBe(variant.path);
  });

  it('migrates a path-keyed family (an index written before content keying) while its original is in place', () => {
    const dataDir = path.join(tmp, 'data-d');
    const original = copyTo('legacy', 'model.onnx', model);
    const variantFile = path.join(dataDir, 'variants', '0123456789abcdef', 'q.onnx');
    fs.mkdirSync(path.dirname(variantFile), { recursive: true });
    fs.writeFileSync(variantFile, 'q');
    const now = new Date().toISOString();
    writeFileAtomic(
      path.join(dataDir, 'variants', 'index.json'),
      JSON.stringify({
        version: 1,
        families: {
          '0123456789abcdef': {
            rootPath: original,
            variants: [
              { id: 'orig-0123456789abcdef', parentId: null, name: 'original', kind: 'original', recipe: null, path: original, sizeBytes: model.length, createdAt: now, reports: {} },
              { id: 'var-000000000001', parentId: 'orig-0123456789abcdef', name: 'q', kind: 'quantized', recipe: null, path: variantFile, sizeBytes: 1, createdAt: now, reports: {} },
            ],
          },
        },
      }),
    );
    const store = new VariantStore(dataDir);
    const moved = store.familyOf(copyTo('moved', 'renamed.onnx', model));
    expect(moved.key).toBe('0123456789abcdef');
    expect(moved.family.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(moved.family.variants.map((v) => v.id)).toEqual(['orig-0123456789abcdef', 'var-000000000001']);
  });
});
