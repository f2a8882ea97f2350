/** The opset converter's down-conversion (inverse moves of constant inputs), its refusals and its report. */
import { create } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { StudioError } from '../../shared/api/errors';
import { encodeModel } from '../../electron/engine/onnx/codec';
import { convertOpset, LATEST_OPSET } from '../../electron/engine/onnx/convert';
import { DataType, ValueInfoProtoSchema, type ModelProto, type ValueInfoProto } from '../../electron/engine/onnx/proto';
import { graph, model, node, tensor, value } from './helpers/build-model';
import { adaptersOf, expectSameOutputs, randomInput, withStrings } from './helpers/convert-models';

function out(name: string, elemType: DataType = DataType.FLOAT): ValueInfoProto {
  return create(ValueInfoProtoSchema, { name, type: { value: { case: 'tensorType', value: { elemType } } } });
}

const i64 = (name: string, values: number[], dims = [values.length]) => tensor(name, dims, values, DataType.INT64);

/** An opset-13 model using every operator whose attributes became inputs, all with constant inputs. */
function modernModel(): ModelProto {
  return model(
    graph({
      nodes: [
        node('Slice', ['x', 'starts', 'ends', 'axes1', 'steps'], ['s'], {}, 'slice'),
        node('TopK', ['s', 'k'], ['tv', 'ti'], { axis: { int: -1 } }),
        withStrings(node('Pad', ['s', 'pads', 'pad_value'], ['p']), { mode: 'constant' }),
        node('Clip', ['p', 'lo', 'hi'], ['c']),
        node('Unsqueeze', ['c', 'axes03'], ['u']),
        node('Squeeze', ['u', 'axes0'], ['q']),
        node('Split', ['q', 'split'], ['q1', 'q2'], { axis: { int: 1 } }),
        node('ReduceSum', ['q1', 'axes1'], ['rs'], { keepdims: { int: 0 } }),
        node('Softmax', ['q2'], ['sm']),
        node('Dropout', ['sm', 'ratio'], ['d']),
      ],
      inputs: [value('x', [3, 5])],
      outputs: [out('tv'), out('ti', DataType.INT64), out('rs'), out('d')],
      initializers: [
        i64('starts', [1]),
        i64('ends', [2 ** 53]),
        i64('axes1', [1]),
        i64('steps', [1]),
        i64('k', [2]),
        i64('pads', [0, 1, 0, 2]),
        tensor('pad_value', [], [1.5]),
        tensor('lo', [], [-0.5]),
        tensor('hi', [], [0.75]),
        i64('axes03', [0, 3]),
        i64('axes0', [0]),
        i64('split', [2, 5]),
        tensor('ratio', [], [0.25]),
      ],
    }),
    { opset: 13, irVersion: 7 },
  );
}

describe('down-conversion', () => {
  it('moves constant inputs back to attributes and computes the same', async () => {
    for (const target of [12, 11, 10, 9]) {
      const report = await expectSameOutputs(modernModel(), { x: randomInput([3, 5]) }, { target });
      expect(report.direction).toBe('down');
    }
    const { proto, report } = convertOpset(modernModel(), 9);
    expect(adaptersOf(report)).toEqual(
      expect.arrayContaining(['Slice-10 → 1: starts/ends/axes inputs → attributes', 'TopK-10 → 1: K input → k attribute', 'Squeeze-13 → 11: axes input → attribute']),
    );
    expect(proto.graph!.initializer.map((t) => t.name)).toEqual([]);
    expect(proto.opsetImport.find((o) => o.domain === '')?.version).toBe(9n);
  });

  it('takes ReduceMean 18 back to an axes attribute', async () => {
    const g = graph({
      nodes: [node('ReduceMean', ['x', 'axes'], ['y'], { keepdims: { int: 0 } })],
      inputs: [value('x', [2, 3, 4])],
      outputs: [out('y')],
      initializers: [i64('axes', [0, 2])],
    });
    await expectSameOutputs(model(g, { opset: 18, irVersion: 8 }), { x: randomInput([2, 3, 4]) }, { target: 13 });
  });
});

