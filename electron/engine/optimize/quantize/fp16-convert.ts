/**
 * float16 conversion: weights and compute to fp16 in the main graph and in If/Loop/Scan bodies, fragile ops kept in
 * fp32 behind Casts, the model's inputs/outputs (and every body's) kept float32.
 */
import { create } from '@bufbuild/protobuf';
import type { ExternalRef } from '../../onnx/external-data';
import type { Graph } from '../../onnx/ir/graph';
import { isConstantNode } from '../../onnx/ir/graph';
import { definedNames } from '../../onnx/ir/graph-index';
import { AttributeProtoSchema, AttributeType, DataType, TypeProtoSchema, type AttributeProto, type NodeProto, type TensorProto, type ValueInfoProto } from '../../onnx/proto';
import { tensorValues } from '../../onnx/tensor-data';
import { forEachSubgraph } from '../../onnx/walk';
import { floatToHalfBits } from '../../runtime/host-tensor';
import { float32Nodes, halfWeights, wantsHalf, type BlockRules } from './fp16-plan';
import { removeDeadWeights } from './graph-prep';
import { intAttr, makeNode, makeTensor } from './proto-build';

/** The largest finite float16 value. */
export const FP16_MAX = 65504;
/** Magnitudes under this become float16 subnormals or zero; weights this small are clamped up to it (sign kept). */
export const FP16_MIN_NORMAL = 2 ** -14;

export interface Fp16Options extends BlockRules {
  keepIoTypes: boolean;
}

export interface Fp16Result {
  convertedTensors: number;
  /** weight values past ±65504, clamped */
  clampedHigh: number;
  /** non-zero weight values under 2^-14 in magnitude, clamped up */
  clampedLow: number;
  castNodes: number;
  keptFloat: Array<{ node: string; op: string; reason: string }>;
  /** nodes computing in float16, bodies included */
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

/** One graph being converted: the float16 values it defines and the nodes it is rewritten to. */
interface Scope {
  graph: Graph;
  parent?: Scope;
  half: Set<string>;
  out: NodeProto[];
  casts: Map<string, string>;
}

/**
 * Converts a model to float16 in place, bodies of If/Loop/Scan included.
 * @param graph - the main graph
 * @param external - external data references (float weights read from there are written inline as float16)
 * @param dtypeOf - each tensor's element type before conversion (any graph)
 */
export function convertFp16(graph: Graph, external: ReadonlyMap<TensorProto, ExternalRef>, dtypeOf: (n: string) => number | undefined, o: Fp16Options): Fp16Result {
  return new Fp16Converter(graph, external, dtypeOf, o).run();
}

class Fp16Converter {
  private readonly kept: Map<NodeProto, string | null>;
  private readonly weights: Map<Graph, Set<string>>;
  private readonly counts = { high: 0, low: 0 };
  private convertedTensors = 0;
  private castNodes = 0;
  private fp16Nodes = 0;

  constructor(
    private readonly main: Graph,
    private readonly external: ReadonlyMap<TensorProto, ExternalRef>,
    private readonly dtypeOf: (n: string) => number | undefined,
    private readonly o: Fp16Options,
  ) {
    this.kept = float32Nodes(main, o);
    this.weights = halfWeights(main, this.kept);
  }

  run(): Fp16Result {
    this.convert({ graph: this.main, half: new Set(), out: [], casts: new Map() });
    removeDeadWeights(this.main);
    const keptFloat = [...this.kept].filter(([n, reason]) => reason !== null && !isConstantNode(n)).map(([n, reason]) => ({ node: n.name || n.opType, op: n.opType, reason: reason as string }));
    return { convertedTensors: this.convertedTensors, clampedHigh: this.counts.high, clampedLow: this.counts.low, castNodes: this.castNodes, keptFloat, fp16Nodes: this.fp16Nodes };
  }

  private isFloat(n: string): boolean {
    return n !== '' && this.dtypeOf(n) === DataType.FLOAT;
  }

  /** @returns the scope defining `name` (this one or an enclosing one) */
  private owner(scope: Scope, name: string): Scope | undefined {
    for (let s: Scope | undefined = scope; s; s = s.parent) if (s.graph.definesLocally(name)) return s;
    return undefined;
  }

  private isHalf(scope: Scope, name: string): boolean {
    return this.owner(scope, name)?.half.has(name) ?? false;
  }

