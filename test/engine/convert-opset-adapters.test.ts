/** The opset converter's adapters on small old-opset models: onnxruntime computes the same before and after conversion. */
import { create } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { convertOpset, LATEST_OPSET } from '../../electron/engine/onnx/convert';
import { FunctionProtoSchema } from '../../electron/engine/onnx/gen/onnx_pb';
import { DataType, OperatorSetIdProtoSchema, ValueInfoProtoSchema, type ValueInfoProto } from '../../electron/engine/onnx/proto';
import { graph, model, node, tensor, value } from './helpers/build-model';
import { adaptersOf, expectSameOutputs, randomInput, withFloats, withStrings } from './helpers/convert-models';

/** A graph output (or input) of known element type and unknown shape. */
function out(name: string, elemType: DataType = DataType.FLOAT): ValueInfoProto {
  return create(ValueInfoProtoSchema, { name, type: { value: { case: 'tensorType', value: { elemType } } } });
}

const i64 = (name: string, values: number[], dims = [values.length]) => tensor(name, dims, values, DataType.INT64);

describe('opsets 1–9', () => {
  it('legacy broadcasting with an axis becomes Unsqueeze + numpy broadcasting', async () => {
    const g = graph({
      nodes: [node('Add', ['a', 'b'], ['y'], { broadcast: { int: 1 }, axis: { int: 1 } })],
      inputs: [value('a', [2, 3, 4, 5]), value('b', [3, 4])],
      outputs: [out('y')],
    });
    const a = randomInput([2, 3, 4, 5], 1);
    const b = randomInput([3, 4], 2);
    const expected = a.data.map((v, i) => v + b.data[Math.floor(i / 5) % 12]);
    const report = await expectSameOutputs(model(g, { opset: 6, irVersion: 3 }), { a, b }, { expected: { y: expected } });
    expect(adaptersOf(report)).toContain('Add-7: legacy broadcast with axis → Unsqueeze + numpy broadcast');
  });

  it('Reshape, Concat, Cast and Tile of opset 3 take their newer forms', async () => {
    const g = graph({
      nodes: [
        node('Reshape', ['x'], ['r'], { shape: { ints: [3, 2] } }),
        node('Concat', ['r', 'r'], ['c']),
        withStrings(node('Cast', ['c'], ['d']), { to: 'DOUBLE' }),
        node('Cast', ['d'], ['y'], { to: { int: DataType.FLOAT } }),
        node('Tile', ['x', 'tiles', 'axis'], ['t']),
      ],
      inputs: [value('x', [2, 3])],
      outputs: [out('y'), out('t')],
      initializers: [i64('tiles', [2], []), i64('axis', [0], [])],
    });
    const x = randomInput([2, 3]);
    const rows = [0, 1, 2].map((r) => x.data.slice(2 * r, 2 * r + 2));
    const concat = rows.flatMap((row) => [...row, ...row]);
    const expected = { y: concat.map((v) => Math.fround(v)), t: [...x.data, ...x.data].map((v) => Math.fround(v)) };
    const report = await expectSameOutputs(model(g, { opset: 3, irVersion: 3 }), { x }, { expected });
    expect(adaptersOf(report)).toEqual(
      expect.arrayContaining(['Reshape-5: shape attribute → input', 'Concat-4: default axis 1 made explicit', 'Cast-6: to: type name → type number', 'Tile-6: tiles/axis → repeats']),
    );
  });

  it('Upsample 7 and 9 become Resize with the asymmetric, floor-rounded mapping', async () => {
    const g = graph({
      nodes: [withFloats(withStrings(node('Upsample', ['x'], ['y']), { mode: 'nearest' }), { scales: [1, 1, 2, 3] })],
      inputs: [value('x', [1, 1, 3, 3])],
      outputs: [out('y')],
    });
    const x = randomInput([1, 1, 3, 3]);
    await expectSameOutputs(model(g, { opset: 7, irVersion: 3 }), { x });
    const linear = graph({
      nodes: [withStrings(node('Upsample', ['x', 'scales'], ['y']), { mode: 'linear' })],
      inputs: [value('x', [1, 1, 3, 3])],
      outputs: [out('y')],
      initializers: [tensor('scales', [4], [1, 1, 2, 2])],
    });
    const report = await expectSameOutputs(model(linear, { opset: 9, irVersion: 4 }), { x });
    expect(adaptersOf(report)).toContain('Upsample-10: Upsample → Resize');
  });

  it('BatchNormalization with spatial=0 folds into Mul and Add', async () => {
    const p = (name: string, seed: number, shift = 0) => tensor(name, [3, 2], randomInput([3, 2], seed).data.map((v) => v + shift));
    const g = graph({
      nodes: [node('BatchNormalization', ['x', 's', 'b', 'm', 'v'], ['y'], { spatial: { int: 0 }, epsilon: 1e-3 })],
      inputs: [value('x', [2, 3, 2])],
      outputs: [out('y')],
      initializers: [p('s', 1), p('b', 2), p('m', 3), p('v', 4, 3)],
    });
    const x = randomInput([2, 3, 2], 5);
    const [s, b, m, v] = [1, 2, 3, 4].map((i) => g.initializer[i - 1]);
    const read = (t: typeof s) => Array.from(new Float32Array(t.rawData.slice().buffer));
    const [sv, bv, mv, vv] = [s, b, m, v].map(read);
    const expected = x.data.map((val, i) => ((val - mv[i % 6]) / Math.sqrt(vv[i % 6] + 1e-3)) * sv[i % 6] + bv[i % 6]);
    const report = await expectSameOutputs(model(g, { opset: 7, irVersion: 3 }), { x }, { expected: { y: expected } });
    expect(adaptersOf(report)).toContain('BatchNormalization-9: spatial=0 → Mul + Add (folded statistics)');
  });

  it('Scan 8 over a batch of 2 becomes a Loop around Scan 9', async () => {
    const body = graph({
      name: 'body',
      nodes: [node('Add', ['sum_in', 'next'], ['sum_out']), node('Identity', ['sum_out'], ['scan_out'])],
      inputs: [value('sum_in', [2]), value('next', [2])],
      outputs: [value('sum_out', [2]), value('scan_out', [2])],
    });
    const g = graph({
      nodes: [node('Scan', ['', 'init', 'xs'], ['final', 'ys'], { body, num_scan_inputs: { int: 1 } })],
      inputs: [value('init', [2, 2]), value('xs', [2, 3, 2])],
      outputs: [value('final', [2, 2]), value('ys', [2, 3, 2])],
    });
    const feeds = { init: randomInput([2, 2], 1), xs: randomInput([2, 3, 2], 2) };
    const report = await expectSameOutputs(model(g, { opset: 8, irVersion: 3 }), feeds);
    expect(adaptersOf(report)).toContain('Scan-9: batch axis → Loop over the batch around Scan 9');
  });
});

