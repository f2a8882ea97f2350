/** The compatibility check: which provider takes each node, ops and dtypes a target cannot run, memory and storage. */
import type { ModelAnalysisDto, NodeAnalysisDto } from '../../../shared/api/analysis-api';
import type { EpAssignmentDto, FindingDto, MemoryEstimateDto } from '../../../shared/api/targets-api';
import { formatBytes } from '../../../shared/format/bytes';
import type { TargetProfile } from '../../../shared/targets/profile-schema';
import { epHasOp, epSupportTable, FUNCTION_OPS, GRAPH_LEVEL_OPS, type EpSupport } from './ep-support';

type Analysis = Omit<ModelAnalysisDto, 'modelId'>;

/** The EPs that play the CPU's role (run whatever the accelerators cannot). */
const HOST_EPS = new Set(['cpu', 'wasm']);

const PRECISION_DTYPE: Record<string, string> = { fp32: 'float32', fp16: 'float16', bf16: 'bfloat16', fp64: 'float64', int8: 'int8', int4: 'int8' };

/** Where each node runs and what the check found. */
export interface CompatibilityResult {
  findings: FindingDto[];
  assignment: EpAssignmentDto[];
  /** EP of each node, keyed `graph/index` */
  nodeEp: Map<string, string>;
  memory: MemoryEstimateDto;
}

function nodeKey(n: NodeAnalysisDto): string {
  return `${n.graph}/${n.index}`;
}

/** Groups nodes by op type into one finding each. */
function grouped(nodes: NodeAnalysisDto[], make: (opType: string, list: NodeAnalysisDto[]) => FindingDto): FindingDto[] {
  const byOp = new Map<string, NodeAnalysisDto[]>();
  for (const n of nodes) byOp.set(n.opType, [...(byOp.get(n.opType) ?? []), n]);
  return [...byOp.entries()].map(([op, list]) => ({
    ...make(op, list),
    opType: op,
    nodes: list.slice(0, 20).map((n) => n.name || `${n.opType} #${n.index}`),
    nodeCount: list.length,
  }));
}

/**
 * Checks a model against a profile.
 * @param profile - the target
 * @param analysis - the model's analysis (shapes, per-node figures, totals)
 * @param storageBytes - the model's files on disk (model + external data)
 * @param table - per-EP support data (defaults to the bundled files)
 */
