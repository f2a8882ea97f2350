/**
 * The differentiator's gradients equal torch autograd's: small random models covering every operator it supports
 * (scripts/grad-reference.py exports them with the reference gradients of sum(output · seed)); relative error < 1e-4.
 * An operator it does not support is refused by name before anything is built.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openNpy, readRows } from '../../electron/engine/evaluate/datasets/npy-rows';
import { loadModelFile } from '../../electron/engine/onnx/load';
import type { HostTensor } from '../../electron/engine/runtime/backend';
import { RuntimeService } from '../../electron/engine/runtime/runtime-service';
import { UnsupportedGraphError } from '../../electron/engine/train/autodiff';
import { supportedGradOps } from '../../electron/engine/train/grad-rules';
import { probeShapes } from '../../electron/engine/train/shape-probe';
import { readWeights } from '../../electron/engine/train/trainable';
import { buildTrainingModel, TRAIN_IO } from '../../electron/engine/train/training-graph';
import { ROOT } from './fixtures';

interface Case {
  name: string;
  folder: string;
  grads: Record<string, string>;
}

const runtime = new RuntimeService();
let dir = '';
let cases: Case[] = [];

async function npy(file: string): Promise<HostTensor> {
  const f = openNpy(file);
  return readRows(f, 0, f.shape[0]);
}

function relError(actual: HostTensor, expected: HostTensor): number {
  const a = actual.data as Float32Array;
  const b = expected.data as Float32Array;
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return diff / Math.max(scale, 1e-6);
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-grad-'));
  execFileSync('/usr/bin/python3', [path.join(ROOT, 'scripts', 'grad-reference.py'), dir], { stdio: 'pipe' });
  cases = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Case[];
}, 180_000);

afterAll(() => {
  runtime.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('gradients equal torch autograd', () => {
  it('covers every case of the reference script', () => {
    expect(cases.map((c) => c.name)).toEqual([
      'conv_bn_relu_maxpool_gemm',
      'strided_dilated_grouped_conv',
      'resnet_block_avgpool',
      'mobilenet_block',
      'concat_transpose_sigmoid_tanh',
      'matmul_broadcast_div_softmax',
    ]);
  });

  for (const name of ['conv_bn_relu_maxpool_gemm', 'strided_dilated_grouped_conv', 'resnet_block_avgpool', 'mobilenet_block', 'concat_transpose_sigmoid_tanh', 'matmul_broadcast_div_softmax']) {
    it(`${name}: every parameter's gradient and the input's`, async () => {
      const c = cases.find((x) => x.name === name) as Case;
      const folder = path.join(dir, c.folder);
      const loaded = loadModelFile(path.join(folder, 'model.onnx'));
      const x = await npy(path.join(folder, 'x.npy'));
      const seed = await npy(path.join(folder, 'seed.npy'));
      const shapes = await probeShapes(runtime.models, loaded.proto, { x });
      const trainable = Object.keys(c.grads);
      const model = buildTrainingModel(loaded.proto, { trainable, inputGrads: ['x'], shapes, output: 'y', loss: { kind: 'seed' } });
      const runner = await runtime.models.openTensorRunner(model.proto, new Map(), { what: `${name} (training graph)`, optimization: 'disabled' });
      try {
        const weights = readWeights(loaded.proto.graph?.initializer.filter((t) => trainable.includes(t.name)) ?? [], loaded.external);
        const feeds: Record<string, HostTensor> = { x, [TRAIN_IO.seed]: seed };
        for (const [k, v] of weights) feeds[k] = { dtype: 'float32', dims: shapes.get(k) as number[], data: v };
        const out = await runner.run(feeds);
        const ref = await npy(path.join(folder, 'y.npy'));
        expect(relError(out.y, ref), 'forward output').toBeLessThan(1e-5);
        expect(relError(out[model.gradOutputs.get('x') as string], await npy(path.join(folder, 'grad_x.npy'))), 'input gradient').toBeLessThan(1e-4);
        for (const [param, file] of Object.entries(c.grads)) {
          const g = out[model.gradOutputs.get(param) as string];
          expect(g, `gradient of ${param}`).toBeDefined();
          expect(relError(g, await npy(path.join(folder, file))), `gradient of ${param}`).toBeLessThan(1e-4);
        }
      } finally {
        await runner.release();
      }
    }, 120_000);
  }

  it('refuses an operator it has no rule for, naming the node, before building anything', async () => {
    const loaded = loadModelFile(path.join(dir, 'concat_transpose_sigmoid_tanh', 'model.onnx'));
    const graph = loaded.proto.graph;
    const sig = graph?.node.find((n) => n.opType === 'Sigmoid');
    if (!sig) throw new Error('fixture changed');
    sig.opType = 'Erf';
    sig.name = 'the_erf_node';
    const x = await npy(path.join(dir, 'concat_transpose_sigmoid_tanh', 'x.npy'));
    const shapes = await probeShapes(runtime.models, loaded.proto, { x });
    const before = graph?.node.length;
    let error: unknown;
    try {
      buildTrainingModel(loaded.proto, { trainable: ['a.weight', 'fc.weight'], shapes, output: 'y', loss: { kind: 'seed' } });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(UnsupportedGraphError);
    expect((error as UnsupportedGraphError).nodes).toEqual([{ name: 'the_erf_node', opType: 'Erf', reason: '' }]);
    expect((error as Error).message).toMatch(/the_erf_node \(Erf\)/);
    expect(graph?.node.length).toBe(before);
    expect(supportedGradOps()).toContain('Conv');
  }, 60_000);
});
