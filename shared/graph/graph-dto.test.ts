/** The wire form of graph chunks: defaults left out on the way, everything (consumers too) back on arrival. */
import { describe, expect, it } from 'vitest';
import { fromWire, linkConsumers, toWire, type GraphChunkDto } from './graph-dto';

describe('graph chunk wire form', () => {
  it('round-trips nodes and tensors and rebuilds consumers', () => {
    const chunk: GraphChunkDto = {
      index: 0,
      nodeOffset: 0,
      tensorOffset: 0,
      nodes: [
        { fileIndex: 0, name: 'a', op: 'Relu', domain: '', inputs: [0], outputs: [1], attributes: [], subgraphs: [], implicitInputs: [] },
        { fileIndex: 1, name: 'b', op: 'Mul', domain: 'com.microsoft', inputs: [1, 1], outputs: [2], attributes: [{ name: 'k', value: { type: 'int', value: 3 } }], subgraphs: [], implicitInputs: [] },
      ],
      tensors: [
        { name: 'x', dtype: 'float32', shape: [1, 'N'], kind: 'input', producer: -1, consumers: [0] },
        { name: 'h', dtype: 'unknown', shape: null, kind: 'value', producer: 0, consumers: [1] },
        { name: 'y', dtype: 'float32', shape: null, kind: 'value', producer: 1, consumers: [], isOutput: true },
      ],
    };
    const wire = toWire(chunk);
    expect(JSON.stringify(wire).length).toBeLessThan(JSON.stringify(chunk).length * 0.8);
    expect(wire.nodes[0]).not.toHaveProperty('attributes');
    const back = fromWire(JSON.parse(JSON.stringify(wire)));
    linkConsumers(back);
    expect(back).toEqual(chunk);
  });
});