export function checkCompatibility(profile: TargetProfile, analysis: Analysis, storageBytes: number, table: Map<string, EpSupport> = epSupportTable()): CompatibilityResult {
  const eps = profile.executionProviders;
  const hostEp = eps.find((e) => HOST_EPS.has(e));
  const accelerated = eps.some((e) => !HOST_EPS.has(e));
  const nodeEp = new Map<string, string>();
  const counts = new Map<string, { nodes: number; ops: Set<string> }>();
  const unsupported: NodeAnalysisDto[] = [];
  const fellBack: NodeAnalysisDto[] = [];
  const movedOn: Array<NodeAnalysisDto & { from: string; to: string }> = [];
  const decomposed: NodeAnalysisDto[] = [];
  const denied = new Set(profile.unsupportedOps);
  const deniedHits: NodeAnalysisDto[] = [];
  const precisions = new Set<string>();

  for (const n of analysis.nodes) {
    if (n.opType === 'Constant' && (n.domain === '' || n.domain === 'ai.onnx')) continue;
    if (denied.has(n.opType)) deniedHits.push(n);
    if (['conv', 'matmul', 'attention'].includes(n.opClass)) precisions.add(n.precision);
    const dtype = PRECISION_DTYPE[n.precision];
    let chosen: string | undefined;
    for (const ep of eps) {
      const support = table.get(ep);
      const dtypeOk = !support || !dtype || support.dtypes.includes(dtype) || n.opClass === 'data' || n.opClass === 'view';
      if (epHasOp(support, n.opType, n.domain) && dtypeOk) {
        chosen = ep;
        break;
      }
      if (!HOST_EPS.has(ep) && FUNCTION_OPS.has(n.opType) && dtypeOk) {
        decomposed.push(n);
        chosen = ep;
        break;
      }
    }
    if (!chosen) {
      unsupported.push(n);
      continue;
    }
    nodeEp.set(nodeKey(n), chosen);
    const c = counts.get(chosen) ?? { nodes: 0, ops: new Set<string>() };
    c.nodes++;
    c.ops.add(n.opType);
    counts.set(chosen, c);
    if (GRAPH_LEVEL_OPS.has(n.opType)) continue;
    if (accelerated && chosen === hostEp) fellBack.push(n);
    else if (chosen !== eps[0] && !HOST_EPS.has(chosen)) movedOn.push({ ...n, from: eps[0], to: chosen });
  }

  const findings: FindingDto[] = [];
  findings.push(
    ...grouped(unsupported, (op, list) => ({
      code: 'op-unsupported',
      severity: 'error',
      title: `${op} cannot run on ${profile.name}`,
      detail: `${list.length} node${list.length === 1 ? '' : 's'} of ${op}${list[0].domain ? ` (domain ${list[0].domain})` : ''} ${list.length === 1 ? 'has' : 'have'} no kernel in ${eps.join(', ')}${hostEp ? '' : ', and the profile has no CPU fallback'}.`,
      suggestion: `Replace ${op} with ops the target runs, or choose a target whose runtime has it (the CPU provider of "This host" runs every standard op).`,
    })),
    ...grouped(deniedHits, (op, list) => ({
      code: 'op-denied-by-profile',
      severity: 'error',
      title: `${profile.name} lists ${op} as unsupported`,
      detail: `The profile marks ${op} as known not to work on this device; the model has ${list.length} such node${list.length === 1 ? '' : 's'}.`,
      suggestion: `Replace ${op}, or edit the profile's unsupported ops if that is no longer true.`,
    })),
    ...grouped(fellBack, (op, list) => ({
      code: 'op-cpu-fallback',
      severity: 'warning',
      title: `${op} falls back to ${hostEp === 'wasm' ? 'WebAssembly' : 'the CPU'}`,
      detail: `${eps.filter((e) => !HOST_EPS.has(e)).join(' and ')} ${eps.filter((e) => !HOST_EPS.has(e)).length > 1 ? 'have' : 'has'} no kernel for ${op} (${list.length} node${list.length === 1 ? '' : 's'}); ${hostEp} runs ${list.length === 1 ? 'it' : 'them'}, with copies between device and host memory around each. The latency estimate counts these nodes at the accelerator's speed, so it is optimistic.`,
      suggestion: `Rewrite ${op} with supported ops (or fold it away with graph optimization), or accept the copies if the node is cheap.`,
    })),
  );
  for (const [to, list] of groupBy(movedOn, (m) => m.to)) {
    findings.push(
      ...grouped(list, (op, l) => ({
        code: 'op-next-provider',
        severity: 'info',
        title: `${op} runs on ${to}, not ${eps[0]}`,
        detail: `${eps[0]} has no kernel for ${op}; its ${l.length} node${l.length === 1 ? '' : 's'} go${l.length === 1 ? 'es' : ''} to ${to}, splitting the ${eps[0]} graph.`,
        suggestion: `Fine for a few nodes; many splits cost time. Replace ${op} if ${eps[0]} should take the whole model.`,
      })),
    );
  }
  if (decomposed.length) {
    findings.push(
      ...grouped(decomposed, (op, list) => ({
        code: 'op-decomposed',
        severity: 'info',
        title: `${op} is expanded into basic ops`,
        detail: `${op} is an ONNX function; onnxruntime expands its ${list.length} node${list.length === 1 ? '' : 's'} into simpler ops the provider has.`,
        suggestion: 'Nothing to do; a fused kernel, where one exists, would be faster.',
      })),
    );
  }
  const unknownEps = eps.filter((e) => !table.has(e));
  if (unknownEps.length) {
    findings.push({
      code: 'ep-support-unknown',
      severity: 'info',
      title: `No op list for ${unknownEps.join(', ')}`,
      detail: `The studio has no data on which ops ${unknownEps.join(' and ')} run${unknownEps.length === 1 ? 's' : ''}, so every op is assumed supported there.`,
      suggestion: 'Check the provider\u2019s documentation, and list ops known not to work in the profile\u2019s unsupportedOps.',
    });
  }
  findings.push(...precisionFindings(profile, precisions, analysis, table));
  const memory = memoryEstimate(profile, analysis, storageBytes);
  findings.push(...memoryFindings(profile, memory, analysis));
  const order = { error: 0, warning: 1, info: 2 } as const;
  findings.sort((a, b) => order[a.severity] - order[b.severity]);
  const assignment = eps
    .filter((e) => counts.has(e))
    .map((ep) => ({ ep, nodes: counts.get(ep)!.nodes, opTypes: [...counts.get(ep)!.ops].sort() }));
  return { findings, assignment, nodeEp, memory };
}

