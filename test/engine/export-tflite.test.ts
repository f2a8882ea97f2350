/**
 * TFLite export on real models, each file run after writing in Arm NN's CpuRef (independent of the writer) and compared
 * with onnxruntime on the same inputs. CpuRef is a slow reference backend: the ImageNet-size models get one sample.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exportTflite } from '../../electron/engine/export/export-tflite';
import { RuntimeService } from '../../electron/engine/runtime/runtime-service';
import { generated, ROOT, SAMPLE } from './fixtures';

const runtime = new RuntimeService();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'export-tflite-'));
afterAll(() => {
  runtime.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A model made by helpers/tflite_models.py (an MLP, squeezenet1_0 with random weights). */
function made(name: 'mlp' | 'squeezenet'): string {
  const p = path.join(dir, `${name}.onnx`);
  if (!fs.existsSync(p)) execFileSync('/usr/bin/python3', [path.join(ROOT, 'test/engine/helpers/tflite_models.py'), dir], { stdio: 'ignore' });
  return p;
}

async function exportAndCheck(model: string, name: string, samples: number, ioLayout: 'nchw' | 'nhwc' = 'nchw') {
  const outPath = path.join(dir, `${name}-${ioLayout}.tflite`);
  const r = await exportTflite(runtime, { modelPath: model, outPath, samples, ioLayout });
  expect(fs.statSync(outPath).size).toBe(r.bytes);
  expect(r.check?.message).toBeUndefined();
  expect(r.check?.ran).toBe(true);
  for (const out of r.check!.outputs) {
    expect(out.samples).toBe(samples);
    expect(out.relativeMaxError).toBeLessThan(1e-4);
    expect(out.top1Agreement).toBe(1);
  }
  return r;
}

describe('export to TFLite (float), checked in Arm NN', () => {
  it('a small MLP: FullyConnected, Tanh, Softmax', async () => {
    const r = await exportAndCheck(made('mlp'), 'mlp', 16);
    expect(r.operators.FULLY_CONNECTED).toBe(3);
    expect(r.operators.RELU).toBeUndefined(); // fused into the first FullyConnected
  }, 120_000);

  it('the sample CNN, NCHW and NHWC inputs; BatchNorm folded, one transpose before Flatten', async () => {
    const r = await exportAndCheck(SAMPLE, 'sample', 16);
    expect(r.operators.CONV_2D).toBe(3);
    expect(r.inputs[0].shape).toEqual([1, 1, 28, 28]);
    const n = await exportAndCheck(SAMPLE, 'sample', 8, 'nhwc');
    expect(n.inputs[0].shape).toEqual([1, 28, 28, 1]);
    expect(n.operators.TRANSPOSE).toBe(1);
  }, 120_000);

  it('mobilenet_v2: depthwise convolutions, Clip → fused ReLU6, residual Adds', async () => {
    const r = await exportAndCheck(generated('mobilenet_v2.onnx'), 'mobilenet_v2', 1);
    expect(r.operators.DEPTHWISE_CONV_2D).toBe(17);
    expect(r.operators.RELU6).toBeUndefined();
  }, 180_000);

  it('resnet18: explicit pads where SAME differs from ONNX, max pool, global average pool', async () => {
    const r = await exportAndCheck(generated('resnet18.onnx'), 'resnet18', 1);
    expect(r.operators.CONV_2D).toBe(20);
    expect(r.operators.MEAN).toBe(1);
  }, 180_000);
});

describe('export to TFLite (float), squeezenet', () => {
  it('squeezenet1_0: ceil-mode max pools (explicit pads), Concat on the channel axis (NHWC axis 3)', async () => {
    const r = await exportAndCheck(made('squeezenet'), 'squeezenet', 1);
    expect(r.operators.CONCATENATION).toBe(8);
    expect(r.operators.MAX_POOL_2D).toBe(3);
  }, 180_000);
});

describe('refusals', () => {
  it('a model with a Loop is refused with the node list, and nothing is written', async () => {
    const outPath = path.join(dir, 'loop.tflite');
    await expect(exportTflite(runtime, { modelPath: generated('loop-rnn.onnx'), outPath })).rejects.toMatchObject({ code: 'UNSUPPORTED_OP', message: expect.stringMatching(/Loop\)/) });
    expect(fs.existsSync(outPath)).toBe(false);
  });

  it('a quantized (QDQ) model is refused as int8, not yet supported, and nothing is written', async () => {
    const q = path.join(dir, 'sample-int8.onnx');
    execFileSync(process.execPath, [path.join(ROOT, 'out/cli/cli.cjs'), 'quantize', SAMPLE, '-o', q, '--mode', 'static', '--calibration', path.join(ROOT, 'assets/samples/fashion-mnist/images'), '--format', 's8s8'], { stdio: 'ignore', env: { ...process.env, DEPLOY_STUDIO_DATA_DIR: dir } });
    const outPath = path.join(dir, 'sample-int8.tflite');
    await expect(exportTflite(runtime, { modelPath: q, outPath })).rejects.toMatchObject({ code: 'UNSUPPORTED_OP', message: expect.stringMatching(/quantized \(QDQ\) model .* not supported yet/) });
    expect(fs.existsSync(outPath)).toBe(false);
  }, 120_000);

  it('never replaces an existing file', async () => {
    const outPath = path.join(dir, 'exists.tflite');
    fs.writeFileSync(outPath, 'keep');
    await expect(exportTflite(runtime, { modelPath: SAMPLE, outPath, check: false })).rejects.toMatchObject({ code: 'OUTPUT_EXISTS' });
    expect(fs.readFileSync(outPath, 'utf8')).toBe('keep');
  });
});