describe('experimental operators of opsets 1–9', () => {
  it('ImageScaler, Scale, Affine, ScaledTanh, ParametricSoftplus, ThresholdedRelu, DynamicSlice and Crop become standard ops', async () => {
    const g = graph({
      nodes: [
        withFloats(node('ImageScaler', ['x'], ['is'], { scale: 0.5 }), { bias: [1, -1, 2] }),
        node('Scale', ['x'], ['sc'], { scale: 3 }),
        node('Affine', ['x'], ['af'], { alpha: 2, beta: 0.25 }),
        node('ScaledTanh', ['x'], ['st'], { alpha: 1.5, beta: 0.5 }),
        node('ParametricSoftplus', ['x'], ['ps'], { alpha: 2, beta: 3 }),
        node('ThresholdedRelu', ['x'], ['tr'], { alpha: 0.5 }),
        node('DynamicSlice', ['x', 'starts', 'ends', 'axes'], ['ds']),
        node('Crop', ['x'], ['cr'], { border: { ints: [1, 0, 0, 1] } }),
      ],
      inputs: [value('x', [1, 3, 2, 3])],
      outputs: ['is', 'sc', 'af', 'st', 'ps', 'tr', 'ds', 'cr'].map((n) => out(n)),
      initializers: [i64('starts', [1]), i64('ends', [3]), i64('axes', [1])],
    });
    const x = randomInput([1, 3, 2, 3]);
    const f = (fn: (v: number, i: number) => number) => x.data.map(fn);
    const expected = {
      is: f((v, i) => 0.5 * v + [1, -1, 2][Math.floor(i / 6)]),
      sc: f((v) => 3 * v),
      af: f((v) => 2 * v + 0.25),
      st: f((v) => 1.5 * Math.tanh(0.5 * v)),
      ps: f((v) => 2 * Math.log(Math.exp(3 * v) + 1)),
      tr: f((v) => (v > 0.5 ? v : 0)),
      ds: x.data.slice(6),
      cr: [0, 1, 2].flatMap((c) => [1, 2].map((w) => x.data[c * 6 + w])),
    };
    const report = await expectSameOutputs(model(g, { opset: 8, irVersion: 3 }), { x }, { expected });
    expect(adaptersOf(report)).toEqual(expect.arrayContaining(['ImageScaler: ImageScaler → Mul + Add', 'Crop: Crop → Slice']));
  });
});