function groupBy<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const i of items) m.set(key(i), [...(m.get(key(i)) ?? []), i]);
  return m;
}

function precisionFindings(profile: TargetProfile, used: Set<string>, analysis: Analysis, table: Map<string, EpSupport>): FindingDto[] {
  const out: FindingDto[] = [];
  const supported = new Set<string>(profile.precisions.supported);
  const name = profile.name;
  if (used.has('fp16') && !supported.has('fp16')) {
    out.push({
      code: 'dtype-fp16-slow',
      severity: 'warning',
      title: `float16 compute is not native on ${name}`,
      detail: 'The model computes in float16, which this target does not run natively; onnxruntime inserts casts or uses slow kernels, so it will be slower than float32.',
      suggestion: 'Use the float32 model for this target, or choose a target with float16 support.',
    });
  }
  if ((used.has('int8') || used.has('int4')) && !supported.has('int8') && !supported.has('int4')) {
    out.push({
      code: 'dtype-int8-dequantized',
      severity: 'warning',
      title: `int8 is not accelerated on ${name}`,
      detail: 'The model is quantized, but this target computes in floating point: it dequantizes the weights at run time. The file is smaller; it will not be faster.',
      suggestion: `Use a ${profile.precisions.preferred} model for this target.`,
    });
  }
  const dtypes = new Set(analysis.tensors.map((t) => t.dtype));
  for (const ep of profile.executionProviders) {
    const support = table.get(ep);
    if (!support || ep === 'cpu') continue;
    const missing = [...dtypes].filter((d) => ['float64', 'int64', 'bfloat16', 'float16'].includes(d) && !support.dtypes.includes(d));
    for (const d of missing) {
      out.push({
        code: `dtype-${d}-${ep}`,
        severity: d === 'int64' ? 'info' : 'warning',
        title: `${support.name} has no ${d} tensors`,
        detail: d === 'int64' ? `${support.name} casts int64 tensors (shapes, indices) to int32; values beyond ±2³¹ would be clamped.` : `Nodes working on ${d} tensors fall back to the next provider.`,
        suggestion: d === 'int64' ? 'Usually harmless: int64 holds shapes and indices.' : `Convert ${d} tensors to float32 before deploying to ${name}.`,
      });
    }
  }
  if (used.size > 0 && !used.has(profile.precisions.preferred) && supported.has(profile.precisions.preferred) && profile.precisions.preferred !== 'fp32') {
    const d = profile.recipeDefaults;
    out.push({
      code: 'precision-not-preferred',
      severity: 'info',
      title: `${name} is fastest in ${profile.precisions.preferred}`,
      detail: `The model computes in ${[...used].join(', ')}; the target's preferred precision is ${profile.precisions.preferred}.`,
      suggestion:
        profile.precisions.preferred === 'fp16'
          ? 'Convert the model to float16 in the Optimize place.'
          : `Quantize in the Optimize place (${d.quantization.mode} ${d.quantization.format.toUpperCase()}, ${d.quantization.weightType} weights, ${d.quantization.calibration} calibration).`,
    });
  }
  if (profile.executionProviders.includes('tensorrt') && Object.keys(analysis.assumedDims).length) {
    out.push({
      code: 'dynamic-shapes-tensorrt',
      severity: 'info',
      title: 'TensorRT builds engines for fixed sizes',
      detail: `The model has symbolic dims (${Object.keys(analysis.assumedDims).join(', ')}); TensorRT needs an optimization profile (min/opt/max) for them and rebuilds its engine for sizes outside it.`,
      suggestion: 'Give the sizes you deploy with, or set TensorRT profile shapes when packaging.',
    });
  }
  return out;
}

