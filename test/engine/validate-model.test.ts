/**
 * The model validator: one crafted model per rule (code, severity, the node named, and whether onnxruntime agrees),
 * valid models with outer-scope reads and unusual contents that must stay clean, external data sizes, the cap on
 * repeated findings, and the ONNX conformance models, which must produce no error.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { create } from '@bufbuild/protobuf';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeModel } from '../../electron/engine/onnx/codec';
import { loadModelFile } from '../../electron/engine/onnx/load';
import { FunctionProtoSchema } from '../../electron/engine/onnx/gen/onnx_pb';
import { DataLocation, DataType, TensorProtoSchema, type ModelProto, type NodeProto } from '../../electron/engine/onnx/proto';
import { validateModel } from '../../electron/engine/onnx/validate';
import { MAX_PER_CODE } from '../../electron/engine/onnx/validate/problems';
import { CONFORMANCE } from './fixtures';
import { graph, model, node, tensor, value } from './helpers/build-model';
import { INVALID_CASES } from './helpers/invalid-models';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-validate-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function ortLoads(m: ModelProto): Promise<boolean> {
  try {
    const session = await ort.InferenceSession.create(encodeModel(m), { logSeverityLevel: 4 });
    await session.release();
    return true;
  } catch {
    return false;
  }
}

describe('validateModel: one model per rule', () => {
  it.each(INVALID_CASES.map((c) => [c.rule, c] as const))('%s', async (_rule, c) => {
    const problems = validateModel(c.build(), { fileName: 'crafted.onnx' });
    const found = problems.find((p) => p.code === c.code);
    expect(found, JSON.stringify(problems, null, 1)).toBeDefined();
    expect(found?.severity).toBe(c.severity);
    expect(found?.message.length).toBeGreaterThan(20);
    expect(found?.fix.length).toBeGreaterThan(10);
    if (c.node) {
      expect(found?.node).toBe(c.node);
      expect(found?.message).toContain(`"${c.node}"`);
    }
    if (c.graph) expect(found?.graph).toBe(c.graph);
    expect(await ortLoads(c.build())).toBe(c.ort === 'loads');
  });

  it('says what a 10^15-element tensor over 16 bytes is: dims say X elements, the data holds Y', () => {
    const c = INVALID_CASES.find((k) => k.rule.startsWith('dims declaring'));
    const found = validateModel(c!.build()).find((p) => p.code === 'TENSOR_DATA_SIZE');
    expect(found?.message).toMatch(/dims \[1000000, 1000000, 1000\] say 1000000000000000 elements .*the data holds 4 \(16 B\)/);
    expect(found?.tensor).toBe('w');
  });

  it('names the nodes of a cycle in order, and suggests conversion for old opsets', () => {
    const cycle = validateModel(INVALID_CASES.find((k) => k.code === 'CYCLE')!.build()).find((p) => p.code === 'CYCLE');
    expect(cycle?.message).toMatch(/node "p" \(Add\) → node "q" \(Relu\) → node "p" \(Add\)/);
    const old = validateModel(INVALID_CASES.find((k) => k.rule === 'an old opset')!.build(), { fileName: 'old.onnx' }).find((p) => p.code === 'OLD_OPSET');
    expect(old?.fix).toContain('deploy-studio convert old.onnx -o old-opset21.onnx --opset 21');
    expect(old?.fix).toContain('Convert pass');
  });

  it('hints at the operator a misspelled name meant', () => {
    const problems = validateModel(model(graph({ nodes: [node('relu', ['x'], ['y'], {}, 'r')], inputs: [value('x', [2])], outputs: [value('y', [2])] })));
    expect(problems[0]).toMatchObject({ code: 'UNKNOWN_OP', severity: 'error' });
    expect(problems[0].fix).toContain('did you mean Relu');
  });

  it('lists errors first and summarizes a rule repeated past the cap', () => {
    const nodes = Array.from({ length: 100 }, (_, i) => node('Relu', [i === 0 ? 'x' : `t${i - 1}`], [i === 99 ? 'y' : `t${i}`], { foo: { int: 1 } }, `r${i}`));
    const problems = validateModel(model(graph({ nodes, inputs: [value('x', [2]), value('spare', [2])], outputs: [value('y', [2])] })));
    const unknown = problems.filter((p) => p.code === 'UNKNOWN_ATTRIBUTE');
    expect(unknown).toHaveLength(MAX_PER_CODE + 1);
    expect(unknown[MAX_PER_CODE].count).toBe(100 - MAX_PER_CODE);
    expect(problems.map((p) => p.severity)).toEqual([...unknown.map(() => 'error'), 'warning']);
  });

  it('checks external data against the dims', () => {
    const dir = path.join(tmp, 'external');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'w.bin'), Buffer.alloc(16));
    const w = create(TensorProtoSchema, {
      name: 'w',
      dataType: DataType.FLOAT,
      dims: [1000n],
      dataLocation: DataLocation.EXTERNAL,
      externalData: [
        { key: 'location', value: 'w.bin' },
        { key: 'length', value: '16' },
      ],
    });
    const m = model(graph({ nodes: [node('Add', ['x', 'w'], ['y'], {}, 'add')], inputs: [value('x', [1000])], outputs: [value('y', [1000])], initializers: [w] }));
    fs.writeFileSync(path.join(dir, 'm.onnx'), encodeModel(m));
    const loaded = loadModelFile(path.join(dir, 'm.onnx'));
    const found = validateModel(loaded.proto, { external: loaded.external }).find((p) => p.code === 'TENSOR_DATA_SIZE');
    expect(found?.message).toMatch(/dims \[1000\] say 1000 elements \(3\.91 KiB\), the external data "w\.bin" holds 16 B/);
  });
});

describe('validateModel: model-local functions', () => {
  /** A model calling local.Block(x), whose body is `nodes` over input `a` and output `b`. */
  function withFunction(nodes: NodeProto[]): ModelProto {
    const call = node('Block', ['x'], ['y'], {}, 'call');
    call.domain = 'local';
    const m = model(graph({ nodes: [call], inputs: [value('x', [2])], outputs: [value('y', [2])] }));
    m.opsetImport.push({ ...m.opsetImport[0], domain: 'local', version: 1n });
    m.functions.push(create(FunctionProtoSchema, { name: 'Block', domain: 'local', input: ['a'], output: ['b'], node: nodes, opsetImport: [{ domain: '', version: 17n }] }));
    return m;
  }

  it('accepts a well-formed body and the call', async () => {
    const m = withFunction([node('Relu', ['a'], ['t'], {}, 'inner'), node('Neg', ['t'], ['b'], {}, 'inner2')]);
    expect(validateModel(m)).toEqual([]);
    expect(await ortLoads(m)).toBe(true);
  });

  it('checks the body: operators, reads and outputs', async () => {
    const m = withFunction([node('Bogus', ['a'], ['t'], {}, 'inner'), node('Add', ['t', 'ghost'], ['c'], {}, 'inner2')]);
    const problems = validateModel(m);
    expect(problems.map((p) => [p.code, p.node, p.graph])).toEqual([
      ['UNKNOWN_OP', 'inner', 'function local.Block'],
      ['UNDEFINED_INPUT', 'inner2', 'function local.Block'],
      ['UNDEFINED_GRAPH_OUTPUT', undefined, 'function local.Block'],
    ]);
    expect(problems[1].message).toBe('Node "inner2" (Add) in function local.Block reads "ghost", which is neither an input of the function nor an output of an earlier node of it.');
    expect(await ortLoads(m)).toBe(false);
  });
});

