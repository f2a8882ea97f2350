/** External data end to end: saved by saveModel, reloaded, run by onnxruntime; crafted references refused; > 2 GB. */
import { create } from '@bufbuild/protobuf';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StudioError } from '../../shared/api/errors';
import { encodeModel } from '../../electron/engine/onnx/codec';
import { isExternal } from '../../electron/engine/onnx/external-data';
import { loadModelFile } from '../../electron/engine/onnx/load';
import { DataLocation, StringStringEntryProtoSchema, type ModelProto, type TensorProto } from '../../electron/engine/onnx/proto';
import { saveModel } from '../../electron/engine/onnx/save';
import { tensorValues } from '../../electron/engine/onnx/tensor-data';
import { graph, model, node, runModel, tensor, value } from './helpers/build-model';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-ext-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const range = (n: number, k = 1) => Array.from({ length: n }, (_, i) => ((i % 89) - 40) * k);

/** y = Relu(x * W + c), with W an initializer and c the value of a Constant node (as Paddle2ONNX writes weights). */
function net(): ModelProto {
  return model(
    graph({
      nodes: [
        node('Constant', [], ['c'], { value: tensor('c', [512], range(512, 0.25)) }),
        node('Mul', ['x', 'W'], ['m']),
        node('Add', ['m', 'c'], ['s']),
        node('Relu', ['s'], ['y']),
      ],
      inputs: [value('x', [512])],
      outputs: [value('y', [512])],
      initializers: [tensor('W', [512], range(512, 0.5))],
    }),
  );
}

function external(t: TensorProto, location: string, offset?: number, length?: number): void {
  t.dataLocation = DataLocation.EXTERNAL;
  t.rawData = new Uint8Array(0);
  const entries: Array<[string, string]> = [['location', location]];
  if (offset !== undefined) entries.push(['offset', String(offset)]);
  if (length !== undefined) entries.push(['length', String(length)]);
  t.externalData = entries.map(([key, v]) => create(StringStringEntryProtoSchema, { key, value: v }));
}

/** Writes a model whose initializers point where `refs` says, in `dir/model/`. */
function crafted(refs: Array<{ location: string; offset?: number; length?: number }>): string {
  const m = model(
    graph({
      nodes: [node('Identity', ['x'], ['y'])],
      inputs: [value('x', [4])],
      outputs: [value('y', [4])],
      initializers: refs.map((_, i) => tensor(`w${i}`, [4], [1, 2, 3, 4])),
    }),
  );
  refs.forEach((r, i) => external(m.graph!.initializer[i], r.location, r.offset, r.length));
  const folder = path.join(dir, 'model');
  fs.mkdirSync(folder, { recursive: true });
  const file = path.join(folder, 'm.onnx');
  fs.writeFileSync(file, encodeModel(m));
  return file;
}

function loadCode(file: string): string | undefined {
  try {
    loadModelFile(file);
  } catch (err) {
    return err instanceof StudioError ? err.code : `not a StudioError: ${String(err)}`;
  }
  return undefined;
}

const X = { x: { dims: [512], data: range(512, 0.1) } };

