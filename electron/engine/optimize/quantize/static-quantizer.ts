/** Static int8 quantization (QDQ): prepare the float model once, calibrate once, quantize with any exclusion set. */
import { clone } from '@bufbuild/protobuf';
import { StudioError } from '../../../../shared/api/errors';
import { inferShapes } from '../../analysis/shape-inference';
import type { ExternalRef } from '../../onnx/external-data';
import { mapClonedTensors, ModelIR } from '../../onnx/ir/model-ir';
import { ModelProtoSchema, type ModelProto, type NodeProto, type TensorProto } from '../../onnx/proto';
import { prepareGraph, WeightReader, type PrepResult } from './graph-prep';
import type { TensorStats } from './histogram';
import { emitQdq, type EmitResult } from './qdq-emit';
import { planStatic, type QdqPlan } from './qdq-plan';
import { computeQParams, type QParams } from './qparams';
import { tensorRange, type CalibrationMethod } from './range-methods';

export interface StaticQuantOptions {
  /** activation and weight types: S8S8, U8S8, or U8U8 (uint8 weights: slower kernels that never saturate on AVX2) */
  format: 's8s8' | 'u8s8' | 'u8u8';
  perChannel: boolean;
  /** symmetric activations (zero point in the middle); asymmetric lets Relu/Clip fold into the producer */
  symmetric: boolean;
  reduceRange: boolean;
  method: CalibrationMethod;
  percentile: number;
  includeOps: readonly string[];
  /** node names, or `/regex/` patterns, kept in float */
  exclude: readonly string[];
  /** leave in float the element-wise/pool/concat nodes whose neighbours stay float (see `planStatic`) */
  fusedOnly?: boolean;
}

/** The float model after preparation, with what quantization needs to know about it. */
export interface PreparedModel {
  proto: ModelProto;
  external: ReadonlyMap<TensorProto, ExternalRef>;
  prep: PrepResult;
  /** the element type of a tensor of any graph (main graph first), when known */
  dtypeOf(name: string): number | undefined;
  /** elements of a tensor for one item (symbolic dims count as 1) */
  elementsPerItem(name: string): number;
  /** the main-graph node producing a tensor in the float model (name and op type) */
  producerOf(tensor: string): { name: string; op: string } | undefined;
}

/**
 * Prepares a model for quantization in place: BatchNormalization folded into Conv, Identity over weights removed,
 * dead weights dropped; infers every tensor's type.
 * @param proto - a private copy the caller may give away
 */
export function prepareModel(proto: ModelProto, external: ReadonlyMap<TensorProto, ExternalRef>): PreparedModel {
  const ir = new ModelIR(proto);
  const prep = prepareGraph(ir.graph, new WeightReader(ir.graph, external));
  const inferred = inferShapes(ir, { external, dims: {} });
  const shapes = inferred.main.tensors;
  // names inside If/Loop/Scan bodies too (main-graph names first: bodies cannot redefine them)
  const dtypes = new Map<string, number>();
  for (const g of inferred.graphs) {
    for (const [name, r] of g.tensors) if (r.facts?.dtype && !dtypes.has(name)) dtypes.set(name, r.facts.dtype);
  }
  const producers = new Map<string, { name: string; op: string }>();
  for (const n of ir.graph.nodes) for (const o of n.output) if (o) producers.set(o, { name: n.name || n.opType, op: n.opType });
  return {
    proto,
    external,
    prep,
    dtypeOf: (name) => shapes.get(name)?.facts?.dtype || dtypes.get(name),
    elementsPerItem: (name) => {
      const shape = shapes.get(name)?.facts?.shape;
      if (!shape) return 1;
      return shape.reduce<number>((n, d, i) => n * (typeof d === 'number' && d > 0 ? (i === 0 && shape.length > 1 ? 1 : d) : 1), 1);
    },
    producerOf: (t) => producers.get(t),
  };
}

