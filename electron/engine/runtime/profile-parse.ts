/** Turns an onnxruntime profile (Chrome trace JSON) into mean time per node and per op type. */
import type { ProfileDto, ProfileOpTypeDto } from '../../../shared/api/runtime-api';

interface TraceEvent {
  cat?: string;
  name?: string;
  ts?: number;
  dur?: number;
  args?: { op_name?: string; provider?: string };
}

const KERNEL_SUFFIX = '_kernel_time';

/**
 * Aggregates a profile.
 * @param events - the parsed profile file (an array of trace events)
 * @param skipRuns - leading runs to leave out (warm-up)
 * @param graphNodeOf - maps onnxruntime's node name to the model's node name (fused and rewritten nodes differ)
 * @returns mean microseconds per run converted to ms, per node and per op type, sorted by time (largest first)
 */
export function parseProfile(events: unknown, skipRuns = 0, graphNodeOf?: (ortName: string) => string | null): ProfileDto {
  const list = Array.isArray(events) ? (events as TraceEvent[]) : [];
  const runs = list
    .filter((e) => e.cat === 'Session' && e.name === 'model_run' && typeof e.ts === 'number')
    .sort((a, b) => (a.ts ?? 0) - (b.ts ?? 0))
    .slice(skipRuns)
    .map((e) => [e.ts as number, (e.ts as number) + (e.dur ?? 0)] as const);
  const inCountedRun = (ts: number) => runs.some(([a, b]) => ts >= a && ts <= b);
  const perNode = new Map<string, { opType: string; provider: string; us: number }>();
  for (const e of list) {
    if (e.cat !== 'Node' || !e.name?.endsWith(KERNEL_SUFFIX) || typeof e.ts !== 'number') continue;
    if (!inCountedRun(e.ts)) continue;
    const name = e.name.slice(0, -KERNEL_SUFFIX.length);
    const entry = perNode.get(name) ?? { opType: e.args?.op_name ?? '?', provider: (e.args?.provider ?? '').replace(/ExecutionProvider$/, '') || '?', us: 0 };
    entry.us += e.dur ?? 0;
    perNode.set(name, entry);
  }
  const n = Math.max(1, runs.length);
  const totalUs = [...perNode.values()].reduce((s, v) => s + v.us, 0);
  const share = (us: number) => (totalUs > 0 ? us / totalUs : 0);
  const nodes = [...perNode.entries()]
    .map(([name, v]) => ({ name, opType: v.opType, provider: v.provider, meanMs: v.us / n / 1000, share: share(v.us), graphNode: graphNodeOf?.(name) ?? null }))
    .sort((a, b) => b.meanMs - a.meanMs);
  const ops = new Map<string, { nodes: number; us: number }>();
  for (const v of perNode.values()) {
    const o = ops.get(v.opType) ?? { nodes: 0, us: 0 };
    o.nodes++;
    o.us += v.us;
    ops.set(v.opType, o);
  }
  const opTypes: ProfileOpTypeDto[] = [...ops.entries()]
    .map(([opType, o]) => ({ opType, nodes: o.nodes, meanMs: o.us / n / 1000, share: share(o.us) }))
    .sort((a, b) => b.meanMs - a.meanMs);
  return { runs: runs.length, totalMs: totalUs / n / 1000, nodes, opTypes };
}

/**
 * Builds the name mapping for {@link parseProfile} from the model's nodes.
 * @param nodes - the model's main-graph nodes (name and outputs)
 * @returns a function: onnxruntime's names are node names, or (after layout and fusion rewrites) an output tensor name
 * with a suffix such as `_nchwc`, or `fused <name>`; unknown names map to null
 */
export function graphNodeMapper(nodes: ReadonlyArray<{ name: string; output: readonly string[] }>): (ortName: string) => string | null {
  const byName = new Set(nodes.map((n) => n.name).filter(Boolean));
  const byOutput = new Map<string, string>();
  for (const n of nodes) for (const o of n.output) if (o) byOutput.set(o, n.name);
  return (ortName) => {
    if (byName.has(ortName)) return ortName;
    let candidate = ortName.replace(/^fused /, '');
    for (let i = 0; i < 4; i++) {
      const hit = byOutput.get(candidate);
      if (hit !== undefined) return hit || null;
      if (byName.has(candidate)) return candidate;
      const cut = candidate.lastIndexOf('_');
      if (cut <= 0) break;
      candidate = candidate.slice(0, cut);
    }
    return null;
  };
}