describe('validateModel: valid models stay clean', () => {
  it('accepts outer-scope reads in If branches and Loop bodies, shadowing body inputs and empty optional inputs', () => {
    const body = graph({
      name: 'body',
      nodes: [node('Identity', ['cond_in'], ['cond_out']), node('Add', ['x', 'w'], ['xo'], {}, 'body_add')],
      inputs: [value('i', [], DataType.INT64), value('cond_in', [], DataType.BOOL), value('x', [2])],
      outputs: [value('cond_out', [], DataType.BOOL), value('xo', [2])],
    });
    const m = model(
      graph({
        nodes: [node('Clip', ['x', '', ''], ['c'], {}, 'clip'), node('Loop', ['n', 'cond', 'c'], ['y'], { body }, 'loop')],
        inputs: [value('x', [2])],
        outputs: [value('y', [2])],
        initializers: [tensor('w', [2], [1, 2]), tensor('n', [], [2], DataType.INT64), create(TensorProtoSchema, { name: 'cond', dataType: DataType.BOOL, dims: [], int32Data: [1] })],
      }),
    );
    expect(validateModel(m)).toEqual([]);
  });

  it('opens empty tensors, many strings and 200 000 nodes without a finding', () => {
    const empty = create(TensorProtoSchema, { name: 'e', dataType: DataType.FLOAT, dims: [0n, 3n] });
    const strings = create(TensorProtoSchema, { name: 's', dataType: DataType.STRING, dims: [10000n], stringData: Array.from({ length: 10000 }, (_, i) => new TextEncoder().encode(`w${i}`)) });
    const n = 200_000;
    const nodes = Array.from({ length: n }, (_, i) => node(i % 2 ? 'Relu' : 'Neg', [i === 0 ? 'x' : `t${i - 1}`], [i === n - 1 ? 'y' : `t${i}`], {}, `n${i}`));
    const m = model(graph({ nodes, inputs: [value('x', [2])], outputs: [value('y', [2])], initializers: [empty, strings] }));
    const t0 = performance.now();
    expect(validateModel(m)).toEqual([]);
    expect(performance.now() - t0).toBeLessThan(5_000);
  });
});

