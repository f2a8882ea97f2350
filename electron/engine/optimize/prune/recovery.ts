/**
 * Recovery without training (He et al. 2017, "Channel Pruning for Accelerating Very Deep Neural Networks"): each layer
 * that lost input channels is re-fitted by least squares so its outputs on calibration data match the original's.
 */
import type { RecoveryLayerDto } from '../../../../shared/prune/prune-report';
import type { ModelIR } from '../../onnx/ir/model-ir';
import { DataType, type ModelProto, type NodeProto } from '../../onnx/proto';
import type { HostTensor } from '../../runtime/backend';
import type { ModelRuntime } from '../../runtime/calibration-run';
import { seededRandom } from '../../../../shared/random/seeded-random';
import { runItems, type Calibration } from './calibration';
import { fitLayerFor, type FitLayer } from './layer-fit';
import { NormalEquations } from './lstsq';
import { nodeLabel } from './channel-graph';
import type { ExternalMap } from './weights';

/** Features past which a layer is not re-fitted (the solve would take too long). */
const MAX_FEATURES = 4700;
/** Multiply-adds spent accumulating one layer's normal equations at most. */
const ACCUMULATE_BUDGET = 4e9;
/** Ridge strengths tried (fractions of the mean diagonal of AᵀA, pulling the fit toward the pruned weights). */
const RIDGES = [1e-4, 1e-3, 1e-2, 1e-1, 1];
/** Ridge strength used without a validation choice (layers too large to solve several times). */
const DEFAULT_RIDGE = 1e-2;
/** Features up to which the ridge strength is chosen on held-out rows. */
const CHOOSE_RIDGE_FEATURES = 1200;

export interface RecoveryInput {
  /** where the models run (the jobs' inference process) */
  runtime: ModelRuntime;
  reference: { proto: ModelProto; external: ExternalMap };
  pruned: ModelIR;
  external: ExternalMap;
  /** layers to re-fit, in topological order, with the original output channels each kept */
  layers: Array<{ node: NodeProto; outKeep: Int32Array | null }>;
  cal: Calibration;
  signal?: AbortSignal;
  progress(fraction: number, stage: string): void;
}

interface Planned {
  fit: FitLayer;
  /** per fit item: the rows sampled */
  positions: Map<number, number[]>;
  targets: Map<number, Float64Array[]>;
}

function rowBudget(features: number): number {
  return Math.max(64, Math.min(8192, Math.max(2048, 8 * features), Math.floor(ACCUMULATE_BUDGET / (features * features))));
}

/**
 * Re-fits the layers in place on `pruned`.
 * @returns what was fitted and what was skipped (with why)
 */
export async function recoverLayers(r: RecoveryInput): Promise<{ layers: RecoveryLayerDto[]; skipped: Array<{ node: string; reason: string }> }> {
  const skipped: Array<{ node: string; reason: string }> = [];
  const planned: Planned[] = [];
  for (const { node, outKeep } of r.layers) {
    const fit = fitLayerFor(r.pruned, r.external, node, outKeep);
    if (typeof fit === 'string') skipped.push({ node: nodeLabel(node), reason: fit });
    else if (fit.features > MAX_FEATURES) skipped.push({ node: nodeLabel(node), reason: `${fit.features} input features is too many for a least-squares re-fit` });
    else planned.push({ fit, positions: new Map(), targets: new Map() });
  }
  if (planned.length === 0) return { layers: [], skipped };
  // one pass over the original model collects every layer's targets at sampled rows
  r.progress(0, 'recovery: reading the original outputs');
  const ref = await r.runtime.openTensorRunner(r.reference.proto, r.reference.external, {
    signal: r.signal,
    what: 'the original model',
    extraOutputs: planned.map((p) => ({ name: p.fit.node.output[0], elemType: DataType.FLOAT })),
  });
  try {
    const rand = seededRandom(7);
    await runItems(ref, r.cal, r.cal.fit, planned.map((p) => p.fit.node.output[0]), (out, items) => {
      for (const p of planned) {
        const y = out[p.fit.node.output[0]];
        const per = p.fit.rowsPerItem(y.dims);
        const want = Math.min(per, Math.ceil(rowBudget(p.fit.features) / r.cal.fit.length));
        items.forEach((item, b) => {
          const pos = sample(per, want, rand);
          p.positions.set(item, pos);
          p.targets.set(item, pos.map((q) => {
            const t = new Float64Array(p.fit.targets);
            p.fit.target(y, b, q, t);
            return t;
          }));
        });
      }
    }, r.signal);
  } finally {
    await ref.release();
  }
  const layers: RecoveryLayerDto[] = [];
  for (let i = 0; i < planned.length; i++) {
    const p = planned[i];
    r.progress((i + 0.2) / planned.length, `recovery: re-fitting ${nodeLabel(p.fit.node)}`);
    layers.push(await refit(r, p));
  }
  return { layers, skipped };
}