function memoryEstimate(profile: TargetProfile, analysis: Analysis, storageBytes: number): MemoryEstimateDto {
  const weightBytes = analysis.totals.weightBytes;
  const peak = analysis.totals.peakActivationBytes;
  return {
    weightBytes,
    peakActivationBytes: peak,
    totalBytes: weightBytes + peak,
    budgetBytes: profile.memoryBudgetBytes,
    storageBytes,
    storageBudgetBytes: profile.storageBudgetBytes,
  };
}

function memoryFindings(profile: TargetProfile, m: MemoryEstimateDto, analysis: Analysis): FindingDto[] {
  const out: FindingDto[] = [];
  const what = `weights ${formatBytes(m.weightBytes)} + peak activations ${formatBytes(m.peakActivationBytes)} = ${formatBytes(m.totalBytes)}`;
  const sizes = Object.keys(analysis.assumedDims).length ? ` (at ${Object.keys(analysis.assumedDims).map((k) => `${k} = 1`).join(', ')})` : '';
  if (m.totalBytes > m.budgetBytes) {
    out.push({
      code: 'memory-over-budget',
      severity: 'error',
      title: `Needs more memory than ${profile.name} allows`,
      detail: `${what}${sizes}, over the budget of ${formatBytes(m.budgetBytes)}.`,
      suggestion: 'Quantize the weights (int8 is 4× smaller than float32), prune, use a smaller input size or batch, or choose a target with more memory.',
    });
  } else if (m.totalBytes > 0.8 * m.budgetBytes) {
    out.push({
      code: 'memory-near-budget',
      severity: 'warning',
      title: `Uses most of ${profile.name}'s memory budget`,
      detail: `${what}${sizes}: ${((100 * m.totalBytes) / m.budgetBytes).toFixed(0)} % of ${formatBytes(m.budgetBytes)}; onnxruntime's arena and the app need some too.`,
      suggestion: 'Leave headroom: quantize or prune, or lower the batch size.',
    });
  }
  if (m.storageBytes > m.storageBudgetBytes) {
    out.push({
      code: 'storage-over-budget',
      severity: 'error',
      title: `Too large for ${profile.name}'s storage budget`,
      detail: `The model files take ${formatBytes(m.storageBytes)}, over the budget of ${formatBytes(m.storageBudgetBytes)}.`,
      suggestion: 'Quantize (int8 weights are 4× smaller than float32) or prune, then compress the package.',
    });
  }
  if (!analysis.complete) {
    out.push({
      code: 'shapes-unknown',
      severity: 'warning',
      title: 'Some tensor shapes are unknown',
      detail: `${analysis.unknownTensors.length} tensor${analysis.unknownTensors.length === 1 ? '' : 's'} have no static shape, so memory and latency leave them out.`,
      suggestion: 'Give sizes for the symbolic dims, or let the analysis run the model once to measure them.',
    });
  }
  return out;
}
