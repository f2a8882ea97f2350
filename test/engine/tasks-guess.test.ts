/** Task guessing on every model of the bench set, the real-model corpus and the demo's task models: right, or it asks. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadModelFile } from '../../electron/engine/onnx/load';
import { guessTask } from '../../electron/engine/runtime/tasks/guess-task';
import { modelInputs, modelOutputs } from '../../electron/engine/runtime/inputs/input-spec';
import { guessModelTask } from '../../electron/engine/runtime/tasks/run-task';
import type { TaskKind } from '../../shared/tasks/task-types';
import { GENERATED, ROOT, SAMPLE } from './fixtures';
import { taskFile } from './helpers/task-models';

const CORPUS = path.join(ROOT, 'test', 'fixtures', 'corpus');

/** What each model is, as a person who knows it would say; `ask` marks models whose task the shapes cannot tell. */
const EXPECTED: Record<string, TaskKind | { ask: TaskKind }> = {
  // the corpus (scripts/make-corpus.py)
  'isnet-quint8': 'segment',
  'ppocr-v4-det': 'segment',
  'ppocr-v4-rec': 'sequence',
  'ppocr-mobile-cls': 'classify',
  'silero-vad-v4': 'audio',
  'silero-vad-v5': 'audio',
  'oww-melspectrogram': 'audio',
  'oww-embedding': { ask: 'tensor' },
  'oww-hey-jarvis': 'tensor',
  'oww-timer': 'tensor',
  'oww-hello-deepa': 'tensor',
  'cnn-opset9': 'classify',
  'cnn-opset11': 'classify',
  'cnn-opset13': 'classify',
  'cnn-opset17': 'classify',
  'cnn-unnamed-dims': 'classify',
  'cnn-constant-weights': 'classify',
  'audio-sr': 'audio',
  'control-flow': 'tensor',
  'shared-weights': 'tensor',
  'nhwc-input': 'classify',
  // the bench set (scripts/make-fixtures.py) and the sample
  resnet18: 'classify',
  mobilenet_v2: 'classify',
  densenet121: 'classify',
  transformer: 'tensor',
  'if-model': 'tensor',
  'loop-rnn': 'tensor',
  'constant-weights': 'classify',
  'external-data': 'tensor',
  'opset9-net': 'classify',
  'fashion-cnn': 'classify',
  // the graph view's stress graphs (scripts/make-graph-fixtures.py): chains and blocks of small ops on an [N, 8] tensor
  'chain-2000': 'tensor',
  'chain-50000': 'tensor',
  'blocks-2000': 'tensor',
  'blocks-50000': 'tensor',
};

function modelsToCheck(): Array<[string, string]> {
  const out: Array<[string, string]> = [[path.basename(SAMPLE, '.onnx'), SAMPLE]];
  for (const dir of [CORPUS, GENERATED]) {
    if (!fs.existsSync(dir)) continue;
    for (const f of fs.readdirSync(dir).sort()) if (f.endsWith('.onnx') && !f.startsWith('big-')) out.push([f.replace(/\.onnx$/, ''), path.join(dir, f)]);
  }
  return out;
}

describe('task guessing', () => {
  it.each(modelsToCheck())('%s: right, or asks the user', (name, file) => {
    const guess = guessModelTask(loadModelFile(file));
    const expected = EXPECTED[name];
    expect(expected, `${name} has no expected task in this test; add one`).toBeDefined();
    if (typeof expected === 'string') {
      expect(guess.kind, guess.reasons.join('; ')).toBe(expected);
      expect(guess.confidence).not.toBe('ask');
    } else {
      expect(guess.confidence, guess.reasons.join('; ')).toBe('ask');
      expect([guess.kind, ...guess.alternatives]).toContain(expected.ask);
    }
    expect(guess.reasons.length).toBeGreaterThan(0);
  });

  it.each([
    ['shapes-detector.onnx', 'detect'],
    ['shapes-segmenter.onnx', 'segment'],
    ['image-invert.onnx', 'image'],
    ['vad.onnx', 'audio'],
  ] as const)('%s is %s from its shapes alone (metadata removed)', (file, kind) => {
    const loaded = loadModelFile(taskFile(file));
    const guess = guessTask({ inputs: modelInputs(loaded), outputs: modelOutputs(loaded), metadata: {} });
    expect(guess.kind, guess.reasons.join('; ')).toBe(kind);
    expect(guess.confidence).not.toBe('ask');
  });

  it('reads boxes/scores/labels outputs as detection and [1, 84, 8400] as transposed YOLO rows', () => {
    const img = { name: 'images', dtype: 'float32', shape: [1, 3, 640, 640], isTensor: true };
    const sep = guessTask({
      inputs: [img],
      outputs: [
        { name: 'boxes', dtype: 'float32', shape: [1, 100, 4], isTensor: true },
        { name: 'scores', dtype: 'float32', shape: [1, 100], isTensor: true },
        { name: 'labels', dtype: 'int64', shape: [1, 100], isTensor: true },
      ],
      metadata: {},
    });
    expect(sep.kind).toBe('detect');
    const v8 = guessTask({ inputs: [img], outputs: [{ name: 'output0', dtype: 'float32', shape: [1, 84, 8400], isTensor: true }], metadata: {} });
    expect(v8.kind).toBe('detect');
    expect(v8.reasons.join(' ')).toMatch(/transposed/);
    const ultralytics = guessTask({ inputs: [img], outputs: [{ name: 'output0', dtype: 'float32', shape: [1, 116, 8400], isTensor: true }], metadata: { task: 'segment' } });
    expect(ultralytics.kind).toBe('segment');
  });
});

describe('the task saved with the family', () => {
  it('getTask guesses, setTask saves for every variant and survives a restart, runTask uses it; null goes back to the guess', async () => {
    const { createEngine } = await import('../../electron/engine/features');
    const os = await import('node:os');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-task-state-'));
    const model = taskFile('shapes-segmenter.onnx');
    const engine = createEngine({ dataDir: path.join(dir, 'data'), samplePath: SAMPLE, appVersion: 'test' });
    try {
      const { modelId } = await engine.call('openModel', { path: model });
      const first = await engine.call('getTask', { modelId });
      expect(first).toMatchObject({ kind: 'segment', setting: null });
      const saved = await engine.call('setTask', { modelId, setting: { kind: 'tensor', options: {} } });
      expect(saved).toMatchObject({ kind: 'tensor', setting: { kind: 'tensor' }, guess: { kind: 'segment' } });
      const v = await engine.call('runPasses', { modelId, steps: [{ pass: 'graph-optimize', options: {} }] });
      const run = await engine.call('runTask', { modelId: v.variant.modelId, inputPath: taskFile('shapes-test-64.png') });
      expect(run).toMatchObject({ kind: 'tensor', chosenBy: 'saved' });
      const asked = await engine.call('runTask', { modelId, inputPath: taskFile('shapes-test-64.png'), kind: 'segment' });
      expect(asked).toMatchObject({ kind: 'segment', chosenBy: 'user' });
    } finally {
      engine.dispose();
    }
    const again = createEngine({ dataDir: path.join(dir, 'data'), samplePath: SAMPLE, appVersion: 'test' });
    try {
      const { modelId } = await again.call('openModel', { path: model });
      expect(await again.call('getTask', { modelId })).toMatchObject({ kind: 'tensor', setting: { kind: 'tensor' } });
      expect(await again.call('setTask', { modelId, setting: null })).toMatchObject({ kind: 'segment', setting: null });
    } finally {
      again.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
