/**
 * Accuracy-aware mode: plain int8 of the sample with entropy calibration (which clips the activations hard) drops top-1
 * by several points on Fashion-MNIST test images; with a 1-point margin, keeping named nodes in float meets it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SAMPLE } from './fixtures';
import { SAMPLE_IMAGES } from './helpers/eval-data';
import { HAVE_FASHION, normalize, readIdx } from './helpers/fashion-mnist';
import { writeNpy } from './helpers/npy-file';
import { runPass, scratchDir } from './helpers/prune-run';
import { onnxCheck } from './helpers/quantize-check';

const dir = scratchDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

interface Report {
  keptFloat: Array<{ node: string; op: string; reason: string }>;
  quantizedNodeCount: number;
  accuracy: { metric: string; float: number; quantized: number; met: boolean; steps: Array<{ tried: string | null; kept: boolean; metric: number }> };
}

/** The first `n` Fashion-MNIST test images with their labels, as a model-ready .npy dataset folder. */
function fashionTestFolder(n: number): string {
  const folder = path.join(dir, `fashion-test-${n}`);
  fs.mkdirSync(folder, { recursive: true });
  const images = normalize(readIdx('t10k-images-idx3-ubyte.gz').data.subarray(0, n * 784));
  const labels = readIdx('t10k-labels-idx1-ubyte.gz').data.subarray(0, n);
  writeNpy(path.join(folder, 'input.npy'), 'float32', [n, 1, 28, 28], images);
  writeNpy(path.join(folder, 'labels.npy'), 'int64', [n], labels);
  return folder;
}

describe('accuracy-aware static int8', () => {
  it.skipIf(!HAVE_FASHION)('meets a 1-point top-1 margin that plain int8 misses by keeping named nodes in float', async () => {
    const evalData = fashionTestFolder(1000);
    const options = { calibration: SAMPLE_IMAGES, method: 'entropy', eval: evalData, evalLimit: 1000, errorItems: 32 };
    const { out, report, warnings } = await runPass<Report>(SAMPLE, 'quantize-static', { ...options, maxDrop: 1 }, dir);
    const a = report.accuracy;
    const plain = a.steps[0].metric;
    console.log(
      `top-1 on 1000 test images: float ${a.float.toFixed(1)} %, plain int8 (entropy) ${plain.toFixed(1)} %, accuracy-aware ${a.quantized.toFixed(1)} % ` +
        `with ${report.keptFloat.map((k) => k.node).join(', ')} in float (${a.steps.length - 1} tries)`,
    );
    expect(a.metric).toBe('top1');
    expect(a.float - plain).toBeGreaterThan(1);
    expect(a.met).toBe(true);
    expect(a.float - a.quantized).toBeLessThanOrEqual(1);
    expect(report.keptFloat.length).toBeGreaterThan(0);
    for (const k of report.keptFloat) expect(k.reason).toMatch(/ranked #\d+ by the error it causes/);
    expect(report.quantizedNodeCount).toBeGreaterThan(0);
    expect(warnings.filter((w) => /not met/.test(w))).toEqual([]);
    onnxCheck([out]);
  });
});
