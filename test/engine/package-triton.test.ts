/**
 * Triton model repositories on real models: config.pbtxt parses as protobuf text format against Triton's own
 * ModelConfig schema (test/fixtures/triton/model_config.proto, parsed by python's google.protobuf), and its dims
 * match the model as the `onnx` python package reads it.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../electron/engine/features';
import { runtimeFor } from '../../electron/engine/runtime/engine-runtime';
import { conformance, generated, ROOT, SAMPLE } from './fixtures';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-triton-'));
const dataDir = path.join(tmp, 'data');
const repo = path.join(tmp, 'repo');
const PROTO = path.join(ROOT, 'test/fixtures/triton/model_config.proto');
const engine = createEngine({ dataDir, samplePath: SAMPLE, appVersion: 'test' });
afterAll(() => {
  runtimeFor(engine).dispose();
  fs.rmSync(tmp, { recursive: true, force: true });
});

interface TritonTensor {
  name: string;
  data_type: string;
  dims: string[];
  reshape?: { shape?: string[] };
  label_filename?: string;
}
interface ParsedConfig {
  name: string;
  platform: string;
  max_batch_size?: number;
  input: TritonTensor[];
  output: TritonTensor[];
  dynamic_batching?: Record<string, unknown>;
  instance_group?: Array<{ kind: string; count: number }>;
  optimization?: { execution_accelerators?: { gpu_execution_accelerator?: Array<{ name: string; parameters?: Record<string, string> }> } };
  parameters?: Record<string, { string_value: string }>;
}

function parse(files: string[]): Array<{ file: string; ok: boolean; config?: ParsedConfig; error?: string }> {
  const out = execFileSync('/usr/bin/python3', [path.join(ROOT, 'test/engine/helpers/triton_parse.py'), PROTO, ...files]).toString();
  return out.trim().split('\n').map((l) => JSON.parse(l));
}

/** Graph inputs/outputs as the onnx package reads them: dims as numbers, -1 for symbolic or missing. */
function onnxShapes(model: string): { inputs: Record<string, number[]>; outputs: Record<string, number[]> } {
  const code = `
import json, sys, onnx
m = onnx.load(sys.argv[1], load_external_data=False)
inits = {i.name for i in m.graph.initializer}
def dims(v):
    return [d.dim_value if d.HasField('dim_value') else -1 for d in v.type.tensor_type.shape.dim]
print(json.dumps({'inputs': {v.name: dims(v) for v in m.graph.input if v.name not in inits}, 'outputs': {v.name: dims(v) for v in m.graph.output}}))`;
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', code, model]).toString());
}

const MODELS: Array<[string, () => string]> = [
  ['sample', () => SAMPLE],
  ['resnet18', () => generated('resnet18.onnx')],
  ['mobilenet_v2', () => generated('mobilenet_v2.onnx')],
  ['transformer', () => generated('transformer.onnx')],
  ['if-model', () => generated('if-model.onnx')],
  ['external-data', () => generated('external-data.onnx')],
  ['add', () => conformance('node/test_add')],
  ['argmax', () => conformance('node/test_argmax_default_axis_example')],
  ['gather', () => conformance('node/test_gather_0')],
];