describe('opsets 10–13', () => {
  it('Softmax, LogSoftmax and Hardmax on a middle axis keep the 2-D coercion', async () => {
    const g = graph({
      nodes: [node('Softmax', ['x'], ['a'], { axis: { int: 1 } }), node('LogSoftmax', ['x'], ['b'], { axis: { int: 0 } }), node('Hardmax', ['x'], ['c'])],
      inputs: [value('x', [2, 3, 4])],
      outputs: [out('a'), out('b'), out('c')],
    });
    const report = await expectSameOutputs(model(g, { opset: 11, irVersion: 6 }), { x: randomInput([2, 3, 4]) });
    expect(adaptersOf(report)).toContain('Softmax-13: 2-D coercion kept: Flatten → op → Reshape');
  });

  it('Slice, TopK, Pad, Clip, Squeeze, Unsqueeze, Split and reductions move attributes to inputs', async () => {
    const g = graph({
      nodes: [
        node('Slice', ['x'], ['s'], { starts: { ints: [1] }, ends: { ints: [Number.MAX_SAFE_INTEGER] }, axes: { ints: [1] } }),
        node('TopK', ['s'], ['tv', 'ti'], { k: { int: 2 }, axis: { int: -1 } }),
        withStrings(node('Pad', ['s'], ['p'], { pads: { ints: [0, 1, 0, 2] }, value: 1.5 }), { mode: 'constant' }),
        withStrings(node('Pad', ['s'], ['p2'], { pads: { ints: [0, 1, 0, 1] } }), { mode: 'reflect' }),
        node('Clip', ['p'], ['c'], { min: -0.5, max: 0.75 }),
        node('Unsqueeze', ['c'], ['u'], { axes: { ints: [0, 3] } }),
        node('Squeeze', ['u'], ['q'], { axes: { ints: [0] } }),
        node('Split', ['q'], ['q1', 'q2'], { axis: { int: 1 }, split: { ints: [2, 4] } }),
        node('Split', ['q'], ['h1', 'h2'], { axis: { int: 1 } }),
        node('ReduceSum', ['q1'], ['rs'], { axes: { ints: [1] }, keepdims: { int: 0 } }),
        node('ReduceMean', ['q2'], ['rm'], { axes: { ints: [1, 2] } }),
        node('ReduceMax', ['h1'], ['rx']),
      ],
      inputs: [value('x', [3, 4])],
      outputs: [out('tv'), out('ti', DataType.INT64), out('p2'), out('rs'), out('rm'), out('rx'), out('h2')],
    });
    const report = await expectSameOutputs(model(g, { opset: 9, irVersion: 4 }), { x: randomInput([3, 4]) });
    for (const a of ['Slice-10', 'TopK-10', 'Pad-11', 'Clip-11', 'Unsqueeze-13', 'Squeeze-13', 'Split-13', 'Split-18', 'ReduceSum-13', 'ReduceMean-18']) {
      expect(adaptersOf(report).some((x) => x.startsWith(a)), a).toBe(true);
    }
  });

  it('Resize 10 keeps its rounding: down when upsampling, up when downsampling', async () => {
    for (const scales of [[1, 1, 2, 3], [1, 1, 0.5, 0.6]]) {
      for (const mode of ['nearest', 'linear']) {
        const g = graph({
          nodes: [withStrings(node('Resize', ['x', 'scales'], ['y']), { mode })],
          inputs: [value('x', [1, 1, 5, 5])],
          outputs: [out('y')],
          initializers: [tensor('scales', [4], scales)],
        });
        await expectSameOutputs(model(g, { opset: 10, irVersion: 5 }), { x: randomInput([1, 1, 5, 5]) });
      }
    }
  });

  it('Dropout 10 with a ratio and a read mask moves the ratio to an input and casts the mask', async () => {
    const g = graph({
      nodes: [node('Dropout', ['x'], ['y', 'mask'], { ratio: 0.3 }), node('Cast', ['mask'], ['m'], { to: { int: DataType.FLOAT } })],
      inputs: [value('x', [2, 3])],
      outputs: [out('y'), out('m')],
    });
    const x = randomInput([2, 3]);
    const report = await expectSameOutputs(model(g, { opset: 10, irVersion: 5 }), { x }, { expected: { y: x.data.map(Math.fround), m: [1, 1, 1, 1, 1, 1] } });
    expect(adaptersOf(report)).toContain('Dropout-12: ratio attribute → input');
    expect(report.notes.join(' ')).toMatch(/mask/);
  });

  it('converts the bodies of model-local functions, with Constant nodes for their new inputs', async () => {
    const fn = create(FunctionProtoSchema, {
      name: 'ExpandAndNormalize',
      domain: 'local',
      input: ['a'],
      output: ['b'],
      opsetImport: [{ domain: '', version: 11n }],
      node: [node('Unsqueeze', ['a'], ['u'], { axes: { ints: [0] } }), node('Softmax', ['u'], ['b'], { axis: { int: 2 } })],
    });
    const m = model(graph({ nodes: [node('ExpandAndNormalize', ['x'], ['y'])], inputs: [value('x', [2, 3, 4])], outputs: [out('y')] }), { opset: 11, irVersion: 8 });
    m.graph!.node[0].domain = 'local';
    m.opsetImport.push(create(OperatorSetIdProtoSchema, { domain: 'local', version: 1n }));
    m.functions.push(fn);
    const report = await expectSameOutputs(m, { x: randomInput([2, 3, 4]) });
    expect(adaptersOf(report)).toEqual(expect.arrayContaining(['Unsqueeze-13: axes attribute → input', 'Softmax-13: 2-D coercion kept: Flatten → op → Reshape']));
    const converted = convertOpset(m, LATEST_OPSET).proto.functions[0];
    expect(converted.opsetImport[0].version).toBe(BigInt(LATEST_OPSET));
    expect(converted.node.map((n) => n.opType)).toContain('Constant');
  });

  it('converts the bodies of If and Loop too', async () => {
    const branch = (axes: number[], name: string) =>
      graph({ name, nodes: [node('Unsqueeze', ['x'], [`${name}_y`], { axes: { ints: axes } })], outputs: [out(`${name}_y`)] });
    const loopBody = graph({
      name: 'loop',
      nodes: [node('ReduceSum', ['acc_in'], ['r'], { axes: { ints: [0] }, keepdims: { int: 1 } }), node('Add', ['acc_in', 'r'], ['acc_out']), node('Identity', ['c_in'], ['c_out'])],
      inputs: [value('i', [], DataType.INT64), value('c_in', [], DataType.BOOL), out('acc_in')],
      outputs: [value('c_out', [], DataType.BOOL), out('acc_out')],
    });
    const g = graph({
      nodes: [
        node('ReduceSum', ['x'], ['total'], { keepdims: { int: 0 } }),
        node('Greater', ['total', 'zero'], ['cond']),
        node('If', ['cond'], ['u'], { then_branch: branch([0], 'then'), else_branch: branch([1], 'else') }),
        node('Loop', ['trips', ''], ['acc'], { body: loopBody }),
      ],
      inputs: [value('x', [2, 3])],
      outputs: [out('u'), out('acc')],
      initializers: [tensor('zero', [], [0]), i64('trips', [3], [])],
    });
    g.node[3].input.push('x');
    const report = await expectSameOutputs(model(g, { opset: 11, irVersion: 6 }), { x: randomInput([2, 3]) });
    expect(report.graphs).toBe(4);
  });
});

