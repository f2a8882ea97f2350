/** Latency estimates by roofline: per node the larger of compute time and memory time, plus a fixed overhead, summed. */
import type { ModelAnalysisDto, NodeAnalysisDto } from '../../../shared/api/analysis-api';
import type { LatencyEstimateDto, LatencyNodeDto } from '../../../shared/api/targets-api';
import type { DeviceClass, Precision, TargetProfile } from '../../../shared/targets/profile-schema';
import type { ModelIR } from '../onnx/ir/model-ir';

type Analysis = Omit<ModelAnalysisDto, 'modelId'>;
type Efficiency = Required<NonNullable<TargetProfile['efficiency']>>;

/** Fractions of peak a tuned runtime reaches, by device class (used where a profile gives none). */
export const DEFAULT_EFFICIENCY: Record<DeviceClass, Efficiency> = {
  'desktop-cpu': { conv: 0.4, matmul: 0.5, attention: 0.3, other: 0.25, bandwidth: 0.6 },
  'server-cpu': { conv: 0.4, matmul: 0.5, attention: 0.3, other: 0.25, bandwidth: 0.6 },
  'edge-arm-cpu': { conv: 0.4, matmul: 0.45, attention: 0.3, other: 0.25, bandwidth: 0.5 },
  'mobile-arm-cpu': { conv: 0.35, matmul: 0.4, attention: 0.25, other: 0.25, bandwidth: 0.4 },
  'nvidia-gpu': { conv: 0.4, matmul: 0.5, attention: 0.3, other: 0.25, bandwidth: 0.6 },
  npu: { conv: 0.5, matmul: 0.5, attention: 0.3, other: 0.2, bandwidth: 0.5 },
  browser: { conv: 0.3, matmul: 0.35, attention: 0.25, other: 0.2, bandwidth: 0.3 },
};

const DEFAULT_OVERHEAD_US: Record<DeviceClass, number> = {
  'desktop-cpu': 3,
  'server-cpu': 5,
  'edge-arm-cpu': 6,
  'mobile-arm-cpu': 6,
  'nvidia-gpu': 10,
  npu: 10,
  browser: 20,
};

const DEFAULT_UNCERTAINTY: Record<DeviceClass, number> = {
  'desktop-cpu': 2,
  'server-cpu': 3,
  'edge-arm-cpu': 2.5,
  'mobile-arm-cpu': 3,
  'nvidia-gpu': 3,
  npu: 3,
  browser: 3,
};

const FUSABLE_ACTIVATIONS = new Set(['Relu', 'Clip', 'LeakyRelu', 'Sigmoid', 'HardSigmoid', 'Tanh', 'HardSwish', 'BatchNormalization']);
const FUSING_PRODUCERS = new Set(['Conv', 'ConvTranspose', 'Gemm', 'MatMul', 'FusedConv']);

/**
 * Main-graph nodes onnxruntime fuses into the node before them (Conv+BatchNorm, Conv/Gemm+activation, Conv+Add for
 * a residual at level `all`), and the Q/DQ pairs it folds into quantized kernels, keyed `main/index`. Every latency
 * estimate (Target, Optimize, reports) takes its fusions from here, so one model on one profile has one estimate.
 * @param ir - the model
 * @param level - the graph optimization level the target uses
 */
export function fusedNodeKeys(ir: ModelIR, level: TargetProfile['graphOptimizationLevel']): Set<string> {
  const out = new Set<string>();
  if (level === 'disabled') return out;
  const g = ir.graph;
  const fusedInto = new Set<string>();
  g.nodes.forEach((node, i) => {
    // onnxruntime folds Q/DQ pairs into its quantized kernels (QLinearConv, QGemm …); only a Q at a graph input runs
    if (node.opType === 'DequantizeLinear' || (node.opType === 'QuantizeLinear' && !g.isInput(node.input[0]))) {
      out.add(`main/${i}`);
      return;
    }
    const isAct = FUSABLE_ACTIVATIONS.has(node.opType);
    const isAdd = node.opType === 'Add' && level === 'all';
    if (!isAct && !isAdd) return;
    for (const input of isAct ? node.input.slice(0, 1) : node.input) {
      const p = g.producer(input);
      if (p && FUSING_PRODUCERS.has(p.opType) && g.consumers(input).length === 1 && !g.isOutput(input)) {
        out.add(`main/${i}`);
        fusedInto.add(input);
        break;
      }
      // Conv → Add → Relu: the Relu joins the fused Conv+Add
      if (isAct && p?.opType === 'Add' && out.has(`main/${g.indexOf(p)}`) && g.consumers(input).length === 1) {
        out.add(`main/${i}`);
        break;
      }
    }
  });
  return out;
}

