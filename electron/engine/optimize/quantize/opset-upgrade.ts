/** Quantization of old exports: the model's opset is raised first when the quantized ops need a newer one, and the report says so. */
import { convertOpset } from '../../onnx/convert';
import type { PassInput } from '../pass';

/** What the upgrade did, for the pass report. */
export interface OpsetUpgrade {
  fromOpset: number;
  toOpset: number;
  /** nodes whose operator version changed */
  nodesChanged: number;
  /** per op type: `Upsample 9 → Resize 13` style lines */
  changes: string[];
}

/** @returns the model's ai.onnx opset (0 when it imports none). */
export function aiOnnxOpset(input: PassInput): number {
  return Number(input.proto.opsetImport.find((x) => x.domain === '' || x.domain === 'ai.onnx')?.version ?? 0);
}

/**
 * Converts the model to `minOpset` in place when it imports an older ai.onnx opset (as onnxruntime's own quantizer
 * does), so old exports (Paddle2ONNX, tf2onnx, early PyTorch at opset 9–12) quantize instead of being refused.
 * @param input - the pass input (its private copy is converted in place)
 * @param minOpset - the opset the quantized model needs (static int8 per channel: 13; dynamic int8: 11)
 * @param why - what needs it, for the warning (`per-channel QuantizeLinear`)
 * @param warnings - receives one line when the model was converted
 * @returns what changed, or null when the opset was new enough
 * @throws StudioError naming the node and op when a node cannot be converted (nothing is written)
 */
export function upgradeOpset(input: PassInput, minOpset: number, why: string, warnings: string[]): OpsetUpgrade | null {
  const from = aiOnnxOpset(input);
  if (from === 0 || from >= minOpset) return null;
  const { report } = convertOpset(input.proto, minOpset, { external: input.external, inPlace: true, name: input.sourceName });
  const nodesChanged = report.ops.reduce((n, o) => n + o.nodes, 0);
  const changes = report.ops.map((o) => `${o.opType} ${o.fromVersion} → ${o.becomes ?? o.opType} ${o.toVersion} (${o.nodes} node${o.nodes === 1 ? '' : 's'})`);
  warnings.push(`The model imported ONNX opset ${from}; ${why} needs opset ${minOpset}, so it was converted to opset ${minOpset} first (${nodesChanged} node(s) changed version). The report lists every change.`);
  for (const note of report.notes) warnings.push(note);
  return { fromOpset: from, toOpset: minOpset, nodesChanged, changes };
}
