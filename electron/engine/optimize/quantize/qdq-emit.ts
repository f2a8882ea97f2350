/** Writes a QDQ plan into the graph: QuantizeLinear after producers, one DequantizeLinear per reader, int8 weights, int32 biases. */
import type { Graph } from '../../onnx/ir/graph';
import { replaceUses } from '../../onnx/ir/edit-helpers';
import { addInitializer } from '../../onnx/ir/edits';
import { DataType, type NodeProto } from '../../onnx/proto';
import { removeDeadWeights, type WeightReader } from './graph-prep';
import { computeQParams, quantizeValue, type QParams } from './qparams';
import type { QdqPlan, WeightUse } from './qdq-plan';
import { floatTensor, getFloatAttr, intAttr, makeNode, makeTensor, setFloatAttr, zeroPointTensor } from './proto-build';
import { minWeightScalesForBias, quantizeBias, quantizeWeight, raisesScales } from './weight-quant';

export interface EmitOptions {
  reduceRange: boolean;
  /** int8 weights (S8S8, U8S8) or uint8 weights with zero point 128 (U8U8) */
  weightType: 'int8' | 'uint8';
  /** type and symmetry of constants quantized like activations (Add/Mul/Concat operands) */
  activationType: 'uint8' | 'int8';
  symmetricActivations: boolean;
}

/** What the emitter wrote. */
export interface EmitResult {
  /** per quantized activation: the name of one DequantizeLinear output (the value readers see) */
  dequantized: Map<string, string>;
  quantizeNodes: number;
  dequantizeNodes: number;
  weightBytes: number;
}

/**
 * Rewrites the graph.
 * @param graph - the planned graph (activations already folded)
 * @param plan - from `planStatic`
 * @param params - scale and zero point of every planned activation
 * @param weights - reads float weights
 */