/** @returns a predicate matching nodes by exact name or `/regex/`. */
export function nodeMatcher(patterns: readonly string[]): (node: NodeProto) => boolean {
  const exact = new Set<string>();
  const regexes: RegExp[] = [];
  for (const p of patterns) {
    const m = /^\/(.+)\/([imsu]*)$/.exec(p);
    if (m) {
      try {
        regexes.push(new RegExp(m[1], m[2]));
      } catch (err) {
        throw new StudioError('INVALID_REQUEST', `The exclude pattern ${p} is not a valid regular expression (${(err as Error).message}).`);
      }
    } else exact.add(p);
  }
  return (node) => exact.has(node.name) || regexes.some((r) => r.test(node.name));
}

function planOptions(o: StaticQuantOptions, keepFloat: ReadonlySet<string>) {
  const excluded = nodeMatcher(o.exclude);
  return {
    includeOps: new Set(o.includeOps),
    isExcluded: (n: NodeProto) => excluded(n) || keepFloat.has(n.name),
    symmetricActivations: o.symmetric,
    perChannel: o.perChannel,
    fusedOnly: o.fusedOnly,
  };
}

/**
 * Plans quantization on a throw-away copy (to see what would be quantized before calibrating).
 * @returns the plan (its nodes belong to the copy)
 */
export function dryPlan(prepared: PreparedModel, o: StaticQuantOptions): QdqPlan {
  const copy = clone(ModelProtoSchema, prepared.proto);
  const ir = new ModelIR(copy);
  const weights = new WeightReader(ir.graph, mapClonedTensors(prepared.proto, copy, prepared.external));
  return planStatic(ir.graph, weights, prepared.dtypeOf, planOptions(o, new Set()));
}

/** One static quantization of a prepared model. */
export interface StaticResult {
  proto: ModelProto;
  external: ReadonlyMap<TensorProto, ExternalRef>;
  plan: QdqPlan;
  params: Map<string, QParams>;
  emitted: EmitResult;
}

/**
 * Quantizes a copy of the prepared model.
 * @param prepared - from {@link prepareModel} (left untouched)
 * @param stats - calibration statistics by float tensor name
 * @param o - options
 * @param keepFloat - more node names to keep in float (accuracy-aware mode)
 * @param inPlace - quantize the prepared model itself (the last run: unchanged tensors keep their identity, so their
 * external data references stay valid)
 */
export function quantizeStatic(
  prepared: PreparedModel,
  stats: ReadonlyMap<string, TensorStats>,
  o: StaticQuantOptions,
  keepFloat: ReadonlySet<string> = new Set(),
  inPlace = false,
): StaticResult {
  const copy = inPlace ? prepared.proto : clone(ModelProtoSchema, prepared.proto);
  const external = inPlace ? prepared.external : mapClonedTensors(prepared.proto, copy, prepared.external);
  const ir = new ModelIR(copy);
  const graph = ir.graph;
  const weights = new WeightReader(graph, external);
  const type = o.format === 's8s8' ? 'int8' : 'uint8';
  const plan = planStatic(graph, weights, prepared.dtypeOf, planOptions(o, keepFloat));
  const ranges = new Map<string, { lo: number; hi: number }>();
  for (const t of plan.tensors) {
    const source = plan.statsName.get(t) ?? t;
    const s = stats.get(source);
    if (!s || s.count === 0) {
      throw new StudioError('INTERNAL', `Tensor "${source}" was not seen during calibration, so it cannot be quantized. Report this model.`);
    }
    const r = tensorRange(s, { method: o.method, percentile: o.percentile, type, symmetric: o.symmetric });
    const root = plan.groupOf.get(t) ?? t;
    const g = ranges.get(root);
    ranges.set(root, g ? { lo: Math.min(g.lo, r.lo), hi: Math.max(g.hi, r.hi) } : r);
  }
  const params = new Map<string, QParams>();
  for (const t of plan.tensors) {
    const r = ranges.get(plan.groupOf.get(t) ?? t) as { lo: number; hi: number };
    params.set(t, computeQParams(r.lo, r.hi, type, o.symmetric));
  }
  const emitted = emitQdq(graph, plan, params, weights, {
    reduceRange: o.reduceRange,
    activationType: type,
    weightType: o.format === 'u8u8' ? 'uint8' : 'int8',
    symmetricActivations: o.symmetric,
  });
  return { proto: copy, external, plan, params, emitted };
}
