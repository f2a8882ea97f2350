/**
 * The input spec on an audio-style model nobody shaped for the studio: `[batch_size, <unnamed>]` samples in chunks of
 * 512 and an int64 sample-rate scalar. Without a spec the error names each guessed size and the flag that sets it; with
 * one, run, bench, quantize (dynamic, static on generated data, fp16) and prune all succeed.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../electron/engine/features';
import { ROOT, SAMPLE } from './fixtures';
import { makeAudioModel } from './helpers/audio-model';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-input-spec-'));
const model = path.join(dir, 'vad-chunk.onnx');
const specFile = path.join(dir, 'vad.spec.json');
const CLI = path.join(ROOT, 'out', 'cli', 'cli.cjs');


function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 180_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  makeAudioModel(model);
  fs.writeFileSync(specFile, JSON.stringify({ inputs: { audio: { shape: [1, 512] }, sr: { value: 16000 } } }));
}, 180_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('input spec on an audio model with unnamed dims and an int64 sample rate', () => {
  it('without a spec, the error names each guessed size and the flag that sets it', () => {
    const r = cli(['bench', model, '--runs', '3', '--json']);
    expect(r.status).not.toBe(0);
    const err = JSON.parse(r.stdout || r.stderr).error as { message: string };
    expect(err.message).toContain('audio:1');
    expect(err.message).toContain('--dim audio:1=N');
    expect(err.message).toMatch(/input sr: value 16000, a guess/);
    expect(err.message).toContain('--input-spec');
  });

  it('with --input-spec: run and bench succeed and say what the spec set', () => {
    const run = cli(['run', model, '--input-spec', specFile, '--json']);
    expect(run.status, run.stderr).toBe(0);
    const r = JSON.parse(run.stdout);
    expect(r.inputs.find((i: { name: string }) => i.name === 'audio')).toMatchObject({ shape: [1, 512] });
    expect(r.inputs.find((i: { name: string }) => i.name === 'sr').source).toMatch(/value 16000 \(input spec\)/);
    expect(r.outputs[0].shape).toEqual([1, 2]);
    const bench = cli(['bench', model, '--input-spec', specFile, '--runs', '5', '--json']);
    expect(bench.status, bench.stderr).toBe(0);
    expect(JSON.parse(bench.stdout).runs).toBe(5);
  });

  it('--dim INPUT:AXIS=N alone works: the sample rate is guessed from its name, and the guess is reported', () => {
    const run = cli(['run', model, '--dim', 'audio:1=512', '--json']);
    expect(run.status, run.stderr).toBe(0);
    const r = JSON.parse(run.stdout);
    expect(r.inputGuesses.join('\n')).toMatch(/input sr: value 16000, a guess/);
    expect(r.inputGuesses.join('\n')).not.toContain('audio:1');
  });

  it.each([
    ['dynamic int8', ['quantize', '--mode', 'dynamic']],
    ['static int8 on generated data', ['quantize', '--mode', 'static']],
    ['fp16', ['quantize', '--mode', 'fp16']],
    ['channel pruning', ['prune', '--method', 'channel', '--sparsity', '0.25']],
  ])('%s succeeds with the spec and the result runs', (name, args) => {
    const out = path.join(dir, `${name.replace(/\W+/g, '-')}.onnx`);
    const r = cli([args[0], model, ...args.slice(1), '-o', out, '--input-spec', specFile, '--json']);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(fs.existsSync(out)).toBe(true);
    const check = cli(['run', out, '--input-spec', specFile, '--json']);
    expect(check.status, check.stderr).toBe(0);
    expect(JSON.parse(check.stdout).outputs[0].shape).toEqual([1, 2]);
  });

  it('the engine stores the spec with the model family and resolves it with guesses marked', async () => {
    const engine = createEngine({ dataDir: path.join(dir, 'data'), samplePath: SAMPLE, appVersion: 'test' });
    try {
      const { modelId } = await engine.call('openModel', { path: model });
      const before = await engine.call('getInputSpecState', { modelId });
      const audio = before.resolved.find((r) => r.name === 'audio');
      expect(audio?.axes[1]).toMatchObject({ symbol: 'audio:1', origin: 'guess', value: 16000 });
      expect(before.resolved.find((r) => r.name === 'sr')).toMatchObject({ fill: { kind: 'value', value: 16000 }, fillOrigin: 'guess' });
      await expect(engine.call('benchmark', { modelId, runs: 3 })).rejects.toMatchObject({ message: expect.stringContaining('--dim audio:1=N') });
      const after = await engine.call('setInputSpec', { modelId, spec: { inputs: { audio: { shape: [1, 512] } }, dims: {} } });
      expect(after.resolved.find((r) => r.name === 'audio')?.axes[1]).toMatchObject({ origin: 'spec', value: 512 });
      const bench = await engine.call('benchmark', { modelId, runs: 3 });
      expect(bench.runs).toBe(3);
      // a variant made now carries the spec in its recipe, and the family keeps it for the next session
      const v = await engine.call('runPasses', { modelId, steps: [{ pass: 'quantize-dynamic', options: {} }] });
      expect(v.variant.recipe?.inputSpec?.inputs.audio.shape).toEqual([1, 512]);
      await expect(engine.call('setInputSpec', { modelId, spec: { inputs: { nope: { value: 1 } }, dims: {} } })).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
    } finally {
      engine.dispose();
    }
    const again = createEngine({ dataDir: path.join(dir, 'data'), samplePath: SAMPLE, appVersion: 'test' });
    try {
      const { modelId } = await again.call('openModel', { path: model });
      expect((await again.call('getInputSpecState', { modelId })).spec.inputs.audio?.shape).toEqual([1, 512]);
    } finally {
      again.dispose();
    }
  }, 240_000);
});