export function emitQdq(graph: Graph, plan: QdqPlan, params: ReadonlyMap<string, QParams>, weights: WeightReader, o: EmitOptions): EmitResult {
  const out: NodeProto[] = [];
  const qName = new Map<string, string>();
  const dequantized = new Map<string, string>();
  const paramNames = new Map<string, { scale: string; zp: string }>();
  let quantizeNodes = 0;
  let dequantizeNodes = 0;
  let weightBytes = 0;

  const paramsOf = (t: string): QParams => {
    const p = params.get(t);
    if (!p) throw new Error(`no quantization parameters for "${t}"`);
    return p;
  };
  const activationParams = (t: string) => {
    let names = paramNames.get(t);
    if (!names) {
      const p = paramsOf(t);
      names = { scale: graph.uniqueName(`${t}_scale`), zp: graph.uniqueName(`${t}_zero_point`) };
      addInitializer(graph, floatTensor(names.scale, [p.scale]));
      addInitializer(graph, zeroPointTensor(names.zp, p.type, [p.zeroPoint]));
      paramNames.set(t, names);
    }
    return names;
  };
  const emitQ = (t: string) => {
    if (qName.has(t)) return;
    const names = activationParams(t);
    const q = graph.uniqueName(`${t}_QuantizeLinear_Output`);
    out.push(makeNode('QuantizeLinear', [t, names.scale, names.zp], [q], graph.uniqueNodeName(`${t}_QuantizeLinear`)));
    qName.set(t, q);
    quantizeNodes++;
  };
  const emitDQ = (t: string): string => {
    emitQ(t);
    const names = activationParams(t);
    const d = graph.uniqueName(`${t}_DequantizeLinear_Output`);
    out.push(makeNode('DequantizeLinear', [qName.get(t) as string, names.scale, names.zp], [d], graph.uniqueNodeName(`${t}_DequantizeLinear`)));
    if (!dequantized.has(t)) dequantized.set(t, d);
    dequantizeNodes++;
    return d;
  };

  const stored = new Map<string, { q: string; scale: string; zp: string; axis: number | null }>();
  /** float weight name → the first integer copy made of it */
  const firstCopy = new Map<string, { q: string; scale: string; zp: string; axis: number | null }>();
  const uses = new Map<NodeProto, WeightUse[]>();
  for (const u of plan.weights) uses.set(u.node, [...(uses.get(u.node) ?? []), u]);

  const storeWeight = (u: WeightUse, inputs: readonly string[]): { q: string; scale: string; zp: string; axis: number | null } => {
    const node = u.node;
    const name = inputs[u.input];
    const w = weights.float(name);
    if (!w) throw new Error(`weight "${name}" cannot be read`);
    if (u.role === 'constant') {
      const key = `${name}|const`;
      const hit = stored.get(key);
      if (hit) return hit;
      let lo = 0;
      let hi = 0;
      for (const v of w.values) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      const p = computeQParams(lo, hi, o.activationType, o.symmetricActivations);
      const data = o.activationType === 'uint8' ? new Uint8Array(w.values.length) : new Int8Array(w.values.length);
      for (let i = 0; i < data.length; i++) data[i] = quantizeValue(w.values[i], p);
      const rec = addStored(`${name}_quantized`, o.activationType === 'uint8' ? DataType.UINT8 : DataType.INT8, w.dims, data, [p.scale], [p.zeroPoint], null, o.activationType);
      stored.set(key, rec);
      return rec;
    }
    // weights and biases of one node are quantized together (the bias scale depends on the weight's)
    const biasUse = (uses.get(node) ?? []).find((x) => x.role === 'bias');
    const weightUse = (uses.get(node) ?? []).find((x) => x.role === 'weight') as WeightUse;
    const inputScale = paramsOf(inputs[0]).scale;
    const wf = weights.float(inputs[weightUse.input]);
    if (!wf) throw new Error(`weight "${inputs[weightUse.input]}" cannot be read`);
    let bias = biasUse ? weights.float(inputs[biasUse.input])?.values : undefined;
    if (bias && node.opType === 'Gemm') {
      const beta = getFloatAttr(node, 'beta', 1);
      if (beta !== 1) {
        bias = bias.map((v) => v * beta);
        setFloatAttr(node, 'beta', 1);
      }
    }
    const channels = weightUse.axis === null ? 1 : wf.dims[weightUse.axis];
    const minScales = bias ? minWeightScalesForBias(bias, inputScale, channels) : undefined;
    // a bias too large for int32 at the weight's own scales raises them: that node then gets a weight of its own
    const adjusted = minScales ? raisesScales(wf.values, wf.dims, weightUse.axis, o.reduceRange, minScales) : false;
    const wKey = `${wf.name}|${weightUse.axis}|${o.reduceRange}${adjusted ? `|${node.name}` : ''}`;
    let wRec = stored.get(wKey);
    const qw = quantizeWeight(wf.values, wf.dims, weightUse.axis, o.reduceRange, adjusted ? minScales : undefined, o.weightType);
    if (!wRec) {
      const dtype = o.weightType === 'uint8' ? DataType.UINT8 : DataType.INT8;
      const zps = new Array<number>(qw.scales.length).fill(qw.zeroPoint);
      wRec = addStored(`${wf.name}_quantized`, dtype, wf.dims, qw.data, [...qw.scales], zps, weightUse.axis, o.weightType);
      stored.set(wKey, wRec);
    }
    if (u.role === 'weight') return wRec;
    const qb = quantizeBias(bias as Float32Array, inputScale, qw.scales);
    const bName = graph.uniqueName(`${name}_quantized`);
    const sName = graph.uniqueName(`${name}_scale`);
    const zName = graph.uniqueName(`${name}_zero_point`);
    addInitializer(graph, makeTensor(bName, DataType.INT32, [qb.data.length], qb.data));
    addInitializer(graph, floatTensor(sName, qb.scales, qb.scales.length > 1));
    const zp = new Int32Array(qb.scales.length);
    addInitializer(graph, makeTensor(zName, DataType.INT32, qb.scales.length > 1 ? [zp.length] : [], zp));
    weightBytes += qb.data.byteLength;
    return { q: bName, scale: sName, zp: zName, axis: qb.scales.length > 1 ? 0 : null };
  };

  function addStored(
    base: string,
    dtype: DataType,
    dims: number[],
    data: Int8Array | Uint8Array,
    scales: number[],
    zps: number[],
    axis: number | null,
    zpType: 'uint8' | 'int8',
  ) {
    const q = graph.uniqueName(base);
    const root = base.replace(/_quantized$/, '');
    const scale = graph.uniqueName(`${root}_scale`);
    const zp = graph.uniqueName(`${root}_zero_point`);
    addInitializer(graph, makeTensor(q, dtype, dims, data));
    addInitializer(graph, floatTensor(scale, scales, axis !== null));
    addInitializer(graph, zeroPointTensor(zp, zpType, zps, axis !== null));
    weightBytes += data.byteLength;
    return { q, scale, zp, axis };
  }

  for (const t of graph.runtimeInputs()) if (plan.tensors.has(t.name)) emitQ(t.name);
  for (const node of graph.topologicalOrder()) {
    const nodeUses = uses.get(node);
    const original = [...node.input];
    original.forEach((name, i) => {
      if (name === '') return;
      const use = nodeUses?.find((u) => u.input === i);
      if (use) {
        const rec = storeWeight(use, original);
        if (use.role !== 'bias' && !firstCopy.has(name)) firstCopy.set(name, rec);
        const d = graph.uniqueName(`${name}_DequantizeLinear_Output`);
        const attrs = rec.axis !== null ? [intAttr('axis', rec.axis)] : [];
        out.push(makeNode('DequantizeLinear', [rec.q, rec.scale, rec.zp], [d], graph.uniqueNodeName(`${name}_DequantizeLinear`), attrs));
        dequantizeNodes++;
        node.input[i] = d;
      } else if (plan.tensors.has(name)) {
        node.input[i] = emitDQ(name);
      }
    });
    out.push(node);
    for (const o2 of node.output) if (o2 !== '' && plan.tensors.has(o2)) emitQ(o2);
  }
  dequantizeNodes += dequantizeForBodies(graph, out, firstCopy);
  graph.proto.node = out;
  graph.invalidate();
  removeDeadWeights(graph);
  return { dequantized, quantizeNodes, dequantizeNodes, weightBytes };
}

