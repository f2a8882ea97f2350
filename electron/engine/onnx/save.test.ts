/** Specs of saveModel: atomic writes, external data layout, refusals that leave nothing behind. */
import { clone, create, equals } from '@bufbuild/protobuf';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { graph, model, node, runModel, tensor, value } from '../../../test/engine/helpers/build-model';
import { StudioError } from '../../../shared/api/errors';
import { encodeModel } from './codec';
import { isExternal } from './external-data';
import { loadModelFile } from './load';
import { DataLocation, ModelProtoSchema, StringStringEntryProtoSchema, type ModelProto } from './proto';
import { saveModel } from './save';
import { tensorValues } from './tensor-data';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-save-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const range = (n: number, k = 1) => Array.from({ length: n }, (_, i) => (i % 97) * k);

/** y = (x + B) * C + small, with B and C 4000-byte weights and `small` 8 bytes. */
function weighted(): ModelProto {
  return model(
    graph({
      nodes: [node('Add', ['x', 'B'], ['s']), node('Mul', ['s', 'C'], ['p']), node('Add', ['p', 'small'], ['y'])],
      inputs: [value('x', [1000])],
      outputs: [value('y', [1000])],
      initializers: [tensor('B', [1000], range(1000)), tensor('small', [2, 1], [0.5, 0.25]), tensor('C', [1000], range(1000, -1))],
    }),
  );
}

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (err) {
    return err instanceof StudioError ? err.code : `not a StudioError: ${String(err)}`;
  }
  return undefined;
}

const listing = () => fs.readdirSync(dir).sort();
const X = { x: { dims: [1000], data: range(1000, 0.5) } };

