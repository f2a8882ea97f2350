/** Opset conversion on real models: every ONNX conformance model below opset 13 converts to the newest opset and still computes its expected outputs. */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeModel } from '../../electron/engine/onnx/codec';
import { convertModelFile, LATEST_OPSET } from '../../electron/engine/onnx/convert';
import { loadModelFile } from '../../electron/engine/onnx/load';
import { CONFORMANCE, generated, ROOT } from './fixtures';
import { runModel } from './helpers/build-model';
import { checkConversion, defaultOpset, opTypes, type Outcome } from './helpers/convert-check';
import { adaptersOf, expectSameOutputs, randomInput } from './helpers/convert-models';
import { findModelDirs } from './helpers/ort-conformance';
import { runSteps } from './helpers/prune-run';

const FOLDERS = ['node', 'pytorch-converted', 'pytorch-operator', 'simple'];
const REPORT = path.join(__dirname, '..', 'artifacts', 'convert-opset-report.txt');

/** Models the converter refuses on purpose, with the reason it must give. None so far. */
const EXPECTED_REFUSALS: Record<string, RegExp> = {};

const KINDS: ReadonlyArray<Outcome['kind']> = ['ok', 'refused', 'mismatch', 'converted-fails', 'ort-cannot-run', 'not-compared'];

/** The op-by-op table: for each op type, how the models holding it fared. */
function opTable(results: Array<{ ops: Set<string>; outcome: Outcome }>): string[] {
  const byOp = new Map<string, Map<string, number>>();
  for (const r of results) {
    for (const op of r.ops) {
      const counts = byOp.get(op) ?? new Map<string, number>();
      counts.set(r.outcome.kind, (counts.get(r.outcome.kind) ?? 0) + 1);
      byOp.set(op, counts);
    }
  }
  const head = ['op type', 'models', ...KINDS];
  const rows = [...byOp.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([op, counts]) => [op, String([...counts.values()].reduce((a, b) => a + b, 0)), ...KINDS.map((k) => String(counts.get(k) ?? ''))]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  return [head, ...rows].map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  '));
}

describe.runIf(fs.existsSync(CONFORMANCE))('opset conversion of the conformance models below opset 13', () => {
  const results: Array<{ name: string; ops: Set<string>; outcome: Outcome }> = [];

  afterAll(() => {
    const table = opTable(results);
    const notes = results
      .filter((r) => r.outcome.kind !== 'ok' || r.outcome.note)
      .map((r) => `${r.outcome.kind.padEnd(15)} ${r.name}: ${'reason' in r.outcome ? r.outcome.reason : (r.outcome.note ?? '')}`);
    const counts = KINDS.map((k) => `${k} ${results.filter((r) => r.outcome.kind === k).length}`).join(', ');
    const text = [`opset ${LATEST_OPSET}: ${results.length} models: ${counts}`, '', ...table, '', ...notes, ''].join('\n');
    fs.mkdirSync(path.dirname(REPORT), { recursive: true });
    fs.writeFileSync(REPORT, text);
    console.log(text);
  });

  it(`converts them to opset ${LATEST_OPSET}, and onnxruntime gives the expected outputs on every one it can run`, async () => {
    for (const folder of FOLDERS) {
      for (const dir of findModelDirs(path.join(CONFORMANCE, folder))) {
        const bytes = new Uint8Array(fs.readFileSync(path.join(dir, 'model.onnx')));
        const model = decodeModel(bytes, dir);
        const opset = defaultOpset(model);
        if (opset === undefined || opset >= 13) continue;
        results.push({ name: path.relative(CONFORMANCE, dir), ops: opTypes(model), outcome: await checkConversion(dir, model, bytes, LATEST_OPSET) });
      }
    }
    expect(results.length).toBeGreaterThan(350);
    const failed = results.filter((r) => r.outcome.kind === 'mismatch' || r.outcome.kind === 'converted-fails');
    expect(failed.map((r) => `${r.name}: ${'reason' in r.outcome ? r.outcome.reason : ''}`)).toEqual([]);
    const refused = results.filter((r) => r.outcome.kind === 'refused');
    for (const r of refused) expect('reason' in r.outcome ? r.outcome.reason : '', r.name).toMatch(EXPECTED_REFUSALS[r.name] ?? /^$ unexpected refusal/);
    expect(results.filter((r) => r.outcome.kind === 'ok').length).toBeGreaterThan(340);
  });

  it('converts the models of opset 12 and later down to 11 where an adapter exists, or refuses them', async () => {
    const counts = new Map<Outcome['kind'], number>();
    const failed: string[] = [];
    for (const folder of FOLDERS) {
      for (const dir of findModelDirs(path.join(CONFORMANCE, folder))) {
        const bytes = new Uint8Array(fs.readFileSync(path.join(dir, 'model.onnx')));
        const model = decodeModel(bytes, dir);
        if ((defaultOpset(model) ?? 0) < 12) continue;
        const outcome = await checkConversion(dir, model, bytes, 11);
        counts.set(outcome.kind, (counts.get(outcome.kind) ?? 0) + 1);
        if (outcome.kind === 'mismatch' || outcome.kind === 'converted-fails') failed.push(`${path.relative(CONFORMANCE, dir)}: ${outcome.reason}`);
      }
    }
    console.log(`down to opset 11: ${[...counts].map(([k, n]) => `${k} ${n}`).join(', ')}`);
    expect(failed).toEqual([]);
    expect(counts.get('ok')).toBeGreaterThan(400);
  });
});

/** Same values within onnxruntime's float32 reordering (relative 1e-5). */
function expectClose(got: number[], want: number[]): void {
  expect(got.length).toBe(want.length);
  want.forEach((v, i) => expect(Math.abs(got[i] - v), `element ${i}: ${got[i]} vs ${v}`).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(v))));
}