/**
 * Float weights that quantized nodes now read as integers and that If/Loop/Scan bodies read too: the bodies read a
 * DequantizeLinear of the integer copy instead (a node of its own, so the quantized readers' Q/DQ still fuse), and the
 * float weight leaves the model rather than being stored twice.
 * @param out - the rewritten main-graph nodes (the DequantizeLinear nodes go first: they read only initializers)
 * @returns how many DequantizeLinear nodes were added
 */
function dequantizeForBodies(graph: Graph, out: NodeProto[], copies: ReadonlyMap<string, { q: string; scale: string; zp: string; axis: number | null }>): number {
  let added = 0;
  for (const [name, rec] of copies) {
    const users = graph.implicitUsers(name);
    if (users.length === 0 || out.some((n) => n.input.includes(name)) || graph.isOutput(name)) continue;
    const d = graph.uniqueName(`${name}_DequantizeLinear_Output`);
    const attrs = rec.axis !== null ? [intAttr('axis', rec.axis)] : [];
    out.unshift(makeNode('DequantizeLinear', [rec.q, rec.scale, rec.zp], [d], graph.uniqueNodeName(`${name}_DequantizeLinear`), attrs));
    for (const user of users) {
      for (const sub of graph.subgraphs(user)) if (!sub.definesLocally(name)) replaceUses(sub, name, d, new Set(), []);
    }
    added++;
  }
  return added;
}