describe('validateModel on ONNX conformance models', () => {
  it('finds no error in node, pytorch-converted, pytorch-operator and simple', () => {
    const errors: string[] = [];
    let models = 0;
    const warnings = new Map<string, number>();
    for (const suite of ['node', 'pytorch-converted', 'pytorch-operator', 'simple']) {
      const dir = path.join(CONFORMANCE, suite);
      for (const t of fs.readdirSync(dir).sort()) {
        const file = path.join(dir, t, 'model.onnx');
        if (!fs.existsSync(file)) continue;
        models++;
        const loaded = loadModelFile(file);
        for (const p of validateModel(loaded.proto, { external: loaded.external })) {
          if (p.severity === 'error') errors.push(`${suite}/${t}: ${p.code} ${p.message}`);
          else warnings.set(`${p.severity} ${p.code}`, (warnings.get(`${p.severity} ${p.code}`) ?? 0) + 1);
        }
      }
    }
    console.log(`conformance sweep: ${models} models, ${errors.length} errors; others: ${[...warnings].map(([k, n]) => `${k} ×${n}`).join(', ')}`);
    for (const e of errors) console.log(e);
    expect(models).toBeGreaterThan(1000);
    expect(errors).toEqual([]);
  });
});

describe('validateModel on crafted extremes', () => {
  it('names a cycle through 100 000 nodes quickly, from its first node', () => {
    const n = 100_000;
    const nodes = Array.from({ length: n }, (_, i) => node('Relu', [i === 0 ? `t${n - 1}` : `t${i - 1}`], [`t${i}`], {}, `n${i}`));
    nodes.push(node('Identity', ['t0'], ['y'], {}, 'out'));
    const t0 = performance.now();
    const problems = validateModel(model(graph({ nodes, inputs: [], outputs: [value('y', [2])] })));
    expect(performance.now() - t0).toBeLessThan(5_000);
    const cycle = problems.find((p) => p.code === 'CYCLE');
    expect(cycle?.node).toBe('n0');
    expect(cycle?.message).toMatch(/node "n0" \(Relu\) → node "n1" \(Relu\) → .* … \(100000 nodes in all\)/);
  });

  it('resolves a Loop body reading 50 000 outer values in linear time', () => {
    const n = 50_000;
    const inits = Array.from({ length: n }, (_, i) => tensor(`w${i}`, [1], [i]));
    const bodyNodes = [node('Identity', ['cond_in'], ['cond_out']), node('Sum', ['x', ...inits.map((t) => t.name)], ['xo'], {}, 'sum')];
    const body = graph({
      name: 'body',
      nodes: bodyNodes,
      inputs: [value('i', [], DataType.INT64), value('cond_in', [], DataType.BOOL)],
      outputs: [value('cond_out', [], DataType.BOOL), value('xo', [1])],
    });
    const m = model(
      graph({
        nodes: [node('Loop', ['n', 'cond'], ['y'], { body }, 'loop')],
        inputs: [value('x', [1])],
        outputs: [value('y', [1])],
        initializers: [...inits, tensor('n', [], [2], DataType.INT64), create(TensorProtoSchema, { name: 'cond', dataType: DataType.BOOL, dims: [], int32Data: [1] })],
      }),
    );
    const t0 = performance.now();
    expect(validateModel(m).filter((p) => p.severity === 'error')).toEqual([]);
    expect(performance.now() - t0).toBeLessThan(5_000);
  });
});
