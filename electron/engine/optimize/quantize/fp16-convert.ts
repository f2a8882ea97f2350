/** float16 conversion: weights and compute to fp16, fragile ops kept in fp32 behind Casts, inputs/outputs kept float32. */
import { create } from '@bufbuild/protobuf';
import type { ExternalRef } from '../../onnx/external-data';
import type { Graph } from '../../onnx/ir/graph';
import { isConstantNode } from '../../onnx/ir/graph';
import { AttributeProtoSchema, AttributeType, DataType, TypeProtoSchema, type AttributeProto, type NodeProto, type TensorProto, type ValueInfoProto } from '../../onnx/proto';
import { tensorValues } from '../../onnx/tensor-data';
import { floatToHalfBits } from '../../runtime/host-tensor';
import { removeDeadWeights } from './graph-prep';
import { intAttr, makeNode, makeTensor } from './proto-build';

/** The largest finite float16 value. */
export const FP16_MAX = 65504;
/** Magnitudes under this become float16 subnormals or zero; weights this small are clamped up to it (sign kept). */
export const FP16_MIN_NORMAL = 2 ** -14;

/** Inputs that must stay float32 even when their op runs in float16 (by op type, input index). */
const FLOAT32_INPUTS: Readonly<Record<string, readonly number[]>> = { Resize: [2], Upsample: [1] };

export interface Fp16Options {
  keepIoTypes: boolean;
  /** op types kept in float32 */
  blockOps: ReadonlySet<string>;
  /** nodes (by name) kept in float32 */
  isExcluded(node: NodeProto): boolean;
}

export interface Fp16Result {
  convertedTensors: number;
  /** weight values past ±65504, clamped */
  clampedHigh: number;
  /** non-zero weight values under 2^-14 in magnitude, clamped up */
  clampedLow: number;
  castNodes: number;
  keptFloat: Array<{ node: string; op: string; reason: string }>;
  fp16Nodes: number;
}

/** @returns a float16 copy of a float32 tensor, with values clamped into float16's range. */
function toHalf(t: TensorProto, external: ExternalRef | undefined, counts: { high: number; low: number }): TensorProto {
  const v = tensorValues(t, external) as Float32Array;
  const bits = new Uint16Array(v.length);
  for (let i = 0; i < v.length; i++) {
    let x = v[i];
    const a = Math.abs(x);
    if (a > FP16_MAX && Number.isFinite(x)) {
      x = Math.sign(x) * FP16_MAX;
      counts.high++;
    } else if (a > 0 && a < FP16_MIN_NORMAL) {
      x = Math.sign(x) * FP16_MIN_NORMAL;
      counts.low++;
    }
    bits[i] = floatToHalfBits(x);
  }
  return makeTensor(t.name, DataType.FLOAT16, t.dims.map(Number), bits);
}

function retype(v: ValueInfoProto, to: DataType): void {
  if (v.type?.value.case === 'tensorType') v.type.value.value.elemType = to;
  else if (!v.type) v.type = create(TypeProtoSchema, { value: { case: 'tensorType', value: { elemType: to } } });
}

/**
 * Converts the main graph to float16 in place.
 * @param graph - the graph
 * @param external - external data references (float weights read from there are written inline as float16)
 * @param dtypeOf - each tensor's element type before conversion
 */
