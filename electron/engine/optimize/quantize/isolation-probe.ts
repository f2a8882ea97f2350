/**
 * The isolation probe: the float model plus, for every quantized node, a copy fed with float inputs through its own
 * Q/DQ and its quantized weights. Comparing each copy with the float node gives the error the node itself introduces,
 * apart from the error it inherits.
 */
import { clone } from '@bufbuild/protobuf';
import { mapClonedTensors, ModelIR } from '../../onnx/ir/model-ir';
import type { Graph } from '../../onnx/ir/graph';
import { ModelProtoSchema, NodeProtoSchema, TensorProtoSchema, type NodeProto } from '../../onnx/proto';
import type { ComparePair, ModelRef } from './error-analysis';
import { makeNode } from './proto-build';
import type { PreparedModel, StaticResult } from './static-quantizer';

const PREFIX = 'isolated/';

/**
 * Builds the probe.
 * @param prepared - the float model
 * @param q - a quantization of it (its QDQ graph gives every scale, zero point and quantized weight)
 * @returns the probe and, per quantized node, the pair comparing its isolated output with the float one
 */
export function buildIsolationProbe(prepared: PreparedModel, q: StaticResult): { probe: ModelRef; pairs: ComparePair[] } {
  const proto = clone(ModelProtoSchema, prepared.proto);
  const external = mapClonedTensors(prepared.proto, proto, prepared.external);
  const probe = new ModelIR(proto).graph;
  const qGraph = new ModelIR(q.proto).graph;
  const floatName = (t: string) => q.plan.statsName.get(t) ?? t;
  const copied = new Set<string>();
  const copyInit = (name: string): string => {
    const to = PREFIX + name;
    if (!copied.has(name)) {
      const t = qGraph.constantTensor(name);
      if (!t) throw new Error(`"${name}" is not stored in the quantized model`);
      const c = clone(TensorProtoSchema, t);
      c.name = to;
      probe.initializers.push(c);
      copied.add(name);
    }
    return to;
  };
  const added: NodeProto[] = [];
  const pairs: ComparePair[] = [];
  const dq = (src: string, node: NodeProto, out: string) => {
    const attrs = clone(NodeProtoSchema, node).attribute;
    added.push(makeNode('DequantizeLinear', [src, copyInit(node.input[1]), ...(node.input[2] ? [copyInit(node.input[2])] : [])], [out], `${PREFIX}${node.name}/${out}`, attrs));
  };
  for (const [node, kind] of q.plan.kinds) {
    if (kind === 'same') continue;
    const inputs = node.input.map((x, i) => isolatedInput(qGraph, node, x, i, floatName, copyInit, dq, added));
    const out = node.output[0];
    const y = `${PREFIX}${out}`;
    const copy = clone(NodeProtoSchema, node);
    copy.name = `${PREFIX}${node.name}`;
    copy.input = inputs;
    copy.output = [y, ...node.output.slice(1).map(() => '')];
    added.push(copy);
    const qn = qGraph.consumers(out).find((c) => c.opType === 'QuantizeLinear');
    let compared = y;
    if (qn) {
      const qy = `${y}_q`;
      added.push(makeNode('QuantizeLinear', [y, copyInit(qn.input[1]), copyInit(qn.input[2])], [qy], `${PREFIX}${qn.name}`));
      compared = `${y}_dq`;
      added.push(makeNode('DequantizeLinear', [qy, copyInit(qn.input[1]), copyInit(qn.input[2])], [compared], `${PREFIX}${qn.name}_dq`));
    }
    pairs.push({ tensor: floatName(out), quantName: compared, node: node.name, op: node.opType, kind: 'activation' });
  }
  proto.graph?.node.push(...added);
  probe.invalidate();
  return { probe: { proto, external }, pairs };
}

/** @returns the probe-side name feeding input `i` of a quantized node: a re-quantized float activation, a copied weight, or the float tensor. */
function isolatedInput(
  qGraph: Graph,
  node: NodeProto,
  x: string,
  i: number,
  floatName: (t: string) => string,
  copyInit: (name: string) => string,
  dq: (src: string, node: NodeProto, out: string) => void,
  added: NodeProto[],
): string {
  if (x === '') return '';
  const p = qGraph.producer(x);
  // inputs not behind a DequantizeLinear (shapes, scales, float operands) exist under the same name in the float model
  if (!p || p.opType !== 'DequantizeLinear') return floatName(x);
  const qp = qGraph.producer(p.input[0]);
  const out = `${PREFIX}${node.name}/in${i}`;
  if (!qp) {
    dq(copyInit(p.input[0]), p, out);
    return out;
  }
  if (qp.opType !== 'QuantizeLinear') return floatName(x);
  const q = `${out}_q`;
  added.push(makeNode('QuantizeLinear', [floatName(qp.input[0]), copyInit(qp.input[1]), copyInit(qp.input[2])], [q], `${PREFIX}${node.name}/q${i}`));
  dq(q, p, out);
  return out;
}