function classEfficiency(e: Efficiency, n: NodeAnalysisDto): number {
  if (n.opClass === 'conv') return e.conv;
  if (n.opClass === 'matmul') return e.matmul;
  if (n.opClass === 'attention') return e.attention;
  return e.other;
}

/**
 * Estimates one inference's latency on a target.
 * @param profile - the target
 * @param analysis - per-node figures at the sizes to estimate for
 * @param fused - node keys (`graph/index`) onnxruntime fuses away
 */
export function estimateLatency(profile: TargetProfile, analysis: Analysis, fused: ReadonlySet<string> = new Set()): LatencyEstimateDto {
  const eff: Efficiency = { ...DEFAULT_EFFICIENCY[profile.deviceClass], ...(profile.efficiency ?? {}) };
  const overheadUs = profile.perNodeOverheadUs ?? DEFAULT_OVERHEAD_US[profile.deviceClass];
  const factor = profile.uncertaintyFactor ?? DEFAULT_UNCERTAINTY[profile.deviceClass];
  const bandwidth = profile.memoryBandwidthGBs * eff.bandwidth * 1e9;
  const supported = new Set<string>(profile.precisions.supported);
  const fallbackPrecisions = new Set<string>();
  let compute = 0;
  let memory = 0;
  let overhead = 0;
  let fusedCount = 0;
  const byOpClass: Record<string, number> = {};
  const perNode: Record<string, number> = {};
  const nodes: LatencyNodeDto[] = [];
  for (const n of analysis.nodes) {
    if (n.runs === 0 || n.opClass === 'view' || n.opClass === 'control' || n.opType === 'Constant') continue;
    const key = `${n.graph}/${n.index}`;
    const label = n.name || `#${n.index}`;
    const overlayKey = n.graph === 'main' ? label : `${n.graph}/${label}`;
    if (fused.has(key)) {
      fusedCount++;
      perNode[overlayKey] = 0;
      continue;
    }
    let precision = n.precision as string;
    if (!supported.has(precision) || profile.peakGops[precision as Precision] === undefined) {
      if (n.flops > 0 && ['fp16', 'bf16', 'int8', 'int4'].includes(precision)) fallbackPrecisions.add(precision);
      precision = 'fp32';
    }
    const peak = (profile.peakGops[precision as Precision] ?? profile.peakGops.fp32 ?? Object.values(profile.peakGops)[0] ?? 1) * 1e9;
    const tc = n.flops / (peak * classEfficiency(eff, n));
    const bytes = n.inputBytes + n.paramBytes + n.outputBytes;
    const tm = bytes / bandwidth;
    const to = n.opClass === 'data' && bytes === 0 ? overheadUs * 1e-6 * 0.25 : overheadUs * 1e-6;
    const ms = (Math.max(tc, tm) + to) * 1e3 * n.runs;
    compute += tc >= tm ? tc * 1e3 * n.runs : 0;
    memory += tm > tc ? tm * 1e3 * n.runs : 0;
    overhead += to * 1e3 * n.runs;
    byOpClass[n.opClass] = (byOpClass[n.opClass] ?? 0) + ms;
    perNode[overlayKey] = ms;
    nodes.push({ name: n.name || `${n.opType} #${n.index}`, opType: n.opType, graph: n.graph, ms, bound: to > Math.max(tc, tm) ? 'overhead' : tc >= tm ? 'compute' : 'memory', precision });
  }
  const total = compute + memory + overhead;
  const assumptions = [
    `Per node: max(FLOPs ÷ (peak × efficiency), bytes moved ÷ (bandwidth × ${eff.bandwidth})) + ${overheadUs} µs; efficiency conv ${eff.conv}, matmul ${eff.matmul}, attention ${eff.attention}, other ${eff.other}.`,
    `Uncertainty ×/÷ ${factor}: datasheet peaks, default efficiencies and no cache effects.`,
  ];
  if (fusedCount) assumptions.push(`${fusedCount} nodes are taken as fused into their producer by onnxruntime's graph optimizations (Conv+BatchNorm/activation, Conv+Add).`);
  if (fallbackPrecisions.size) assumptions.push(`${[...fallbackPrecisions].join(', ')} nodes run as fp32 here: the target does not support that precision.`);
  if (!analysis.costsKnown) assumptions.push('Some node costs are unknown (missing shapes) and count as 0.');
  if (Object.keys(analysis.assumedDims).length) assumptions.push(`At ${Object.keys(analysis.assumedDims).map((k) => `${k} = 1`).join(', ')}.`);
  return {
    ms: total,
    lowMs: total / factor,
    highMs: total * factor,
    uncertaintyFactor: factor,
    computeBoundMs: compute,
    memoryBoundMs: memory,
    overheadMs: overhead,
    fusedNodes: fusedCount,
    byOpClass,
    slowestNodes: nodes.sort((a, b) => b.ms - a.ms).slice(0, 12),
    perNode,
    assumptions,
  };
}
