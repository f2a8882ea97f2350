/** The model analysis: every tensor's shape, per-node figures, totals and peak activation memory, as one DTO. */
import type { ModelAnalysisDto, ShapeSource, TensorShapeDto } from '../../../shared/api/analysis-api';
import { dtypeName } from '../onnx/dtypes';
import { ModelIR } from '../onnx/ir/model-ir';
import type { LoadedModel } from '../onnx/load';
import { dimSymbols } from './dims';
import type { TensorFacts } from './infer-types';
import { factBytes, NodeFigures } from './node-figures';
import { peakActivationMemory } from './peak-memory';
import { inferShapes, type ShapeInference } from './shape-inference';
import { isComplete } from './tensor-facts';

export interface AnalyzeOptions {
  /** sizes of symbolic dims */
  dims?: Readonly<Record<string, number>>;
  /** main-graph tensor facts measured by one onnxruntime run (fill what inference left open) */
  runtimeFacts?: ReadonlyMap<string, TensorFacts>;
}

/** The analysis and the inference it was computed from (for callers that need the facts). */
export interface AnalysisResult {
  dto: Omit<ModelAnalysisDto, 'modelId'>;
  inference: ShapeInference;
  ir: ModelIR;
}

const MAX_LISTED_UNKNOWN = 100;

/**
 * Analyses a loaded model.
 * @param loaded - the model (never modified)
 * @param options - symbol sizes and runtime-measured facts
 */
export function analyzeModel(loaded: LoadedModel, options: AnalyzeOptions = {}): AnalysisResult {
  const ir = new ModelIR(loaded.proto);
  const dims = { ...(options.dims ?? {}) };
  const inference = inferShapes(ir, { dims, external: loaded.external });
  const runtimeFilled = applyRuntimeFacts(inference, options.runtimeFacts);

  const assumedDims: Record<string, number> = {};
  for (const input of ir.graph.runtimeInputs()) {
    for (const d of inference.main.tensors.get(input.name)?.facts?.shape ?? []) {
      for (const sym of dimSymbols(d)) if (dims[sym] === undefined) assumedDims[sym] = 1;
    }
  }
  const sizes = { ...assumedDims, ...dims };
  const figures = new NodeFigures(inference, sizes).run();
  const memory = peakActivationMemory(inference.main, sizes);

  const tensors: TensorShapeDto[] = [];
  const shapeSources: Record<ShapeSource, number> = { input: 0, weight: 0, inferred: 0, declared: 0, runtime: 0, unknown: 0 };
  const unknownTensors: string[] = [];
  for (const g of inference.graphs) {
    for (const [name, rec] of g.tensors) {
      const complete = isComplete(rec.facts) || Boolean(rec.facts?.nonTensor);
      const source: ShapeSource = complete || rec.source !== 'inferred' ? rec.source : 'unknown';
      shapeSources[source]++;
      if (!complete && unknownTensors.length < MAX_LISTED_UNKNOWN) unknownTensors.push(g.path === 'main' ? name : `${g.path}:${name}`);
      tensors.push({
        name,
        graph: g.path,
        dtype: rec.facts?.nonTensor ?? (rec.facts?.dtype ? dtypeName(rec.facts.dtype) : 'unknown'),
        shape: rec.facts?.shape ?? null,
        source,
        bytes: factBytes(rec.facts, sizes),
      });
    }
  }
  const counted = figures.nodes.filter((n) => n.runs > 0);
  const weightBytes = ir.graph.initializers.reduce((s, t) => s + (factBytes({ dtype: t.dataType, shape: t.dims.map(Number) }, {}) ?? 0), 0);
  const constantBytes = figures.nodes.filter((n) => n.opType === 'Constant' && n.graph === 'main').length ? constantNodeBytes(ir) : 0;
  const notes = [...figures.notes];
  if (Object.keys(assumedDims).length) {
    notes.push(`Figures are per ${Object.keys(assumedDims).map((s) => `${s} = 1`).join(', ')}; give sizes to scale them.`);
  }
  if (inference.unknownOps.size) notes.push(`No shape rule for: ${[...inference.unknownOps.keys()].join(', ')}.`);
  if (memory.atNode) notes.push(`Peak activation memory is reached at node ${memory.atNode}.`);
  const dto: Omit<ModelAnalysisDto, 'modelId'> = {
    dims,
    assumedDims,
    complete: unknownTensors.length === 0,
    costsKnown: counted.every((n) => n.known),
    totals: {
      macs: counted.reduce((s, n) => s + n.macs * n.runs, 0),
      flops: counted.reduce((s, n) => s + n.flops * n.runs, 0),
      params: counted.length ? sumParams(ir) : 0,
      weightBytes: weightBytes + constantBytes,
      activationBytes: memory.totalBytes,
      peakActivationBytes: memory.peakBytes,
    },
    shapeSources,
    unknownTensors,
    unknownOps: Object.fromEntries(inference.unknownOps),
    runtimeFallback: { used: runtimeFilled > 0, tensors: runtimeFilled, message: null },
    notes,
    nodes: figures.nodes,
    tensors,
  };
  return { dto, inference, ir };
}

/** Fills main-graph tensors inference left incomplete with facts from a runtime run. @returns how many it filled. */
function applyRuntimeFacts(inference: ShapeInference, facts: ReadonlyMap<string, TensorFacts> | undefined): number {
  if (!facts) return 0;
  let filled = 0;
  for (const [name, f] of facts) {
    const rec = inference.main.tensors.get(name);
    if (rec && !isComplete(rec.facts)) {
      inference.main.tensors.set(name, { facts: f, source: 'runtime' });
      filled++;
    }
  }
  return filled;
}

function sumParams(ir: ModelIR): number {
  let n = ir.graph.initializers.reduce((s, t) => s + t.dims.reduce((p, d) => p * Number(d), 1), 0);
  for (const node of ir.graph.nodes) {
    const t = node.opType === 'Constant' ? node.attribute.find((a) => a.name === 'value')?.t : undefined;
    if (t) n += t.dims.reduce((p, d) => p * Number(d), 1);
  }
  return n;
}

function constantNodeBytes(ir: ModelIR): number {
  let bytes = 0;
  for (const node of ir.graph.nodes) {
    const t = node.opType === 'Constant' ? node.attribute.find((a) => a.name === 'value')?.t : undefined;
    if (t) bytes += factBytes({ dtype: t.dataType, shape: t.dims.map(Number) }, {}) ?? 0;
  }
  return bytes;
}
