/**
 * Static int8 on trained networks: the Fashion-MNIST MobileNets (scripts/train-mobilenets.py) keep top-1 within a point
 * and the output SNR at 25 dB or more with the host defaults; on a dense-output model the guard measures SNR/cosine, and
 * a minimum it cannot reach is reported as such (status below-threshold, with the float fallback).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GENERATED, ROOT } from './fixtures';
import { runPass, scratchDir } from './helpers/prune-run';

const dir = scratchDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const TRAINED = path.join(GENERATED, 'trained');
const DET = path.join(ROOT, 'test/fixtures/corpus/ppocr-v4-det.onnx');

interface Report {
  status: string;
  keptFloatCount: number;
  fidelity: { metric: string; why: string; value: number | null; min: number; outputSnrDb: number | null; cosine: number | null; top1?: { float: number; quantized: number }; count: number; met: boolean; status: string; fallback?: string };
}

function trained(name: string): string {
  const file = path.join(TRAINED, `${name}.onnx`);
  if (!fs.existsSync(file)) execFileSync('/usr/bin/python3', [path.join(ROOT, 'scripts/train-mobilenets.py'), TRAINED], { stdio: 'inherit' });
  return file;
}

describe('static int8 of trained MobileNets (host defaults)', () => {
  it.each(['mobilenet_v3_small', 'mobilenet_v2'])('%s keeps top-1 within 1 point and output SNR ≥ 25 dB on 1000 test images', async (name) => {
    const options = { calibration: path.join(TRAINED, 'calib'), eval: path.join(TRAINED, 'test'), evalLimit: 1000, errorItems: 0 };
    const { report } = await runPass<Report>(trained(name), 'quantize-static', options, dir);
    const f = report.fidelity;
    console.log(`${name}: top-1 float ${f.top1?.float.toFixed(2)} %, int8 ${f.top1?.quantized.toFixed(2)} % (${f.count} items); ${f.metric} ${f.value}; output SNR ${f.outputSnrDb} dB; ${report.keptFloatCount} kept float`);
    expect(f.metric).toBe('agreement');
    expect(f.top1).toBeDefined();
    expect(f.count).toBe(1000);
    expect((f.top1?.float ?? 0) - (f.top1?.quantized ?? 0)).toBeLessThanOrEqual(1);
    expect(f.outputSnrDb ?? Infinity).toBeGreaterThanOrEqual(25);
    expect(report.status).toBe('ok');
  }, 300_000);
});

describe.skipIf(!fs.existsSync(DET))('fidelity guard on a dense output (PaddleOCR detector map)', () => {
  it('chooses SNR/cosine from the map shape and reports an unreachable minimum as below-threshold with the fallback', async () => {
    const options = { errorItems: 0, minSnrDb: 90, maxReverts: 2, calibrationLimit: 8 };
    // random calibration data (no detector images here): the guard measures, reverts nothing, and says so
    const { report, warnings } = await runPass<Report>(DET, 'quantize-static', options, dir);
    const f = report.fidelity;
    console.log(`ppocr-v4-det: ${f.metric} ${f.value} dB, cosine ${f.cosine}, minimum ${f.min} → ${f.status}; ${f.fallback}`);
    expect(f.metric).toBe('snr');
    expect(f.why).toMatch(/dense map/);
    expect(f.cosine).not.toBeNull();
    expect(f.met).toBe(false);
    expect(report.status).toBe('below-threshold');
    expect(f.fallback).toMatch(/float model/);
    expect(warnings.some((w) => /FIDELITY BELOW THRESHOLD/.test(w))).toBe(true);
  }, 300_000);
});
