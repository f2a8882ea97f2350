/** Tasks on real models the studio trained (scripts/train-task-models.py), through `run --task --render`: the drawn PNG
 * is read back and its pixels checked against the ground truth: boxes on the shapes, the mask over them, the speech
 * segments where the speech is, the inverted image beside the input. */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { boxIou } from '../../shared/tasks/boxes';
import { boxColor, CLASS_COLORS } from '../../shared/tasks/palette';
import { audioPlotArea } from '../../shared/tasks/task-svg';
import type { AudioResult, DetectResult, SegmentResult } from '../../shared/tasks/task-types';
import { ROOT } from './fixtures';
import { taskFile, truthOf } from './helpers/task-models';

const CLI = path.join(ROOT, 'bin', 'deploy-studio.cjs');
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-tasks-'));
afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

interface CliRun<R> {
  task: string;
  chosenBy: string;
  result: R;
  render: { path: string; width: number; height: number; scale: number };
}

function runCli<R>(model: string, input: string, render: string, extra: string[] = []): CliRun<R> {
  const stdout = execFileSync(process.execPath, [CLI, 'run', model, '--input', input, '--render', render, '--json', ...extra], { encoding: 'utf8' });
  return JSON.parse(stdout) as CliRun<R>;
}

async function pixels(file: string): Promise<{ data: Buffer; width: number; height: number; at: (x: number, y: number) => [number, number, number] }> {
  const { data, info } = await sharp(file).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const at = (x: number, y: number): [number, number, number] => {
    const i = (Math.round(y) * info.width + Math.round(x)) * 3;
    return [data[i], data[i + 1], data[i + 2]];
  };
  return { data, width: info.width, height: info.height, at };
}

const hex = (c: string): [number, number, number] => [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16)) as [number, number, number];
const near = (a: readonly number[], b: readonly number[], tol: number) => a.every((v, i) => Math.abs(v - b[i]) <= tol);

