/**
 * Distillation wins back what channel pruning cost: the sample pruned by 50 % and 70 % (no re-fit) is distilled from
 * the original on Fashion-MNIST training images without labels (never a test image; the epoch kept is chosen on
 * held-out training images), and its top-1 on the 10 000 test images comes within 1 point (50 %) and 2 points (70 %)
 * of the original's. The student's file is never touched.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModelFile, type LoadedModel } from '../../electron/engine/onnx/load';
import { RuntimeService } from '../../electron/engine/runtime/runtime-service';
import { distill } from '../../electron/engine/train/distill';
import { evaluateStudent } from '../../electron/engine/train/validate-student';
import { SAMPLE } from './fixtures';
import { normalize, readIdx } from './helpers/fashion-mnist';
import { writeNpy } from './helpers/npy-file';
import { runPass, scratchDir } from './helpers/prune-run';

const runtime = new RuntimeService();
let dir = '';
const files = { train: '', val: '', valLabels: '', test: '', testLabels: '' };

/** Training-split images `[from, from + count·stride)` every `stride`, preprocessed like the sample expects. */
function trainImages(from: number, count: number, stride: number): { images: Float32Array; labels: Uint8Array } {
  const images = readIdx('train-images-idx3-ubyte.gz').data;
  const labels = readIdx('train-labels-idx1-ubyte.gz').data;
  const px = new Uint8Array(count * 784);
  const lb = new Uint8Array(count);
  for (let k = 0; k < count; k++) {
    const i = from + k * stride;
    px.set(images.subarray(i * 784, (i + 1) * 784), k * 784);
    lb[k] = labels[i];
  }
  return { images: normalize(px), labels: lb };
}

/** top-1 of a model on the 10 000 test images. */
async function testTop1(model: LoadedModel): Promise<number> {
  const runner = await runtime.models.openTensorRunner(model.proto, model.external, { what: model.fileName });
  try {
    const output = model.proto.graph?.output[0].name as string;
    const ev = await evaluateStudent.open({ runtime: runtime.models, student: model, teacher: runner, teacherOutput: output, output, trainable: [], val: { path: files.test, labelsPath: files.testLabels } });
    try {
      return (await ev.run(new Map())).top1 as number;
    } finally {
      await ev.runner.release();
    }
  } finally {
    await runner.release();
  }
}

beforeAll(() => {
  dir = scratchDir();
  const train = trainImages(0, 24000, 2); // images 0, 2, 4, … 47 998: no labels given to the distillation
  files.train = path.join(dir, 'train.npy');
  writeNpy(files.train, 'float32', [24000, 1, 28, 28], train.images);
  const val = trainImages(50000, 2000, 1); // held-out training images choose the epoch kept
  files.val = path.join(dir, 'val.npy');
  files.valLabels = path.join(dir, 'val-labels.npy');
  writeNpy(files.val, 'float32', [2000, 1, 28, 28], val.images);
  writeNpy(files.valLabels, 'int64', [2000], val.labels);
  files.test = path.join(dir, 'test.npy');
  files.testLabels = path.join(dir, 'test-labels.npy');
  writeNpy(files.test, 'float32', [10000, 1, 28, 28], normalize(readIdx('t10k-images-idx3-ubyte.gz').data));
  writeNpy(files.testLabels, 'int64', [10000], readIdx('t10k-labels-idx1-ubyte.gz').data);
});

afterAll(() => {
  runtime.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('distillation of the channel-pruned sample', () => {
  let original = 0;

  for (const [sparsity, points] of [
    [0.5, 1],
    [0.7, 2],
  ] as const) {
    it(`brings ${sparsity * 100} % channel pruning back within ${points} point${points > 1 ? 's' : ''} of the original on the 10 000 test images`, async () => {
      original ||= await testTop1(loadModelFile(SAMPLE));
      const pruned = await runPass<unknown>(SAMPLE, 'prune-channels', { sparsity }, dir);
      const before = fs.readFileSync(pruned.out);
      const out = path.join(dir, `distilled-${sparsity}.onnx`);
      const stages: string[] = [];
      const result = await distill({
        runtime: runtime.models,
        student: loadModelFile(pruned.out),
        teacher: loadModelFile(SAMPLE),
        train: { path: files.train },
        val: { path: files.val, labelsPath: files.valLabels },
        settings: { epochs: 6, batch: 64, optimizer: { kind: 'adam', learningRate: 3e-3 }, temperature: 4, alpha: 0, seed: 1 },
        out,
        onProgress: (p) => stages.push(p.stage),
      });
      const prunedTop1 = await testTop1(loadModelFile(pruned.out));
      const distilled = await testTop1(loadModelFile(out));
      console.log(JSON.stringify({ sparsity, original, prunedTop1, distilled, epochs: result.epochs, kept: result.keptEpoch }));
      expect(fs.readFileSync(pruned.out).equals(before)).toBe(true);
      expect(result.trainItems).toBe(24000);
      expect(stages.some((s) => /epoch 1 of 6/.test(s))).toBe(true);
      expect(prunedTop1).toBeLessThan(original - 0.05);
      expect(distilled).toBeGreaterThanOrEqual(original - points / 100);
    }, 900_000);
  }
});
