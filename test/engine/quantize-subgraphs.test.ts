/**
 * fp16, dynamic int8 and static int8 of models whose work happens inside If/Loop/Scan bodies: the written model loads
 * in onnxruntime, passes ONNX's checker and agrees with the float model on every branch.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StudioError } from '../../shared/api/errors';
import { generated } from './fixtures';
import { runPass, scratchDir } from './helpers/prune-run';
import { modelBytes, onnxCheck } from './helpers/quantize-check';
import { compareModels, makeSubgraphModels, type FeedSpec } from './helpers/subgraph-check';

const dir = scratchDir();
let made: Record<string, string> = {};
beforeAll(() => {
  made = makeSubgraphModels(path.join(dir, 'models'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

interface Case {
  file: string;
  /** feeds reaching every branch */
  feeds: FeedSpec[];
  /** dynamic int8 options (Conv included where the bodies hold convolutions) */
  dynamic: Record<string, unknown>;
  /** modes with nothing to quantize: the pass must say so */
  nothing: Array<'quantize-dynamic' | 'quantize-static'>;
}

const CASES: Case[] = [
  {
    file: 'if-model.onnx',
    // ReduceSum(X) > 0 picks the then-branch, whose inner If tests ReduceMax(X) > 1
    feeds: [{ X: { dims: [2, 4] } }, { X: { dims: [3, 4] } }, { X: { dims: [1, 4] } }],
    dynamic: {},
    nothing: ['quantize-dynamic', 'quantize-static'],
  },
  { file: 'loop-rnn.onnx', feeds: [{ X: { dims: [2, 32] } }], dynamic: {}, nothing: [] },
  {
    file: 'vad-if.onnx',
    feeds: [
      { x: { dims: [1, 1, 256] }, sr: { int64: [16000], dims: [] } },
      { x: { dims: [2, 1, 128] }, sr: { int64: [8000], dims: [] } },
    ],
    dynamic: { includeOps: ['Conv', 'MatMul', 'Gemm'] },
    nothing: [],
  },
  { file: 'wake-loop.onnx', feeds: [{ x: { dims: [2, 12, 20] } }, { x: { dims: [1, 3, 20] } }], dynamic: {}, nothing: [] },
  { file: 'scan-rnn.onnx', feeds: [{ X: { dims: [2, 10, 16] } }], dynamic: {}, nothing: [] },
];

const MODES = [
  { pass: 'convert-fp16', options: {}, minSnr: 30 },
  { pass: 'quantize-dynamic', options: {}, minSnr: 20 },
  { pass: 'quantize-static', options: { errorItems: 0 }, minSnr: 20 },
] as const;

function source(file: string): string {
  return made[file] ?? generated(file);
}

describe.each(CASES)('$file', (c) => {
  it.each(MODES)('$pass writes a model onnxruntime runs, close to float on every branch', async (mode) => {
    const from = source(c.file);
    const options = mode.pass === 'quantize-dynamic' ? { ...mode.options, ...c.dynamic } : mode.options;
    const run = runPass<{ quantizedNodeCount?: number; convertedNodeCount?: number; weightBytesBefore: number; weightBytesAfter: number }>(from, mode.pass, options, dir);
    if ((c.nothing as readonly string[]).includes(mode.pass)) {
      const err = await run.catch((e: unknown) => e);
      expect(err).toBeInstanceOf(StudioError);
      expect((err as StudioError).message).toMatch(/^Nothing to quantize/);
      return;
    }
    const { out, report } = await run;
    onnxCheck([out]);
    const r = await compareModels(from, out, c.feeds);
    console.log(
      `${c.file} ${mode.pass}: SNR ${r.snrDb.toFixed(1)} dB, max abs diff ${r.maxAbsDiff.toExponential(2)} (outputs up to ${r.maxAbs.toFixed(3)}), ` +
        `${report.quantizedNodeCount ?? report.convertedNodeCount} node(s) converted, ${((100 * modelBytes(out)) / modelBytes(from)).toFixed(1)} % of the file`,
    );
    expect(r.snrDb).toBeGreaterThan(mode.minSnr);
    expect(report.weightBytesAfter).toBeLessThanOrEqual(report.weightBytesBefore);
    // the weights inside the bodies are converted too, each stored once
    if (mode.pass === 'convert-fp16' && c.file !== 'if-model.onnx') expect(report.weightBytesAfter).toBeLessThanOrEqual(0.51 * report.weightBytesBefore);
  });
});