async function refit(r: RecoveryInput, p: Planned): Promise<RecoveryLayerDto> {
  const input = p.fit.node.input[0];
  // every 5th row is held out to choose the ridge strength
  const fit = new NormalEquations(p.fit.features, p.fit.targets);
  const val = new NormalEquations(p.fit.features, p.fit.targets);
  const runner = await r.runtime.openTensorRunner(r.pruned.proto, r.external, { what: 'the pruned model', signal: r.signal, extraOutputs: [{ name: input, elemType: DataType.FLOAT }] });
  const row = new Float64Array(p.fit.features);
  let n = 0;
  try {
    await runItems(runner, r.cal, r.cal.fit, [input], (out, items) => {
      const x: HostTensor = out[input];
      items.forEach((item, b) => {
        const targets = p.targets.get(item) ?? [];
        (p.positions.get(item) ?? []).forEach((q, k) => {
          p.fit.gather(x, b, q, row);
          (n++ % 5 === 4 ? val : fit).addRow(row, targets[k]);
        });
      });
    }, r.signal);
  } finally {
    await runner.release();
  }
  const w0 = p.fit.initial();
  let alpha = DEFAULT_RIDGE;
  if (p.fit.features <= CHOOSE_RIDGE_FEATURES && val.rows > 0) {
    let best = val.residual(w0);
    for (const a of RIDGES) {
      const e = val.residual(fit.solve(w0, a));
      if (e < best) [best, alpha] = [e, a];
    }
  }
  fit.merge(val);
  const before = fit.residual(w0);
  const sol = fit.solve(w0, alpha);
  const after = fit.residual(sol);
  const norm = Math.sqrt(Math.max(fit.yy, 1e-30));
  if (after < before) p.fit.write(sol);
  return {
    node: nodeLabel(p.fit.node),
    rows: fit.rows,
    features: p.fit.features,
    errorBefore: Math.sqrt(before) / norm,
    errorAfter: Math.sqrt(Math.min(after, before)) / norm,
  };
}

/** @returns `k` distinct indexes of `n`, ascending (all of them when k ≥ n). */
function sample(n: number, k: number, rand: () => number): number[] {
  if (k >= n) return Array.from({ length: n }, (_, i) => i);
  const chosen = new Set<number>();
  while (chosen.size < k) chosen.add(Math.floor(rand() * n));
  return [...chosen].sort((a, b) => a - b);
}

/**
 * Remembers the main graph's weights and node inputs/attributes, so a re-fit that made things worse can be undone.
 * @returns the snapshot, with `restore()`
 */
export function snapshotWeights(model: ModelIR): { restore(): void } {
  const g = model.graph;
  const inits = [...g.initializers];
  const inputs = [...g.inputs];
  const nodes = g.nodes.map((n) => ({ n, input: [...n.input], attribute: [...n.attribute] }));
  return {
    restore() {
      g.initializers.splice(0, g.initializers.length, ...inits);
      g.inputs.splice(0, g.inputs.length, ...inputs);
      for (const { n, input, attribute } of nodes) {
        n.input = input;
        n.attribute = attribute;
      }
      g.invalidate();
    },
  };
}
