import { create } from '@bufbuild/protobuf';
import { describe, expect, it } from 'vitest';
import { GraphProtoSchema, NodeProtoSchema } from '../onnx/proto';
import { quantParamNames } from './quant-params';

const node = (opType: string, input: string[]) => create(NodeProtoSchema, { opType, input, output: [`${opType}-${input[0]}-out`] });

describe('quantization scales and zero points are not parameters', () => {
  it('separates QDQ scales and zero points from the int8 weights they describe', () => {
    const graph = create(GraphProtoSchema, {
      node: [node('DequantizeLinear', ['w_q', 'w_scale', 'w_zp']), node('QuantizeLinear', ['x', 'x_scale', 'x_zp']), node('Conv', ['x_dq', 'w_dq', 'bias'])],
    });
    expect([...quantParamNames(graph)].sort()).toEqual(['w_scale', 'w_zp', 'x_scale', 'x_zp']);
  });
  it('keeps a tensor that is also read as data', () => {
    const graph = create(GraphProtoSchema, { node: [node('DequantizeLinear', ['w_q', 's', 'zp']), node('Mul', ['a', 's'])] });
    expect([...quantParamNames(graph)]).toEqual(['zp']);
  });
  it('knows the integer kernels', () => {
    const graph = create(GraphProtoSchema, { node: [node('ConvInteger', ['x', 'w', 'x_zp', 'w_zp'])] });
    expect([...quantParamNames(graph)].sort()).toEqual(['w_zp', 'x_zp']);
  });
});