describe('more steps', () => {
  it('Split 18 with num_outputs goes back to explicit sizes when the axis does not divide evenly', async () => {
    const g = graph({
      nodes: [node('Split', ['x'], ['a', 'b', 'c'], { axis: { int: 1 }, num_outputs: { int: 3 } })],
      inputs: [value('x', [2, 7])],
      outputs: [out('a'), out('b'), out('c')],
    });
    const report = await expectSameOutputs(model(g, { opset: 18, irVersion: 8 }), { x: randomInput([2, 7]) }, { target: 11 });
    expect(adaptersOf(report)).toContain('Split-18 → 13: num_outputs → split sizes');
  });

  it('drops the unused training outputs of BatchNormalization 9 and converts a deprecated Upsample at opset 10', async () => {
    const bn = graph({
      nodes: [node('BatchNormalization', ['x', 's', 'b', 'm', 'v'], ['y', 'rm', 'rv', 'sm', 'sv'])],
      inputs: [value('x', [1, 2, 3])],
      outputs: [out('y')],
      initializers: ['s', 'b', 'm', 'v'].map((n, i) => tensor(n, [2], [1 + i, 0.5 + i])),
    });
    const x = randomInput([1, 2, 3]);
    const p = (i: number, c: number) => [1 + i, 0.5 + i][c];
    const want = x.data.map((v, k) => {
      const c = Math.floor(k / 3);
      return ((v - p(2, c)) / Math.sqrt(p(3, c) + 1e-5)) * p(0, c) + p(1, c);
    });
    const report = await expectSameOutputs(model(bn, { opset: 9, irVersion: 4 }), { x }, { expected: { y: want } });
    expect(adaptersOf(report)).toContain('BatchNormalization-14: unused training outputs dropped');
    const up = graph({
      nodes: [withStrings(node('Upsample', ['x', 'scales'], ['y']), { mode: 'nearest' })],
      inputs: [value('x', [1, 1, 2, 2])],
      outputs: [out('y')],
      initializers: [tensor('scales', [4], [1, 1, 2, 2])],
    });
    const u = randomInput([1, 1, 2, 2]);
    const nearest = [0, 0, 1, 1, 0, 0, 1, 1, 2, 2, 3, 3, 2, 2, 3, 3].map((i) => u.data[i]);
    await expectSameOutputs(model(up, { opset: 10, irVersion: 5 }), { x: u }, { expected: { y: nearest } });
  });
});

describe('refusals', () => {
  const refusal = (m: ModelProto, target: number): StudioError => {
    try {
      convertOpset(m, target);
    } catch (err) {
      if (err instanceof StudioError) return err;
      throw err;
    }
    throw new Error('the conversion did not refuse');
  };

  it('names the node and the op when an input that must become an attribute is computed', () => {
    const m = modernModel();
    m.graph!.input.push(value('runtime_starts', [1], DataType.INT64));
    m.graph!.node[0].input[1] = 'runtime_starts';
    const before = encodeModel(m);
    const err = refusal(m, 9);
    expect(err.code).toBe('CONVERSION_FAILED');
    expect(err.message).toMatch(/node "slice" \(Slice\): its starts input "runtime_starts" is computed at run time/);
    expect(encodeModel(m)).toEqual(before);
  });

  it('refuses operators without an adapter, listing every node', () => {
    const g = graph({
      nodes: [node('MyOp', ['x'], ['a'], {}, 'custom_1'), node('Celu', ['a'], ['y'], {}, 'celu_1')],
      inputs: [value('x', [2])],
      outputs: [out('y')],
    });
    const up = refusal(model(g, { opset: 12, irVersion: 7 }), LATEST_OPSET);
    expect(up.code).toBe('UNSUPPORTED_OP');
    expect(up.message).toMatch(/node "custom_1" \(MyOp\): "MyOp" is not an ai.onnx operator/);
    g.node[0].opType = 'Relu';
    const down = refusal(model(g, { opset: 12, irVersion: 7 }), 11);
    expect(down.message).toMatch(/node "celu_1" \(Celu\): Celu does not exist before opset 12/);
  });

  it('refuses what would change the meaning: training-mode BatchNormalization, a Softmax axis the old version flattens', () => {
    const bn = graph({
      nodes: [node('BatchNormalization', ['x', 's', 'b', 'm', 'v'], ['y'], { is_test: { int: 0 } }, 'bn')],
      inputs: [value('x', [1, 2, 3])],
      outputs: [out('y')],
      initializers: ['s', 'b', 'm', 'v'].map((n) => tensor(n, [2], [1, 1])),
    });
    expect(refusal(model(bn, { opset: 6, irVersion: 3 }), LATEST_OPSET).message).toMatch(/node "bn" \(BatchNormalization\): it is in training mode \(is_test=0\)/);
    const sm = graph({ nodes: [node('Softmax', ['x'], ['y'], { axis: { int: 1 } }, 'sm')], inputs: [value('x', [2, 3, 4])], outputs: [out('y')] });
    expect(refusal(model(sm, { opset: 13, irVersion: 7 }), 12).message).toMatch(/node "sm" \(Softmax\): it normalizes along axis 1, not the last one/);
  });

  it('refuses targets out of range', () => {
    const m = modernModel();
    expect(refusal(m, LATEST_OPSET + 1).code).toBe('INVALID_REQUEST');
    expect(refusal(m, 6).code).toBe('INVALID_REQUEST');
  });
});

describe('report and model header', () => {
  it('updates the opset import and raises the IR version the new opset needs', () => {
    const g = graph({ nodes: [node('Relu', ['x'], ['y'])], inputs: [value('x', [2])], outputs: [out('y')] });
    const original = model(g, { opset: 7, irVersion: 3 });
    const before = encodeModel(original);
    const { proto, report } = convertOpset(original, 21);
    expect(encodeModel(original)).toEqual(before);
    expect(proto.irVersion).toBe(10n);
    expect(proto.opsetImport.find((o) => o.domain === '')?.version).toBe(21n);
    expect(report).toMatchObject({ fromOpset: 7, toOpset: 21, direction: 'up', irVersionBefore: 3, irVersionAfter: 10, nodes: 1, graphs: 1 });
    expect(report.ops).toEqual([{ opType: 'Relu', nodes: 1, fromVersion: 6, toVersion: 14, adapters: {} }]);
    expect(convertOpset(original, 7).report.direction).toBe('none');
  });
});
