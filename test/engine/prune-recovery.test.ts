/**
 * Recovery on the trained sample: 30 % of the channels removed, then the layers re-fitted by least squares on
 * Fashion-MNIST training images. Top-1 is scored on test images only (the sample's 50, and 3000 more from Debian's
 * dataset-fashion-mnist when installed), never on the images calibrated with.
 */
import * as fs from 'node:fs';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelPruneReport } from '../../shared/prune/prune-report';
import { SAMPLE } from './fixtures';
import { independentCount, SAMPLE_IMAGES } from './helpers/eval-data';
import { HAVE_FASHION, normalize, readIdx, trainCalibrationNpy } from './helpers/fashion-mnist';
import { runPass, scratchDir } from './helpers/prune-run';

/** Top-1 of a model on preprocessed images (batches of 250, onnxruntime directly). */
async function top1(model: string, images: Float32Array, labels: Uint8Array): Promise<number> {
  const session = await ort.InferenceSession.create(model, { intraOpNumThreads: 1 });
  let correct = 0;
  try {
    for (let i = 0; i < labels.length; i += 250) {
      const n = Math.min(250, labels.length - i);
      const x = new ort.Tensor('float32', images.subarray(i * 784, (i + n) * 784), [n, 1, 28, 28]);
      const out = (await session.run({ [session.inputNames[0]]: x }))[session.outputNames[0]].data as Float32Array;
      for (let r = 0; r < n; r++) {
        let best = 0;
        for (let c = 1; c < 10; c++) if (out[r * 10 + c] > out[r * 10 + best]) best = c;
        if (best === labels[i + r]) correct++;
      }
    }
  } finally {
    await session.release();
  }
  return correct / labels.length;
}

describe('recovery on the trained sample', () => {
  const dir = scratchDir();
  let calibration: string;
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  beforeAll(() => {
    if (HAVE_FASHION) calibration = trainCalibrationNpy(dir);
  });

  it.skipIf(!HAVE_FASHION)('keeps top-1 within 3 points of the original at 30 % of the channels', async () => {
    const plain = await runPass<ChannelPruneReport>(SAMPLE, 'prune-channels', { sparsity: 0.3, roundTo: 1, calibration: { path: calibration, limit: 600 } }, dir);
    const recovered = await runPass<ChannelPruneReport>(SAMPLE, 'prune-channels', { sparsity: 0.3, roundTo: 1, recover: true, calibration: { path: calibration, limit: 600 } }, dir);
    expect(recovered.report.recovery?.layers.length).toBe(4);
    expect(recovered.report.error.after?.snrDb ?? 0).toBeGreaterThan(recovered.report.error.before.snrDb ?? 0);

    // the sample's 50 test images (its images folder), counted independently of the engine
    const sample = { original: await independentCount(SAMPLE), plain: await independentCount(plain.out), recovered: await independentCount(recovered.out) };
    // 3000 more test images (t10k 1000–3999; the sample's images are among the first 100)
    const images = readIdx('t10k-images-idx3-ubyte.gz');
    const labels = readIdx('t10k-labels-idx1-ubyte.gz');
    const x = normalize(images.data.subarray(1000 * 784, 4000 * 784));
    const y = labels.data.subarray(1000, 4000);
    const test = { original: await top1(SAMPLE, x, y), plain: await top1(plain.out, x, y), recovered: await top1(recovered.out, x, y) };
    console.log(
      `top-1 on the sample's ${sample.original.n} images: original ${sample.original.top1}, pruned ${sample.plain.top1}, recovered ${sample.recovered.top1}; ` +
        `on 3000 t10k images: original ${(100 * test.original).toFixed(1)} %, pruned ${(100 * test.plain).toFixed(1)} %, recovered ${(100 * test.recovered).toFixed(1)} %; ` +
        `MACs ${recovered.report.macsBefore} → ${recovered.report.macsAfter}; held-out SNR ${recovered.report.error.before.snrDb?.toFixed(1)} → ${recovered.report.error.after?.snrDb?.toFixed(1)} dB`,
    );
    expect(test.original - test.recovered).toBeLessThanOrEqual(0.03);
    expect((sample.original.top1 - sample.recovered.top1) / sample.original.n).toBeLessThanOrEqual(0.03);
    expect(test.recovered).toBeGreaterThan(test.plain);
  });

  it('refuses recovery without calibration data, saying what to give', async () => {
    await expect(runPass(SAMPLE, 'prune-channels', { sparsity: 0.3, recover: true }, dir)).rejects.toThrow(/give calibration data/);
  });

  it('ranks by activations on the sample images when asked', async () => {
    const { report } = await runPass<ChannelPruneReport>(SAMPLE, 'prune-channels', { sparsity: 0.3, criterion: 'activation', calibration: { path: SAMPLE_IMAGES } }, dir);
    expect(report.criterion).toBe('activation');
    expect(report.channelsAfter).toBeLessThan(report.channelsBefore);
    expect(report.error.data).toMatch(/held-out/);
  });
});
