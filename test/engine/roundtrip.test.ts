/** Every ONNX conformance model survives our decode → encode unchanged, and onnxruntime computes the same on it. */
import { createRegistry, equals } from '@bufbuild/protobuf';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeModel, encodeModel } from '../../electron/engine/onnx/codec';
import { file_onnx } from '../../electron/engine/onnx/gen/onnx_pb';
import { ModelIR } from '../../electron/engine/onnx/ir/model-ir';
import { validateGraph } from '../../electron/engine/onnx/ir/validate';
import { ModelProtoSchema, type ModelProto } from '../../electron/engine/onnx/proto';
import { findModelDirs, runCase, type CaseResult } from './helpers/ort-conformance';

const DATA = '/usr/share/libonnx-testdata/data';
const REPORT = path.join(__dirname, '..', 'artifacts', 'roundtrip-report.txt');
const registry = createRegistry(file_onnx);

interface Case {
  dir: string;
  original: Uint8Array;
  model: ModelProto;
  ours: Uint8Array;
}

const cases: Case[] = [];
const report: string[] = [];
const summary = { roundTrip: 'round trip: not run', ort: 'ort: not run', notes: [] as string[] };

describe.runIf(fs.existsSync(DATA))('ONNX conformance models', () => {
  afterAll(() => {
    fs.mkdirSync(path.dirname(REPORT), { recursive: true });
    const head = [`${summary.roundTrip}; ${summary.ort}`, ...summary.notes];
    fs.writeFileSync(REPORT, [...head, '', ...report, ''].join('\n'));
    console.log([...head, `full report: ${path.relative(process.cwd(), REPORT)}`].join('\n'));
  });

  it('decode → encode → decode gives an equal model, and encoding is stable', () => {
    const dirs = findModelDirs(DATA);
    expect(dirs.length).toBeGreaterThan(1000);
    const failures: string[] = [];
    let identicalToFile = 0;
    for (const dir of dirs) {
      const name = path.relative(DATA, dir);
      const original = new Uint8Array(fs.readFileSync(path.join(dir, 'model.onnx')));
      const a = decodeModel(original, name);
      const ours = encodeModel(a);
      const b = decodeModel(ours, name);
      const second = encodeModel(b);
      if (!equals(ModelProtoSchema, a, b, { registry, unknown: true })) failures.push(`${name}: re-decoded model differs`);
      else if (!sameBytes(ours, second)) failures.push(`${name}: encoding twice gives different bytes`);
      if (sameBytes(ours, original)) identicalToFile++;
      cases.push({ dir, original, model: b, ours });
    }
    summary.roundTrip = `round trip: ${dirs.length - failures.length}/${dirs.length} equal`;
    summary.notes.push(`${identicalToFile}/${dirs.length} re-encodings are byte-identical to the file`);
    report.push('# round-trip failures', ...failures.map((f) => `  ${f}`));
    expect(failures).toEqual([]);
  });

  it('the graph IR indexes every model: no structural problems, file order is topological', () => {
    expect(cases.length).toBeGreaterThan(0);
    const problems: string[] = [];
    for (const c of cases) {
      const name = path.relative(DATA, c.dir);
      const ir = new ModelIR(c.model);
      for (const p of validateGraph(ir.graph)) problems.push(`${name}: ${p.message}`);
      for (const g of ir.graph.allGraphs()) {
        if (g.topologicalOrder().some((n, i) => n !== g.nodes[i])) problems.push(`${name}: ${g.name} reordered`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('onnxruntime gives the conformance outputs on our re-encoded bytes', async () => {
    expect(cases.length).toBeGreaterThan(0);
    const results: Array<{ name: string; result: CaseResult }> = [];
    for (const c of cases) {
      results.push({ name: path.relative(DATA, c.dir), result: await runCase(c.dir, c.model, c.ours, c.original) });
    }
    const of = (kind: CaseResult['kind']) => results.filter((r) => r.result.kind === kind);
    const lines = (kind: CaseResult['kind']) =>
      of(kind).map((r) => `  ${r.name}: ${'reason' in r.result ? r.result.reason : ''}`);
    const harness = of('skipped').filter((r) => 'reason' in r.result && r.result.reason.includes('harness:')).length;
    summary.ort =
      `ort: ${of('passed').length} passed, ${of('skipped').length} skipped (unsupported by onnxruntime: ` +
      `${of('skipped').length - harness}, by the harness: ${harness}), ${of('ort-mismatch').length} onnxruntime-own-mismatch` +
      (of('failed').length > 0 ? `, ${of('failed').length} FAILED` : '');
    report.push(
      '# failed (our re-encoding changed the result)',
      ...lines('failed'),
      '# onnxruntime-own-mismatch (the original file gives the same outputs)',
      ...lines('ort-mismatch'),
      '# skipped',
      ...lines('skipped'),
    );
    expect(lines('failed')).toEqual([]);
  });
});

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length));
}
