/** Specs of the model wrapper: opsets, the proto as storage, deep copies. */
import { equals } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { graph, model, node, tensor, value } from '../../../../test/engine/helpers/build-model';
import { StudioError } from '../../../../shared/api/errors';
import { decodeModel, encodeModel } from '../codec';
import { ModelProtoSchema } from '../proto';
import { forEachTensor } from '../walk';
import { mapClonedTensors, ModelIR } from './model-ir';

function simple() {
  return model(graph({ nodes: [node('Add', ['x', 'W'], ['y'])], inputs: [value('x', [2])], outputs: [value('y', [2])], initializers: [tensor('W', [2], [1, 2])] }), {
    opset: 13,
  });
}

describe('ModelIR', () => {
  it('looks up opsets, with "" and "ai.onnx" naming the same domain', () => {
    const ir = new ModelIR(simple());
    expect(ir.opset()).toBe(13);
    expect(ir.opset('ai.onnx')).toBe(13);
    expect(ir.opset('com.microsoft')).toBeUndefined();
    ir.setOpset('ai.onnx', 17);
    ir.setOpset('com.microsoft', 1);
    expect(ir.opset('')).toBe(17);
    expect(ir.proto.opsetImport).toHaveLength(2);
    expect(ir.irVersion).toBe(8);
  });

  it('keeps the proto as storage, unknown fields included', () => {
    const m = simple();
    m.graph!.node[0].docString = 'kept';
    const bytes = encodeModel(m);
    const withUnknown = new Uint8Array([...bytes, 0xa0, 0x06, 0x2a]); // field 100, varint 42: not in onnx.proto
    const ir = new ModelIR(decodeModel(withUnknown));
    ir.graph.nodes[0].name = 'renamed';
    const out = encodeModel(ir.toProto());
    expect(out.subarray(out.length - 3)).toEqual(new Uint8Array([0xa0, 0x06, 0x2a]));
    expect(decodeModel(out).graph?.node[0].docString).toBe('kept');
  });

  it('refuses a model without a graph', () => {
    const m = simple();
    m.graph = undefined;
    expect(() => new ModelIR(m)).toThrow(StudioError);
  });

  it('makes deep copies and carries per-tensor maps over to them', () => {
    const ir = new ModelIR(simple());
    const copy = ir.clone();
    expect(equals(ModelProtoSchema, ir.proto, copy.proto)).toBe(true);
    copy.graph.nodes[0].opType = 'Sub';
    expect(ir.graph.nodes[0].opType).toBe('Add');
    const map = new Map([[ir.graph.initializers[0], 'ref']]);
    const mapped = mapClonedTensors(ir.proto, copy.proto, map);
    const copies: unknown[] = [];
    forEachTensor(copy.proto, (t) => copies.push(t));
    expect([...mapped.entries()]).toEqual([[copies[0], 'ref']]);
  });
});