describe('a model exported by torch at opset 9', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-convert-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const CLI = path.join(ROOT, 'out', 'cli', 'cli.cjs');
  const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, DEPLOY_STUDIO_DATA_DIR: tmp } });
  const x = randomInput([3, 3, 16, 16], 7);

  it(`converts to opset ${LATEST_OPSET} and computes the same outputs`, async () => {
    const report = await expectSameOutputs(loadModelFile(generated('opset9-net.onnx')).proto, { x });
    const adapters = adaptersOf(report).map((a) => a.split(':')[0]);
    for (const a of ['Upsample-10', 'Resize-11', 'Pad-11', 'Clip-11', 'Slice-10', 'Split-13', 'TopK-10', 'ReduceMean-18', 'ReduceSum-13', 'Unsqueeze-13', 'Squeeze-13']) {
      expect(adapters, a).toContain(a);
    }
  });

  it('converts through the CLI: a new file, a JSON report, never over the input', async () => {
    const source = generated('opset9-net.onnx');
    const out = path.join(tmp, 'opset21.onnx');
    const r = cli('convert', source, '-o', out, '--opset', String(LATEST_OPSET), '--json');
    expect(r.status, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout) as { output: string; report: { fromOpset: number; toOpset: number; ops: Array<{ opType: string; becomes?: string }> } };
    expect(json.output).toBe(out);
    expect(json.report).toMatchObject({ fromOpset: 9, toOpset: LATEST_OPSET });
    expect(json.report.ops.find((o) => o.opType === 'Upsample')?.becomes).toBe('Resize');
    expect(loadModelFile(out).proto.opsetImport.find((o) => o.domain === '')?.version).toBe(BigInt(LATEST_OPSET));
    const [a, b] = [await runModel(source, { x }), await runModel(out, { x })];
    expectClose(b.logits, a.logits);
    const text = cli('convert', source, '-o', path.join(tmp, 'opset13.onnx'), '--opset', '13');
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/ai\.onnx opset 9 → 13, IR version 4 → 7/);
    expect(text.stdout).toMatch(/Upsample\s+1\s+9 → Resize 13/);
    const same = cli('convert', out, '-o', out);
    expect(same.status).toBe(2);
    expect(same.stderr).toMatch(/would overwrite the input model/);
    const down = cli('convert', out, '-o', path.join(tmp, 'opset9.onnx'), '--opset', '9', '--json');
    expect(down.status).toBe(2);
    expect(JSON.parse(down.stdout).error).toMatchObject({ code: 'UNSUPPORTED_OP' });
    expect(fs.existsSync(path.join(tmp, 'opset9.onnx'))).toBe(false);
  });

  it('keeps external weights in a side file of the new model', async () => {
    const out = path.join(tmp, 'external-11.onnx');
    const r = await convertModelFile(generated('external-data.onnx'), out, 11);
    expect(r.externalData).toBe(`${out}.data`);
    expect(r.report).toMatchObject({ fromOpset: 17, toOpset: 11, direction: 'down' });
    const input = randomInput([2, 32], 3);
    expectClose((await runModel(out, { input })).logits, (await runModel(generated('external-data.onnx'), { input })).logits);
  });

  it('converts as a recipe step (convert-opset), so Optimize makes a converted variant', async () => {
    const run = await runSteps<{ toOpset: number }>(generated('opset9-net.onnx'), [{ pass: 'convert-opset', options: { opset: 13 } }], tmp);
    expect(run.report.toOpset).toBe(13);
    expect(loadModelFile(run.out).proto.opsetImport.find((o) => o.domain === '')?.version).toBe(13n);
    const [a, b] = [await runModel(generated('opset9-net.onnx'), { x }), await runModel(run.out, { x })];
    expectClose(b.top, a.top);
  });
});
