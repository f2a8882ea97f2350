/** Task decoders on hand-made outputs (YOLO rows both ways, boxes/scores/labels, CTC, WAV) and on real third-party
 * models from the corpus: silero VAD streamed chunk by chunk with its state, PaddleOCR's detector and recogniser. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { HostTensor } from '../../electron/engine/runtime/backend';
import { loadModelFile } from '../../electron/engine/onnx/load';
import { RuntimeService } from '../../electron/engine/runtime/runtime-service';
import { decodeWav, resample } from '../../electron/engine/runtime/tasks/audio-file';
import { decodeCtc } from '../../electron/engine/runtime/tasks/dense';
import { decodeDetections } from '../../electron/engine/runtime/tasks/detect';
import { runTask } from '../../electron/engine/runtime/tasks/run-task';
import type { AudioResult, SegmentResult, SequenceResult } from '../../shared/tasks/task-types';
import { ROOT } from './fixtures';
import { taskFile, truthOf } from './helpers/task-models';

const CORPUS = path.join(ROOT, 'test', 'fixtures', 'corpus');
const f32 = (dims: number[], values: number[]): HostTensor => ({ dtype: 'float32', dims, data: Float32Array.from(values) });
const scale = { modelWidth: 100, modelHeight: 100, sourceWidth: 200, sourceHeight: 100 };

describe('detection decoding', () => {
  // two overlapping boxes of class 1 (the weaker is suppressed) and one of class 0; 4 + 2 classes per row
  const rows = [
    [50, 50, 20, 20, 0.1, 0.9],
    [52, 50, 20, 20, 0.1, 0.8],
    [20, 20, 10, 10, 0.7, 0.2],
    ...Array.from({ length: 5 }, () => [80, 80, 10, 10, 0.01, 0.02]),
  ];
  it('reads YOLOv8 rows transposed [1, 4 + C, N], scales to the source image, keeps the best of overlapping boxes', () => {
    const t = f32([1, 6, 8], [0, 1, 2, 3, 4, 5].flatMap((k) => rows.map((r) => r[k])));
    const d = decodeDetections({ output0: t }, scale, ['cat', 'dog'], { score: 0.25, iou: 0.45 });
    expect(d.format).toBe('yolo-transposed');
    expect(d.boxes.map((b) => [b.label, b.score])).toEqual([['dog', expect.closeTo(0.9, 5)], ['cat', expect.closeTo(0.7, 5)]]);
    expect(d.boxes[0]).toMatchObject({ x0: 80, x1: 120, y0: 40, y1: 60 });
    expect(d.candidates.length).toBe(3);
  });

  it('reads YOLOv5 rows [1, N, 5 + C] with objectness, and boxes/scores/labels outputs', () => {
    const empty = Array.from({ length: 8 }, () => [0, 0, 1, 1, 0, 0.5, 0.5]).flat();
    const v5 = f32([1, 10, 7], [50, 50, 20, 20, 0.5, 0.1, 0.9, 20, 20, 10, 10, 0.9, 0.9, 0.1, ...empty]);
    const d = decodeDetections({ output0: v5 }, scale, null);
    expect(d.format).toBe('yolo');
    expect(d.boxes.map((b) => [b.classIndex, Number(b.score.toFixed(3))])).toEqual([[0, 0.81], [1, 0.45]]);
    const sep = decodeDetections(
      { boxes: f32([1, 2, 4], [0.1, 0.1, 0.3, 0.3, 0.5, 0.5, 0.9, 0.9]), scores: f32([1, 2], [0.9, 0.1]), labels: { dtype: 'int64', dims: [1, 2], data: BigInt64Array.from([3n, 1n]) } },
      scale,
      null,
    );
    expect(sep.format).toBe('boxes-scores-labels');
    expect(sep.boxes).toHaveLength(1);
    expect(sep.boxes[0]).toMatchObject({ classIndex: 3, x0: expect.closeTo(20, 5), x1: expect.closeTo(60, 5) });
  });
});

describe('sequence and audio decoding', () => {
  it('CTC greedy: merges repeats, drops blanks, maps classes to characters (PaddleOCR lists leave the blank out)', () => {
    const steps = [1, 1, 0, 1, 2, 2, 0, 0, 3];
    const t = f32([1, steps.length, 4], steps.flatMap((k) => [0, 1, 2, 3].map((c) => (c === k ? 0.9 : 0.1 / 3))));
    const withList = decodeCtc('out', t, ['a', 'b', 'c']);
    expect(withList.text).toBe('aabc');
    const without = decodeCtc('out', t, null);
    expect(without.text).toBe('⟨1⟩⟨1⟩⟨2⟩⟨3⟩');
    expect(withList.meanProbability).toBeCloseTo(0.9, 5);
  });

  it('WAV: 16-bit PCM stereo to mono, resampled to the model rate', () => {
    const n = 441;
    const buf = Buffer.alloc(44 + n * 4);
    buf.write('RIFF', 0); buf.writeUInt32LE(36 + n * 4, 4); buf.write('WAVE', 8); buf.write('fmt ', 12);
    buf.writeUInt32LE(16, 16); buf.writeUInt16LE(1, 20); buf.writeUInt16LE(2, 22); buf.writeUInt32LE(44100, 24);
    buf.writeUInt32LE(44100 * 4, 28); buf.writeUInt16LE(4, 32); buf.writeUInt16LE(16, 34); buf.write('data', 36); buf.writeUInt32LE(n * 4, 40);
    for (let i = 0; i < n; i++) { buf.writeInt16LE(16384, 44 + i * 4); buf.writeInt16LE(0, 46 + i * 4); }
    const a = decodeWav(buf, 'x.wav');
    expect(a.sampleRate).toBe(44100);
    expect(a.samples[10]).toBeCloseTo(0.25, 4);
    expect(resample(a.samples, 44100, 16000).length).toBe(160);
    expect(() => decodeWav(Buffer.from('fLaC0000000000'), 'x.flac')).toThrow(/FLAC/);
  });
});

const corpus = (name: string) => path.join(CORPUS, `${name}.onnx`);
const hasCorpus = (...names: string[]) => names.every((n) => fs.existsSync(corpus(n)));

describe('real third-party models from the corpus', () => {
  const runtime = new RuntimeService();
  afterAll(() => runtime.dispose());

  it.runIf(hasCorpus('silero-vad-v4', 'silero-vad-v5'))('silero VAD v4 and v5 stream 512-sample chunks with their state and find the espeak-ng speech', async () => {
    const truth = truthOf<{ speech: Array<[number, number]> }>('vad-test.json');
    for (const name of ['silero-vad-v4', 'silero-vad-v5']) {
      const run = await runTask(runtime, loadModelFile(corpus(name)), { inputPath: taskFile('vad-test.wav') });
      const r = run.result as AudioResult;
      expect(run.kind).toBe('audio');
      expect(r.mode).toBe('streaming');
      expect(r.chunkSamples).toBe(512);
      expect(r.segments.length, `${name}: ${JSON.stringify(r.segments)}`).toBe(truth.speech.length);
      r.segments.forEach((s, i) => {
        expect(Math.abs(s.startSeconds - truth.speech[i][0])).toBeLessThan(0.2);
        expect(Math.abs(s.endSeconds - truth.speech[i][1])).toBeLessThan(0.2);
      });
    }
  });

  it.runIf(hasCorpus('ppocr-v4-det', 'ppocr-v4-rec'))('PaddleOCR: the detector gives a dense map at the image size, the recogniser a decoded sequence', async () => {
    const det = await runTask(runtime, loadModelFile(corpus('ppocr-v4-det')), { inputPath: taskFile('shapes-test-256.png') });
    expect(det.kind).toBe('segment');
    const seg = det.result as SegmentResult;
    expect(seg.mode).toBe('probability');
    expect([seg.maskWidth, seg.maskHeight]).toEqual([256, 256]);
    const rec = await runTask(runtime, loadModelFile(corpus('ppocr-v4-rec')), { inputPath: taskFile('shapes-test-256.png') });
    expect(rec.kind).toBe('sequence');
    const seq = rec.result as SequenceResult;
    expect(seq.hasCharacters).toBe(false);
    expect(seq.outputName).toBe('softmax_11.tmp_0');
    expect(rec.result.notes[0]).toMatch(/48 px/);
  });
});