describe('Triton repositories', () => {
  it('write config.pbtxt files that parse against ModelConfig with dims matching each model', async () => {
    const written: Array<{ model: string; name: string; config: string }> = [];
    for (const [name, file] of MODELS) {
      const { modelId } = await engine.call('openModel', { path: file() });
      const r = await engine.call('runPackage', { modelId, format: 'triton', outDir: repo, tritonName: name });
      expect(r.files.map((f) => f.path)).toContain(`${name}/1/model.onnx`);
      written.push({ model: file(), name, config: path.join(repo, name, 'config.pbtxt') });
    }
    const parsed = parse(written.map((w) => w.config));
    for (const [i, w] of written.entries()) {
      const p = parsed[i];
      expect(p.ok, `${w.name}: ${p.error}`).toBe(true);
      const c = p.config as ParsedConfig;
      expect(c).toMatchObject({ name: w.name, platform: 'onnxruntime_onnx' });
      const want = onnxShapes(w.model);
      const batched = (c.max_batch_size ?? 0) > 0;
      expect(Boolean(c.dynamic_batching), w.name).toBe(batched);
      const check = (tensors: TritonTensor[], expected: Record<string, number[]>) => {
        expect(tensors.map((t) => t.name).sort(), w.name).toEqual(Object.keys(expected).sort());
        for (const t of tensors) {
          const full = expected[t.name];
          const dims = (t.reshape ? [] : t.dims).map(Number);
          expect(batched ? [-1, ...dims] : dims, `${w.name} ${t.name}`).toEqual(full);
        }
      };
      check(c.input, want.inputs);
      check(c.output, want.outputs);
    }
    const bad = path.join(tmp, 'bad.pbtxt');
    fs.writeFileSync(bad, 'name: "x"\nplatform: "onnxruntime_onnx"\ninput [ { name: "a" data_type: TYPE_FLOAT32 dims: [ 1 ] } ]\n');
    expect(parse([bad])[0]).toMatchObject({ ok: false, error: expect.stringContaining('TYPE_FLOAT32') });
    const byName = Object.fromEntries(written.map((w, i) => [w.name, parsed[i].config as ParsedConfig]));
    expect(byName.sample.max_batch_size).toBe(8);
    expect(byName.sample.output[0].label_filename).toBe('labels.txt');
    expect(fs.readFileSync(path.join(repo, 'sample', 'labels.txt'), 'utf8').split('\n')[1]).toBe('Trouser');
    expect(byName.add.max_batch_size ?? 0).toBe(0);
    expect(fs.existsSync(path.join(repo, 'external-data', '1', 'model.onnx.data'))).toBe(true);
  });

  it('the copied model is byte-identical and loads with its external data', async () => {
    expect(fs.readFileSync(path.join(repo, 'sample', '1', 'model.onnx')).equals(fs.readFileSync(SAMPLE))).toBe(true);
    const { modelId } = await engine.call('openModel', { path: path.join(repo, 'external-data', '1', 'model.onnx') });
    const r = await engine.call('runModel', { modelId });
    expect(r.outputs.length).toBeGreaterThan(0);
  });

  it('takes instance groups from a GPU target profile', async () => {
    const profiles = path.join(dataDir, 'profiles');
    fs.mkdirSync(profiles, { recursive: true });
    fs.writeFileSync(
      path.join(profiles, 'test-gpu.json'),
      JSON.stringify({
        schemaVersion: 1,
        id: 'test-gpu',
        name: 'Test datacenter GPU',
        description: 'A datacenter GPU profile written by the Triton packaging test.',
        sources: ['test'],
        deviceClass: 'nvidia-gpu',
        hardware: { accelerator: 'GPU' },
        executionProviders: ['tensorrt', 'cuda', 'cpu'],
        threads: { intraOp: 4, interOp: 1 },
        graphOptimizationLevel: 'all',
        precisions: { supported: ['fp32', 'fp16'], preferred: 'fp16' },
        memoryBudgetBytes: 16e9,
        storageBudgetBytes: 100e9,
        peakGops: { fp32: 19500, fp16: 78000 },
        memoryBandwidthGBs: 1555,
        unsupportedOps: [],
        recipeDefaults: {
          quantization: { mode: 'none', format: 'qdq', weightType: 'int8', activationType: 'int8', perChannel: true, calibration: 'minmax' },
          fp16: true,
          pruningCeiling: 0.5,
        },
      }),
    );
    const { modelId } = await engine.call('openModel', { path: generated('resnet18.onnx') });
    const plan = await engine.call('planPackage', { modelId, format: 'triton', outDir: repo, tritonName: 'resnet18-gpu', targetId: 'test-gpu' });
    expect(plan.triton).toMatchObject({ instanceKind: 'KIND_GPU', dynamicBatch: true });
    await engine.call('runPackage', { modelId, format: 'triton', outDir: repo, tritonName: 'resnet18-gpu', targetId: 'test-gpu', maxBatchSize: 32 });
    const [p] = parse([path.join(repo, 'resnet18-gpu', 'config.pbtxt')]);
    expect(p.ok, p.error).toBe(true);
    const c = p.config as ParsedConfig;
    expect(c.max_batch_size).toBe(32);
    expect(c.instance_group).toEqual([{ count: 1, kind: 'KIND_GPU' }]);
    expect(c.optimization?.execution_accelerators?.gpu_execution_accelerator).toEqual([{ name: 'tensorrt', parameters: { precision_mode: 'FP16' } }]);
    expect(c.parameters?.intra_op_thread_count).toEqual({ string_value: '4' });

    const { targets } = await engine.call('listTargets', {});
    expect(targets.length).toBeGreaterThanOrEqual(8);
    for (const t of targets) {
      const p = await engine.call('planPackage', { modelId, format: 'triton', outDir: repo, tritonName: 'each', targetId: t.profile.id });
      expect(p.triton?.instanceKind, t.profile.id).toBe(t.profile.deviceClass === 'nvidia-gpu' ? 'KIND_GPU' : 'KIND_CPU');
      expect(p.issues.filter((i) => i.severity === 'error'), t.profile.id).toEqual([]);
    }
    const bad = await engine.call('planPackage', { modelId, format: 'triton', outDir: repo, targetId: 'no-such-target' });
    expect(bad.ok).toBe(false);
    expect(bad.issues[0].message).toMatch(/no target profile "no-such-target".*test-gpu/);
  });

  it('refuses to replace an existing model folder unless asked, and a folder it did not write', async () => {
    const { modelId } = await engine.call('openModel', { path: SAMPLE });
    await expect(engine.call('runPackage', { modelId, format: 'triton', outDir: repo, tritonName: 'sample' })).rejects.toMatchObject({ code: 'OUTPUT_EXISTS' });
    await engine.call('runPackage', { modelId, format: 'triton', outDir: repo, tritonName: 'sample', overwrite: true });
    fs.mkdirSync(path.join(repo, 'foreign'));
    fs.writeFileSync(path.join(repo, 'foreign', 'keep.txt'), 'not ours');
    await expect(engine.call('runPackage', { modelId, format: 'triton', outDir: repo, tritonName: 'foreign', overwrite: true })).rejects.toThrow(/not written by Deploy Studio/);
    expect(fs.readFileSync(path.join(repo, 'foreign', 'keep.txt'), 'utf8')).toBe('not ours');
    expect(fs.readdirSync(repo).filter((e) => e.startsWith('.'))).toEqual([]);
  });
});