  /**
   * A Cast of `t`, made once in the graph defining `t`: before the node being converted there, so a body reading an
   * outer value gets it cast outside the loop, and every reader shares it.
   */
  private cast(scope: Scope, t: string, to: DataType): string {
    const at = this.owner(scope, t) ?? scope;
    const key = `${t}|${to}`;
    let name = at.casts.get(key);
    if (!name) {
      name = at.graph.uniqueName(`${t}_${to === DataType.FLOAT16 ? 'float16' : 'float32'}`);
      at.out.push(makeNode('Cast', [t], [name], at.graph.uniqueNodeName(`${t}_Cast`), [intAttr('to', to)]));
      at.casts.set(key, name);
      this.castNodes++;
    }
    return name;
  }

  private convert(scope: Scope): void {
    const { graph, half, out } = scope;
    const order = graph.topologicalOrder();
    const planned = this.weights.get(graph) ?? new Set<string>();
    graph.initializers.forEach((init, i) => {
      if (init.dataType !== DataType.FLOAT || !planned.has(init.name)) return;
      graph.initializers[i] = toHalf(init, this.external.get(init), this.counts);
      half.add(init.name);
      this.convertedTensors++;
    });
    if (!graph.parent && !this.o.keepIoTypes) {
      for (const inp of graph.runtimeInputs()) {
        if (!this.isFloat(inp.name)) continue;
        retype(inp, DataType.FLOAT16);
        half.add(inp.name);
      }
    }
    for (const node of order) {
      const fp32 = this.kept.has(node);
      if (isConstantNode(node) && !fp32) {
        const attr = node.attribute.find((a) => a.name === 'value' && a.t);
        if (attr?.t && attr.t.dataType === DataType.FLOAT && planned.has(node.output[0])) {
          attr.t = toHalf(attr.t, undefined, this.counts);
          half.add(node.output[0]);
          this.convertedTensors++;
        }
        out.push(node);
        continue;
      }
      node.input.forEach((t, i) => {
        if (!this.isFloat(t)) return;
        const isHalf = this.isHalf(scope, t);
        const want = wantsHalf(this.kept, node, i);
        if (want && !isHalf) node.input[i] = this.cast(scope, t, DataType.FLOAT16);
        else if (!want && isHalf) node.input[i] = this.cast(scope, t, DataType.FLOAT);
      });
      for (const sub of graph.subgraphs(node)) this.convert({ graph: sub, parent: scope, half: new Set(), out: [], casts: new Map() });
      if (!fp32) {
        this.fp16Nodes++;
        retargetAttributes(node);
        for (const y of node.output) if (this.isFloat(y)) half.add(y);
      }
      out.push(node);
    }
    graph.proto.node = out;
    graph.invalidate();
    this.outputs(scope);
    for (const v of graph.valueInfo) if (half.has(v.name) && this.isFloat(v.name)) retype(v, DataType.FLOAT16);
    graph.invalidate();
  }

  /**
   * Graph outputs: a body's stay float32 (its If/Loop/Scan node keeps its types), and so do the model's with
   * keepIoTypes; the others become float16.
   */
  private outputs(scope: Scope): void {
    const { graph, half, out } = scope;
    const keep = graph.parent !== undefined || this.o.keepIoTypes;
    for (const v of graph.outputs) {
      if (!this.isFloat(v.name) || !this.isHalf(scope, v.name)) continue;
      if (!keep) {
        retype(v, DataType.FLOAT16);
        continue;
      }
      const producer = out.find((n) => n.output.includes(v.name));
      if (producer) {
        // the producer writes a float16 value under a new name; a Cast writes the output's own name
        const inner = graph.uniqueName(`${v.name}_float16`);
        producer.output.forEach((y, i) => (y === v.name ? (producer.output[i] = inner) : undefined));
        renameReads(out, v.name, inner);
        out.push(makeNode('Cast', [inner], [v.name], graph.uniqueNodeName(`${v.name}_Cast`), [intAttr('to', DataType.FLOAT)]));
        half.delete(v.name);
        half.add(inner);
      } else {
        // a body output that is an outer-scope value: cast it inside the body, under a name of its own
        const name = graph.uniqueName(`${v.name}_float32`);
        out.push(makeNode('Cast', [v.name], [name], graph.uniqueNodeName(`${v.name}_Cast`), [intAttr('to', DataType.FLOAT)]));
        v.name = name;
      }
      this.castNodes++;
    }
    graph.invalidate();
  }
}

/** Makes nodes (and the bodies they hold, where the name is not redefined) read `to` instead of `from`. */
function renameReads(nodes: readonly NodeProto[], from: string, to: string): void {
  for (const n of nodes) {
    n.input.forEach((x, i) => (x === from ? (n.input[i] = to) : undefined));
    forEachSubgraph(n, (g) => {
      if (!definedNames(g).has(from)) renameReads(g.node, from, to);
    });
  }
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