describe('opsets 16–21', () => {
  it('GridSample 20 renames bilinear, RoiAlign 16 keeps output_half_pixel, DFT 20 takes axis as an input', async () => {
    const g = graph({
      nodes: [
        withStrings(node('GridSample', ['x', 'grid'], ['gs']), { mode: 'bilinear' }),
        node('RoiAlign', ['x', 'rois', 'idx'], ['ra'], { output_height: { int: 2 }, output_width: { int: 2 }, sampling_ratio: { int: 2 } }),
        node('DFT', ['sig'], ['spec'], { axis: { int: 1 } }),
      ],
      inputs: [value('x', [1, 1, 4, 4]), value('grid', [1, 3, 3, 2]), value('sig', [1, 8, 1])],
      outputs: [out('gs'), out('ra'), out('spec')],
      initializers: [tensor('rois', [1, 4], [0.5, 0.5, 3, 3]), i64('idx', [0])],
    });
    const grid = randomInput([1, 3, 3, 2], 3);
    grid.data = grid.data.map((v) => v / 2);
    const report = await expectSameOutputs(model(g, { opset: 17, irVersion: 8 }), { x: randomInput([1, 1, 4, 4]), grid, sig: randomInput([1, 8, 1], 4) });
    expect(adaptersOf(report)).toEqual(expect.arrayContaining(['GridSample-20: mode bilinear → linear', 'DFT-20: axis attribute → input']));
  });

  it('GroupNormalization 21 takes per-channel scale and bias', async () => {
    const g = graph({
      nodes: [node('GroupNormalization', ['x', 's', 'b'], ['y'], { num_groups: { int: 2 }, epsilon: 1e-5 })],
      inputs: [value('x', [1, 4, 3])],
      outputs: [out('y')],
      initializers: [tensor('s', [2], [2, 0.5]), tensor('b', [2], [1, -1])],
    });
    const x = randomInput([1, 4, 3]);
    const expected: number[] = [];
    for (let grp = 0; grp < 2; grp++) {
      const vals = x.data.slice(grp * 6, grp * 6 + 6);
      const mean = vals.reduce((a, b) => a + b, 0) / 6;
      const variance = vals.reduce((a, b) => a + (b - mean) ** 2, 0) / 6;
      expected.push(...vals.map((v) => ((v - mean) / Math.sqrt(variance + 1e-5)) * [2, 0.5][grp] + [1, -1][grp]));
    }
    const report = await expectSameOutputs(model(g, { opset: 18, irVersion: 8 }), { x }, { expected: { y: expected } });
    expect(adaptersOf(report)).toContain('GroupNormalization-21: per-group scale/bias → per-channel');
  });
});
