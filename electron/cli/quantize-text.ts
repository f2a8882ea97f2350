/** The human-readable summary `deploy-studio quantize` prints (the JSON output carries everything). */
import { formatBytes } from '../../shared/format/bytes';
import { table } from './format';
import { fidelityLine, type QuantFidelityDto } from '../../shared/api/quantize-api';

interface Row {
  tensor: string;
  node: string;
  op: string;
  snrDb: number | null;
  localSnrDb?: number | null;
  cosine: number;
  maxAbs: number;
}

const MAX_ROWS = 10;

/**
 * Formats a quantization report.
 * @param out - the written file
 * @param before - size of the input (model + external data)
 * @param after - size of the output
 * @param r - the pass report
 */
export function quantizeText(out: string, before: number, after: number, r: Record<string, unknown>): string {
  const lines = [`wrote ${out} (${formatBytes(after)}, ${((100 * after) / Math.max(1, before)).toFixed(1)} % of ${formatBytes(before)})`];
  if (r.mode === 'fp16') {
    lines.push(`float16: ${r.convertedTensors} weights converted, ${r.keptFloatCount} node(s) kept in float32, ${r.castNodes} Cast node(s) added`);
  } else {
    const ops = Object.entries((r.quantizedOps as Record<string, number>) ?? {})
      .map(([op, n]) => `${n} ${op}`)
      .join(', ');
    const how = r.mode === 'static' ? `${String(r.format).toUpperCase()}, ${r.method}` : 'dynamic';
    lines.push(`quantized ${r.quantizedNodeCount} node(s) (${how}${r.perChannel ? ', per-channel' : ''}${r.reduceRange ? ', reduce-range' : ''}): ${ops}`);
    if (r.calibration) lines.push(`calibrated on ${r.calibration}`);
    if (typeof r.outputSnrDb === 'number') lines.push(`model output SNR ${r.outputSnrDb.toFixed(1)} dB (float vs quantized)`);
  }
  const acc = r.accuracy as { metric: string; float: number; quantized: number; met: boolean; maxDrop: number } | undefined;
  if (acc) {
    lines.push(`${acc.metric}: float ${acc.float.toFixed(2)} %, quantized ${acc.quantized.toFixed(2)} % (${acc.met ? 'within' : 'NOT within'} the allowed drop of ${acc.maxDrop})`);
  }
  const fid = r.fidelity as QuantFidelityDto | undefined;
  if (fid) {
    lines.push(`${fidelityLine(fid)}; metric: ${fid.why}`);
    if (!fid.met) lines.push(`NOT A SUCCESS: the model was written but does not meet the fidelity minimum. ${fid.fallback ?? ''}`.trim());
  }
  const kept = (r.keptFloat as Array<{ node: string; op: string; reason: string }>) ?? [];
  if (kept.length) lines.push('kept in float:', table(kept.map((k) => [k.node, k.op, k.reason])));
  const rows = ((r.errorTable as Row[]) ?? []).slice(0, MAX_ROWS);
  if (rows.length) {
    lines.push(r.mode === 'fp16' ? 'float32 vs float16 model outputs:' : `error table (worst ${rows.length}, float vs quantized activations):`);
    const db = (v: number | null | undefined) => (v === undefined ? '' : v === null ? 'exact' : v.toFixed(1));
    lines.push(table([['SNR dB', 'own SNR', 'cosine', 'max abs', 'op', 'tensor'], ...rows.map((x) => [db(x.snrDb), db(x.localSnrDb), x.cosine.toFixed(4), x.maxAbs.toPrecision(3), x.op, x.tensor])]));
    lines.push('  (SNR: float vs quantized model; own SNR: the node alone quantized, fed float inputs)');
  }
  const est = r.targetEstimate as { targetName: string; floatMs: number; quantizedMs: number; speedup: number; note: string } | undefined;
  if (est) lines.push(`on ${est.targetName}: ${est.floatMs.toFixed(2)} → ${est.quantizedMs.toFixed(2)} ms, ${est.speedup.toFixed(2)}× — ${est.note}`);
  return lines.join('\n');
}
