/** Graph overlays from the analysis (FLOPs, activation bytes per node) and from the chosen target's latency estimate. */
import type { ModelAnalysisDto } from '../../shared/api/analysis-api';
import type { CheckResultDto } from '../../shared/api/targets-api';
import type { NodeOverlay } from '../../shared/graph/overlay';
import { studioClient } from '../services';

/** @returns the FLOPs and activation-bytes overlays of the main graph (keys as the graph view uses them). */
export function analysisOverlays(a: Pick<ModelAnalysisDto, 'nodes'>): NodeOverlay[] {
  const flops: Record<string, number> = {};
  const bytes: Record<string, number> = {};
  for (const n of a.nodes) {
    if (n.graph !== 'main') continue;
    const key = n.name || `#${n.index}`;
    if (n.flops > 0) flops[key] = n.flops * Math.max(1, n.runs);
    if (n.outputBytes > 0) bytes[key] = n.outputBytes;
  }
  return [
    { id: 'flops', title: 'FLOPs', unit: 'FLOPs', values: flops, scale: 'log' },
    { id: 'activations', title: 'Activation size', unit: 'bytes', values: bytes, scale: 'log' },
  ];
}

/** @returns the estimated-latency overlay of a target check (main graph nodes). */
export function estimateOverlay(check: CheckResultDto): NodeOverlay | null {
  if (!check.latency) return null;
  const values: Record<string, number> = {};
  for (const [key, ms] of Object.entries(check.latency.perNode)) if (!key.includes('/') && ms > 0) values[key] = ms;
  return { id: 'estimated-latency', title: `Estimated latency on ${check.target.name}`, unit: 'ms', values, scale: 'log' };
}

/**
 * Fetches the static analysis of a model and adds its overlays to the graph view (failures leave the overlays out).
 * @param modelId - the model the graph shows
 * @param setOverlay - the graph slice's setter
 * @param check - the Target place's last check, whose latency estimate becomes an overlay when it is of this model
 */
export async function loadAnalysisOverlays(modelId: string, setOverlay: (o: NodeOverlay) => void, check?: CheckResultDto | null): Promise<void> {
  const estimate = check && check.modelId === modelId ? estimateOverlay(check) : null;
  if (estimate) setOverlay(estimate);
  try {
    const a = await studioClient().api.getAnalysis({ modelId, runtimeFallback: false });
    for (const o of analysisOverlays(a)) setOverlay(o);
  } catch {
    // the graph stays usable without these overlays
  }
}
