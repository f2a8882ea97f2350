/** Opset conversion on real models: every ONNX conformance model below opset 13 converts to the newest opset and still computes its expected outputs. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeModel } from '../../electron/engine/onnx/codec';
import { LATEST_OPSET } from '../../electron/engine/onnx/convert';
import { CONFORMANCE } from './fixtures';
import { checkConversion, defaultOpset, opTypes, type Outcome } from './helpers/convert-check';
import { findModelDirs } from './helpers/ort-conformance';

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
});