describe('external data', () => {
  it('saves weights (initializers and Constant values) externally, reloads them and runs on onnxruntime', async () => {
    const out = path.join(dir, 'net.onnx');
    const result = await saveModel(net(), out, { externalData: { location: 'net.onnx.data', sizeThreshold: 1024 } });
    expect(result.externalTensors).toBe(2);
    const loaded = loadModelFile(out);
    const w = loaded.proto.graph!.initializer[0];
    const c = loaded.proto.graph!.node[0].attribute[0].t!;
    expect(isExternal(w) && isExternal(c)).toBe(true);
    expect(Array.from(tensorValues(w, loaded.external.get(w)) as Float32Array)).toEqual(range(512, 0.5));
    expect(Array.from(tensorValues(c, loaded.external.get(c)) as Float32Array)).toEqual(range(512, 0.25));
    expect((await runModel(out, X)).y).toEqual((await runModel(net(), X)).y);
  });

  it('accepts a file whose name starts with two dots', () => {
    const file = crafted([{ location: '..w.bin', offset: 0, length: 16 }]);
    fs.writeFileSync(path.join(dir, 'model', '..w.bin'), Buffer.alloc(16));
    expect(loadCode(file)).toBeUndefined();
  });

  it('accepts a symlink that stays inside the model folder', () => {
    const file = crafted([{ location: 'link.bin', offset: 0, length: 16 }]);
    fs.writeFileSync(path.join(dir, 'model', 'real.bin'), Buffer.alloc(16));
    fs.symlinkSync(path.join(dir, 'model', 'real.bin'), path.join(dir, 'model', 'link.bin'));
    expect(loadCode(file)).toBeUndefined();
  });

  it('refuses locations that leave the model folder', () => {
    fs.writeFileSync(path.join(dir, 'outside.bin'), Buffer.alloc(16));
    expect(loadCode(crafted([{ location: '../outside.bin' }]))).toBe('EXTERNAL_DATA_OUTSIDE_MODEL_DIR');
    expect(loadCode(crafted([{ location: path.join(dir, 'outside.bin') }]))).toBe('EXTERNAL_DATA_OUTSIDE_MODEL_DIR');
    const file = crafted([{ location: 'sneaky.bin' }]);
    fs.symlinkSync(path.join(dir, 'outside.bin'), path.join(dir, 'model', 'sneaky.bin'));
    expect(loadCode(file)).toBe('EXTERNAL_DATA_OUTSIDE_MODEL_DIR');
  });

  it('refuses ranges past the end of the file and overlapping ranges', () => {
    const data = path.join(dir, 'model', 'w.bin');
    const past = crafted([{ location: 'w.bin', offset: 32, length: 16 }]);
    fs.writeFileSync(data, Buffer.alloc(24));
    expect(loadCode(past)).toBe('EXTERNAL_DATA_OUT_OF_RANGE');
    expect(loadCode(crafted([{ location: 'w.bin', offset: 16, length: 16 }]))).toBe('EXTERNAL_DATA_OUT_OF_RANGE');
    fs.writeFileSync(data, Buffer.alloc(32));
    expect(loadCode(crafted([{ location: 'w.bin', offset: 16, length: 16 }]))).toBeUndefined();
    expect(
      loadCode(
        crafted([
          { location: 'w.bin', offset: 0, length: 16 },
          { location: 'w.bin', offset: 8, length: 16 },
        ]),
      ),
    ).toBe('EXTERNAL_DATA_OUT_OF_RANGE');
  });

  it('refuses a missing file', () => {
    expect(loadCode(crafted([{ location: 'gone.bin', offset: 0, length: 16 }]))).toBe('EXTERNAL_DATA_MISSING');
  });

  it('writes a model with 2.7 GB of weights by streaming them, keeping the proto small and memory low', async () => {
    const tensorBytes = 700 * 2 ** 20;
    const count = 4;
    const marker = (k: number, at: number) => Buffer.from(`tensor ${k} at ${at}`.padEnd(64, '.'));
    const spots = [0, tensorBytes / 2, tensorBytes - 64];
    const srcDir = path.join(dir, 'src');
    fs.mkdirSync(srcDir);
    const fd = fs.openSync(path.join(srcDir, 'weights.bin'), 'w');
    fs.ftruncateSync(fd, count * tensorBytes);
    for (let k = 0; k < count; k++) for (const at of spots) fs.writeSync(fd, marker(k, at), 0, 64, k * tensorBytes + at);
    fs.closeSync(fd);
    const m = model(
      graph({
        nodes: [node('Identity', ['x'], ['y'])],
        inputs: [value('x', [1])],
        outputs: [value('y', [1])],
        initializers: Array.from({ length: count }, (_, k) => tensor(`big${k}`, [tensorBytes / 4], [])),
      }),
    );
    m.graph!.initializer.forEach((t, k) => external(t, 'weights.bin', k * tensorBytes, tensorBytes));
    fs.writeFileSync(path.join(srcDir, 'big.onnx'), encodeModel(m));
    const source = loadModelFile(path.join(srcDir, 'big.onnx'));
    expect(source.externalDataBytes).toBe(count * tensorBytes);

    const out = path.join(dir, 'out.onnx');
    const tooLarge = await saveModel(source.proto, out, { sourceExternal: source.external }).catch((e: unknown) => e);
    expect((tooLarge as StudioError).code).toBe('MODEL_TOO_LARGE');

    const rss = process.memoryUsage().rss;
    const started = Date.now();
    const result = await saveModel(source.proto, out, { externalData: { location: 'out.onnx.data' }, sourceExternal: source.external });
    const seconds = (Date.now() - started) / 1000;
    expect(process.memoryUsage().rss - rss).toBeLessThan(512 * 2 ** 20);
    expect(seconds).toBeLessThan(60);
    expect(result.externalBytes).toBe(count * tensorBytes);
    expect(result.modelBytes).toBeLessThan(4096);

    const saved = loadModelFile(out);
    expect(saved.fileSizeBytes).toBeLessThan(4096);
    expect(fs.statSync(path.join(dir, 'out.onnx.data')).size).toBe(count * tensorBytes);
    const dataFd = fs.openSync(path.join(dir, 'out.onnx.data'), 'r');
    try {
      saved.proto.graph!.initializer.forEach((t, k) => {
        const ref = saved.external.get(t)!;
        expect(ref.length).toBe(tensorBytes);
        for (const at of spots) {
          const got = Buffer.alloc(64);
          fs.readSync(dataFd, got, 0, 64, ref.offset + at);
          expect(got.toString()).toBe(marker(k, at).toString());
        }
      });
    } finally {
      fs.closeSync(dataFd);
    }
    expect(saved.external.get(saved.proto.graph!.initializer[3])!.offset).toBeGreaterThan(2 ** 31);
  });
});