describe('saveModel', () => {
  it('writes the encoded model and nothing else', async () => {
    const m = weighted();
    const out = path.join(dir, 'model.onnx');
    const result = await saveModel(m, out);
    expect(new Uint8Array(fs.readFileSync(out))).toEqual(encodeModel(m));
    expect(result).toMatchObject({ path: out, externalBytes: 0, externalTensors: 0 });
    expect(listing()).toEqual(['model.onnx']);
  });

  it('moves tensors at or above the threshold to an aligned side file, leaving the in-memory model as it was', async () => {
    const m = weighted();
    const before = clone(ModelProtoSchema, m);
    const out = path.join(dir, 'model.onnx');
    const result = await saveModel(m, out, { externalData: { location: 'model.onnx.data', sizeThreshold: 1024, align: 4096 } });
    expect(equals(ModelProtoSchema, m, before)).toBe(true);
    expect(result).toMatchObject({ externalTensors: 2, externalBytes: 8000, externalPath: path.join(dir, 'model.onnx.data') });
    expect(listing()).toEqual(['model.onnx', 'model.onnx.data']);
    expect(fs.statSync(path.join(dir, 'model.onnx.data')).size).toBe(4096 + 4000);

    const loaded = loadModelFile(out);
    const [b, small, c] = loaded.proto.graph!.initializer;
    expect([isExternal(b), isExternal(small), isExternal(c)]).toEqual([true, false, true]);
    expect(loaded.external.get(b)).toMatchObject({ offset: 0, length: 4000 });
    expect(loaded.external.get(c)).toMatchObject({ offset: 4096, length: 4000 });
    expect(b.rawData.length).toBe(0);
    expect(Array.from(tensorValues(c, loaded.external.get(c)) as Float32Array)).toEqual(range(1000, -1));
    expect((await runModel(out, X)).y).toEqual((await runModel(weighted(), X)).y);
  });

  it('streams already-external tensors from their source, or inlines them without external data', async () => {
    const first = path.join(dir, 'a.onnx');
    await saveModel(weighted(), first, { externalData: { location: 'a.bin' } });
    const loaded = loadModelFile(first);
    fs.mkdirSync(path.join(dir, 'copy'));
    const second = path.join(dir, 'copy', 'b.onnx');
    await saveModel(loaded.proto, second, { externalData: { location: 'b.bin', align: 1 }, sourceExternal: loaded.external });
    const again = loadModelFile(second);
    expect(again.externalDataBytes).toBe(8000);
    expect(again.external.get(again.proto.graph!.initializer[2])).toMatchObject({ offset: 4000, location: 'b.bin' });

    const inline = path.join(dir, 'copy', 'inline.onnx');
    await saveModel(again.proto, inline, { sourceExternal: again.external });
    const flat = loadModelFile(inline);
    expect(flat.external.size).toBe(0);
    expect(equals(ModelProtoSchema, flat.proto, weighted())).toBe(true);
    expect((await runModel(flat.proto, X)).y).toEqual((await runModel(weighted(), X)).y);
  });

  it('writes a side file into a sub-folder it creates', async () => {
    await saveModel(weighted(), path.join(dir, 'm.onnx'), { externalData: { location: 'weights/m.bin' } });
    expect(loadModelFile(path.join(dir, 'm.onnx')).externalDataBytes).toBe(8000);
    expect(fs.readdirSync(path.join(dir, 'weights'))).toEqual(['m.bin']);
    await saveModel(weighted(), path.join(dir, 'dots.onnx'), { externalData: { location: '..dots.bin' } });
    expect(loadModelFile(path.join(dir, 'dots.onnx')).externalDataBytes).toBe(8000);
  });

  it('refuses to overwrite a protected file, and writes nothing', async () => {
    const out = path.join(dir, 'model.onnx');
    fs.writeFileSync(out, 'original');
    expect(await codeOf(saveModel(weighted(), out, { protect: [out] }))).toBe('ACCESS_DENIED');
    const viaLink = path.join(dir, 'link.onnx');
    fs.symlinkSync(out, viaLink);
    expect(await codeOf(saveModel(weighted(), viaLink, { protect: [out] }))).toBe('ACCESS_DENIED');
    const data = path.join(dir, 'model.data');
    fs.writeFileSync(data, 'weights');
    expect(await codeOf(saveModel(weighted(), path.join(dir, 'new.onnx'), { externalData: { location: 'model.data' }, protect: [data] }))).toBe(
      'ACCESS_DENIED',
    );
    expect(fs.readFileSync(out, 'utf8')).toBe('original');
    expect(listing()).toEqual(['link.onnx', 'model.data', 'model.onnx']);
  });

  it('refuses side-file locations outside the model folder', async () => {
    for (const location of ['../escape.bin', path.join(dir, 'abs.bin'), 'sub/../../escape.bin', 'C:\\x.bin', '']) {
      expect(await codeOf(saveModel(weighted(), path.join(dir, 'm.onnx'), { externalData: { location } })), location).toBe(
        'EXTERNAL_DATA_OUTSIDE_MODEL_DIR',
      );
    }
    expect(await codeOf(saveModel(weighted(), path.join(dir, 'm.onnx'), { externalData: { location: 'm.onnx' } }))).toBe('INVALID_REQUEST');
    expect(await codeOf(saveModel(weighted(), path.join(dir, 'missing', 'm.onnx')))).toBe('FILE_NOT_FOUND');
    expect(listing()).toEqual([]);
  });

  it('refuses an external tensor whose source is unknown', async () => {
    const m = weighted();
    const b = m.graph!.initializer[0];
    b.dataLocation = DataLocation.EXTERNAL;
    b.externalData = [create(StringStringEntryProtoSchema, { key: 'location', value: 'elsewhere.bin' })];
    expect(await codeOf(saveModel(m, path.join(dir, 'm.onnx')))).toBe('INVALID_REQUEST');
    expect(listing()).toEqual([]);
  });

  it('fails past 2 GB without external data before reading any weight', async () => {
    const m = weighted();
    const b = m.graph!.initializer[0];
    b.dataLocation = DataLocation.EXTERNAL;
    const ref = { location: 'huge.bin', file: path.join(dir, 'huge.bin'), offset: 0, length: 3 * 2 ** 30 };
    const err = await saveModel(m, path.join(dir, 'm.onnx'), { sourceExternal: new Map([[b, ref]]) }).catch((e: unknown) => e);
    expect((err as StudioError).code).toBe('MODEL_TOO_LARGE');
    expect((err as StudioError).message).toMatch(/external data/);
    expect(listing()).toEqual([]);
  });

  it('removes its temporary files and leaves existing files alone when a write fails', async () => {
    const out = path.join(dir, 'model.onnx');
    fs.writeFileSync(out, 'previous');
    fs.writeFileSync(path.join(dir, 'short.bin'), Buffer.alloc(100, 1));
    const m = weighted();
    const b = m.graph!.initializer[0];
    b.dataLocation = DataLocation.EXTERNAL;
    const ref = { location: 'short.bin', file: path.join(dir, 'short.bin'), offset: 0, length: 4000 };
    const saving = saveModel(m, out, { externalData: { location: 'weights/model.data' }, sourceExternal: new Map([[b, ref]]) });
    expect(await codeOf(saving)).toBe('EXTERNAL_DATA_OUT_OF_RANGE');
    expect(listing()).toEqual(['model.onnx', 'short.bin']);
    expect(fs.readFileSync(out, 'utf8')).toBe('previous');
  });

  it('stops when cancelled, leaving nothing', async () => {
    const controller = new AbortController();
    controller.abort();
    const saving = saveModel(weighted(), path.join(dir, 'm.onnx'), { externalData: { location: 'm.data' }, signal: controller.signal });
    expect(await codeOf(saving)).toBe('JOB_CANCELLED');
    expect(listing()).toEqual([]);
  });

  it('reports progress up to the whole', async () => {
    const seen: number[] = [];
    await saveModel(weighted(), path.join(dir, 'm.onnx'), { externalData: { location: 'm.data' }, onProgress: (f) => seen.push(f) });
    expect(seen.at(-1)).toBe(1);
  });
});