export function convertFp16(graph: Graph, external: ReadonlyMap<TensorProto, ExternalRef>, dtypeOf: (n: string) => number | undefined, o: Fp16Options): Fp16Result {
  const isFloat = (n: string) => n !== '' && dtypeOf(n) === DataType.FLOAT;
  const order = graph.topologicalOrder();
  const keptFloat: Fp16Result['keptFloat'] = [];
  const blocked = new Set<NodeProto>();
  for (const n of order) {
    const reason = o.blockOps.has(n.opType)
      ? 'op type on the fp32 list'
      : o.isExcluded(n)
        ? 'excluded by the user'
        : n.domain !== '' && n.domain !== 'ai.onnx'
          ? `custom domain ${n.domain}`
          : n.attribute.some((a) => a.g || a.graphs.length)
            ? 'has subgraphs'
            : undefined;
    if (!reason) continue;
    blocked.add(n);
    if (!isConstantNode(n)) keptFloat.push({ node: n.name || n.opType, op: n.opType, reason });
  }
  // where each float tensor lives after conversion: half (fp16) or single (fp32)
  const half = new Set<string>();
  const readers = (t: string) => graph.consumers(t);
  const counts = { high: 0, low: 0 };
  let convertedTensors = 0;
  const wantsHalf = (node: NodeProto, i: number) => !blocked.has(node) && !(FLOAT32_INPUTS[node.opType] ?? []).includes(i);
  for (const init of [...graph.initializers]) {
    if (init.dataType !== DataType.FLOAT || graph.isInput(init.name)) continue;
    if (!readers(init.name).some((r) => r.input.some((x, i) => x === init.name && wantsHalf(r, i)))) continue;
    graph.initializers[graph.initializers.indexOf(init)] = toHalf(init, external.get(init), counts);
    half.add(init.name);
    convertedTensors++;
  }
  const out: NodeProto[] = [];
  const casts = new Map<string, string>();
  let castNodes = 0;
  const cast = (t: string, to: DataType): string => {
    const key = `${t}|${to}`;
    let name = casts.get(key);
    if (!name) {
      name = graph.uniqueName(`${t}_${to === DataType.FLOAT16 ? 'float16' : 'float32'}`);
      out.push(makeNode('Cast', [t], [name], graph.uniqueNodeName(`${t}_Cast`), [intAttr('to', to)]));
      casts.set(key, name);
      castNodes++;
    }
    return name;
  };
  for (const inp of graph.runtimeInputs()) {
    if (!isFloat(inp.name)) continue;
    if (o.keepIoTypes) continue;
    retype(inp, DataType.FLOAT16);
    half.add(inp.name);
  }
  let fp16Nodes = 0;
  for (const node of order) {
    const fp32 = blocked.has(node);
    if (isConstantNode(node) && !fp32) {
      const y = node.output[0];
      const attr = node.attribute.find((a) => a.name === 'value' && a.t);
      if (attr?.t && attr.t.dataType === DataType.FLOAT && readers(y).some((r) => r.input.some((x, i) => x === y && wantsHalf(r, i)))) {
        attr.t = toHalf(attr.t, undefined, counts);
        half.add(y);
        convertedTensors++;
      }
      out.push(node);
      continue;
    }
    node.input.forEach((t, i) => {
      if (!isFloat(t)) return;
      const isHalf = half.has(t);
      const want = wantsHalf(node, i);
      if (want && !isHalf) node.input[i] = cast(t, DataType.FLOAT16);
      else if (!want && isHalf) node.input[i] = cast(t, DataType.FLOAT);
    });
    if (!fp32) {
      fp16Nodes++;
      retargetAttributes(node);
      for (const y of node.output) if (isFloat(y)) half.add(y);
    }
    out.push(node);
  }
  // graph outputs: keep float32 (keepIoTypes) behind a Cast, or let them be float16
  for (const v of graph.outputs) {
    if (!isFloat(v.name)) continue;
    if (half.has(v.name) && o.keepIoTypes) {
      const inner = graph.uniqueName(`${v.name}_float16`);
      for (const n of out) n.output.forEach((y, i) => (y === v.name ? (n.output[i] = inner) : undefined));
      for (const n of out) n.input.forEach((x, i) => (x === v.name ? (n.input[i] = inner) : undefined));
      out.push(makeNode('Cast', [inner], [v.name], graph.uniqueNodeName(`${v.name}_Cast`), [intAttr('to', DataType.FLOAT)]));
      castNodes++;
    } else if (half.has(v.name)) retype(v, DataType.FLOAT16);
  }
  for (const v of graph.valueInfo) if (half.has(v.name) && isFloat(v.name)) retype(v, DataType.FLOAT16);
  graph.proto.node = out;
  graph.invalidate();
  removeDeadWeights(graph);
  return { convertedTensors, clampedHigh: counts.high, clampedLow: counts.low, castNodes, keptFloat, fp16Nodes };
}

/** Float32-typed attributes of an op now computing in float16 (Cast targets, ConstantOfShape values). */
function retargetAttributes(node: NodeProto): void {
  if (node.opType === 'Cast') {
    const to = node.attribute.find((a) => a.name === 'to');
    if (to && Number(to.i) === DataType.FLOAT) to.i = BigInt(DataType.FLOAT16);
  }
  if (node.opType === 'ConstantOfShape') {
    const value = node.attribute.find((a: AttributeProto) => a.name === 'value');
    if (value?.t && value.t.dataType === DataType.FLOAT) value.t = toHalf(value.t, undefined, { high: 0, low: 0 });
    // without a value the output is float32 zeros; name the float16 zero explicitly
    if (!value) node.attribute.push(create(AttributeProtoSchema, { name: 'value', type: AttributeType.TENSOR, t: makeTensor('', DataType.FLOAT16, [1], new Uint16Array(1)) }));
  }
}