describe('run --task --render on the trained task models', () => {
  it('detect: a box of the right class on every shape (IoU > 0.5), drawn where the shape is', async () => {
    const truth = truthOf('shapes-test-256.json');
    const png = path.join(out, 'detect.png');
    const r = runCli<DetectResult>(taskFile('shapes-detector.onnx'), taskFile('shapes-test-256.png'), png);
    expect(r.task).toBe('detect');
    expect(r.result.boxes.length).toBe(truth.shapes.length);
    const img = await pixels(png);
    const k = r.render.scale;
    expect(img.width).toBe(256 * k);
    for (const shape of truth.shapes) {
      const [x0, y0, x1, y1] = shape.box;
      const best = r.result.boxes.map((b) => ({ b, iou: boxIou(b, { x0, y0, x1, y1 }) })).sort((a, b) => b.iou - a.iou)[0];
      expect(best.iou, `${shape.label} at ${shape.box.join(', ')}`).toBeGreaterThan(0.5);
      expect(best.b.label).toBe(shape.label);
      // the drawn stroke: along the shape's middle row and column, the box colour is found near each truth edge
      const color = hex(boxColor(best.b.classIndex));
      const [midX, midY] = [((x0 + x1) / 2) * k, ((y0 + y1) / 2) * k];
      const tol = 0.2 * Math.max(x1 - x0, y1 - y0) * k;
      const nearest = (coords: number[], point: (v: number) => [number, number]) => {
        const hits = coords.filter((v) => { const [x, y] = point(v); return x >= 0 && y >= 0 && x < img.width && y < img.height && near(img.at(x, y), color, 2); });
        return hits;
      };
      const xs = Array.from({ length: img.width }, (_, i) => i);
      const ys = Array.from({ length: img.height }, (_, i) => i);
      const onRow = nearest(xs, (x) => [x, midY]);
      const onCol = nearest(ys, (y) => [midX, y]);
      expect(onRow.some((x) => Math.abs(x - x0 * k) < tol), `left edge near x=${x0 * k}`).toBe(true);
      expect(onRow.some((x) => Math.abs(x - x1 * k) < tol), `right edge near x=${x1 * k}`).toBe(true);
      expect(onCol.some((y) => Math.abs(y - y0 * k) < tol), `top edge near y=${y0 * k}`).toBe(true);
      expect(onCol.some((y) => Math.abs(y - y1 * k) < tol), `bottom edge near y=${y1 * k}`).toBe(true);
      // inside the box, away from the stroke, the shape shows through (no fill)
      expect(near(img.at(midX, midY), color, 2)).toBe(false);
    }
  });

  it('segment: the mask covers each shape with its class, and the render tints the shapes, not the background', async () => {
    const truth = truthOf('shapes-test-256.json');
    const png = path.join(out, 'segment.png');
    const r = runCli<SegmentResult>(taskFile('shapes-segmenter.onnx'), taskFile('shapes-test-256.png'), png);
    expect(r.task).toBe('segment');
    const input = await pixels(taskFile('shapes-test-256.png'));
    const img = await pixels(png);
    const k = r.render.scale;
    // the JSON carries statistics; the mask itself comes from the engine for the pixel check
    const { runTask } = await import('../../electron/engine/runtime/tasks/run-task');
    const { RuntimeService } = await import('../../electron/engine/runtime/runtime-service');
    const { loadModelFile } = await import('../../electron/engine/onnx/load');
    const runtime = new RuntimeService();
    try {
      const run = await runTask(runtime, loadModelFile(taskFile('shapes-segmenter.onnx')), { inputPath: taskFile('shapes-test-256.png') });
      const seg = run.result as SegmentResult;
      const labels = ['background', 'square', 'circle'];
      const s = truth.width / seg.maskWidth;
      for (const shape of truth.shapes) {
        const [x0, y0, x1, y1] = shape.box;
        const cls = labels.indexOf(shape.label);
        let inside = 0;
        let hit = 0;
        for (let y = 0; y < seg.maskHeight; y++) {
          for (let x = 0; x < seg.maskWidth; x++) {
            const [px, py] = [(x + 0.5) * s, (y + 0.5) * s];
            const cx = (x0 + x1) / 2;
            const cy = (y0 + y1) / 2;
            const rad = (x1 - x0) / 2;
            const inShape = shape.label === 'square' ? px >= x0 && px <= x1 && py >= y0 && py <= y1 : (px - cx) ** 2 + (py - cy) ** 2 <= rad * rad;
            if (!inShape) continue;
            inside++;
            if (seg.mask[y * seg.maskWidth + x] === cls) hit++;
          }
        }
        expect(hit / inside, `${shape.label} at ${shape.box.join(', ')}`).toBeGreaterThan(0.85);
        // the render: the shape's centre is the input blended half and half with the class colour
        const [mx, my] = [(x0 + x1) / 2, (y0 + y1) / 2];
        const orig = input.at(mx, my);
        const expected = orig.map((v, i) => 0.5 * v + 0.5 * CLASS_COLORS[cls][i]);
        expect(near(img.at(mx * k, my * k), expected, 6), `tint at ${mx}, ${my}`).toBe(true);
      }
      // a background point far from every shape keeps the input's colour
      const free = [[128, 230], [240, 240], [10, 128]].find(([x, y]) => truth.shapes.every((sh) => x < sh.box[0] - 6 || x > sh.box[2] + 6 || y < sh.box[1] - 6 || y > sh.box[3] + 6))!;
      expect(near(img.at(free[0] * k, free[1] * k), input.at(free[0], free[1]), 6)).toBe(true);
      expect(seg.coverage).toBeGreaterThan(0.1);
    } finally {
      runtime.dispose();
    }
  });

  it('audio: speech segments where espeak-ng spoke (22.05 kHz file resampled to 16 kHz), shaded on the render', async () => {
    const truth = truthOf<{ speech: Array<[number, number]>; seconds: number }>('vad-test.json');
    const png = path.join(out, 'audio.png');
    const r = runCli<AudioResult>(taskFile('vad.onnx'), taskFile('vad-test.wav'), png);
    expect(r.task).toBe('audio');
    expect(r.result.sampleRate).toBe(16000);
    expect(r.result.sourceSampleRate).toBe(22050);
    expect(r.result.durationSeconds).toBeCloseTo(truth.seconds, 2);
    expect(r.result.segments.length).toBe(truth.speech.length);
    r.result.segments.forEach((seg, i) => {
      expect(Math.abs(seg.startSeconds - truth.speech[i][0]), `segment ${i} start`).toBeLessThan(0.15);
      expect(Math.abs(seg.endSeconds - truth.speech[i][1]), `segment ${i} end`).toBeLessThan(0.15);
    });
    const img = await pixels(png);
    const a = audioPlotArea(img.width, img.height);
    const x = (t: number) => a.left + (t / r.result.durationSeconds) * (a.right - a.left);
    const y = a.top + 4;
    const green = (p: number[]) => p[1] > p[0] + 20 && p[1] > p[2];
    for (const [s, e] of truth.speech) expect(green(img.at(x((s + e) / 2), y)), `shade at ${(s + e) / 2} s`).toBe(true);
    const silences = [0.3, (truth.speech[0][1] + truth.speech[1][0]) / 2, truth.seconds - 0.2];
    for (const t of silences) expect(green(img.at(x(t), y)), `no shade at ${t} s`).toBe(false);
  });

  it('image: the render shows the input and the inverted output side by side', async () => {
    const png = path.join(out, 'image.png');
    const r = runCli<{ width: number; height: number }>(taskFile('image-invert.onnx'), taskFile('shapes-test-64.png'), png);
    expect(r.task).toBe('image');
    const input = await pixels(taskFile('shapes-test-64.png'));
    const img = await pixels(png);
    const k = r.render.scale;
    const w = 64 * k;
    for (const [px, py] of [[5, 5], [32, 32], [50, 20], [20, 50]]) {
      const before = img.at(px * k + k / 2, py * k + k / 2);
      const after = img.at(w + 8 + px * k + k / 2, py * k + k / 2);
      expect(near(before, input.at(px, py), 2)).toBe(true);
      expect(near(after, input.at(px, py).map((v) => 255 - v), 3)).toBe(true);
    }
  });

  it('refuses to render over the input', () => {
    const input = taskFile('shapes-test-64.png');
    expect(() => execFileSync(process.execPath, [CLI, 'run', taskFile('image-invert.onnx'), '--input', input, '--render', input], { encoding: 'utf8', stdio: 'pipe' })).toThrow(/would replace the input/);
  });
});
