/** Quantization: the defaults a target gives the Quantize panel, and the report shape the quantize passes write. */
import { z } from 'zod';

/** The int8 layouts: activation and weight types (S8S8 int8/int8, U8S8 uint8/int8, U8U8 uint8/uint8). */
export type QuantFormatDto = 's8s8' | 'u8s8' | 'u8u8';
export type CalibrationMethodDto = 'minmax' | 'percentile' | 'entropy' | 'mse';

/** What the Quantize panel starts from for a model on a target. */
export interface QuantizeDefaultsDto {
  /** the mode suggested for this model on this target */
  mode: 'static' | 'dynamic' | 'fp16';
  modeReason: string;
  format: QuantFormatDto;
  perChannel: boolean;
  reduceRange: boolean;
  reduceRangeReason: string;
  method: CalibrationMethodDto;
  /** `target profile "x"` or `this host` */
  source: string;
  /** folders of data found beside the model (its `images/` folder, test data sets) */
  calibrationSuggestions: Array<{ path: string; label: string }>;
  /** quantizable nodes by op type (Conv, Gemm, MatMul with stored float32 weights) */
  quantizable: Record<string, number>;
}

/** One row of the error table: a tensor's float vs quantized values on the calibration data. */
export interface QuantErrorRowDto {
  tensor: string;
  node: string;
  op: string;
  kind: 'activation' | 'output';
  /** signal-to-noise ratio in dB; null when identical */
  snrDb: number | null;
  /** the SNR of this node's output when it alone is quantized (fed float inputs): the error it introduces itself */
  localSnrDb?: number | null;
  cosine: number;
  maxAbs: number;
}

/** A node kept in float and why. */
export interface KeptFloatDto {
  node: string;
  op: string;
  reason: string;
}

/** What the fidelity guard measured after static int8, with the metric chosen from the output's shape (or by the user). */
export interface QuantFidelityDto {
  /** `top1`/`agreement`/`top5` in percent, `snr` in dB */
  metric: 'top1' | 'agreement' | 'top5' | 'snr';
  /** why this metric (the output's shape, or the user's choice) */
  why: string;
  /** the minimum the model must reach */
  min: number;
  /** the measured value (null: identical to the float model) */
  value: number | null;
  outputSnrDb: number | null;
  cosine: number | null;
  /** top-1 agreement with the float model, percent */
  agreement: number;
  /** accuracy against the data's labels, percent, when it has labels */
  top1?: { float: number; quantized: number };
  /** items evaluated */
  count: number;
  evalData: string;
  met: boolean;
  /** `below-threshold`: the model was written but is not a success */
  status: 'ok' | 'below-threshold';
  /** nodes the guard kept in float */
  keptFloat: string[];
  /** when not met: what it would take (the float model, or more nodes in float) */
  fallback?: string;
}

/** @returns the unit of a fidelity metric. */
export function fidelityUnit(metric: QuantFidelityDto['metric']): string {
  return metric === 'snr' ? 'dB' : '%';
}

/** @returns one line stating a fidelity result (CLI text, warnings, the quantize report). */
export function fidelityLine(f: QuantFidelityDto): string {
  const u = fidelityUnit(f.metric);
  const v = f.value === null ? 'exact' : `${f.value.toFixed(2)} ${u}`;
  const extra = f.metric === 'snr' ? (f.cosine === null ? '' : `, cosine ${f.cosine.toFixed(4)}`) : f.outputSnrDb === null ? '' : `, output SNR ${f.outputSnrDb.toFixed(1)} dB`;
  const head = f.met ? 'fidelity OK' : 'FIDELITY BELOW THRESHOLD';
  const top1 = f.top1 ? `; top-1 ${f.top1.float.toFixed(2)} % float → ${f.top1.quantized.toFixed(2)} % int8` : '';
  return `${head}: ${f.metric} ${v} (minimum ${f.min} ${u}${extra}${top1}; ${f.count} items of ${f.evalData})`;
}

/** The report fields the GUI reads (each pass adds more; see the pass files). */
export interface QuantizeReportDto {
  mode: 'static' | 'dynamic' | 'fp16';
  quantizedNodeCount: number;
  keptFloatCount: number;
  weightBytesBefore: number;
  weightBytesAfter: number;
  outputSnrDb: number | null;
  format?: QuantFormatDto;
  method?: CalibrationMethodDto;
  calibration?: string;
  randomCalibration?: boolean;
  quantizedOps?: Record<string, number>;
  keptFloat: KeptFloatDto[];
  /** quantizable nodes the pass could not quantize, with the reason (int8 modes) */
  skipped?: KeptFloatDto[];
  errorTable: QuantErrorRowDto[];
  /** node name → SNR dB of what it produces (the graph overlay) */
  nodeErrors?: Record<string, number | null>;
  accuracy?: { metric: string; evalData: string; float: number; quantized: number; maxDrop: number; relative: boolean; met: boolean; outputSnrDb: number | null };
  fidelity?: QuantFidelityDto;
  /** `below-threshold` when the fidelity guard or the accuracy-aware target was not met */
  status?: 'ok' | 'below-threshold';
  targetEstimate?: { targetName: string; floatMs: number; quantizedMs: number; speedup: number; note: string; beyondHost: boolean };
}

export const quantizeRequests = {
  /** the defaults for quantizing a model on a target (this host when none) */
  getQuantizeDefaults: z
    .object({ modelId: z.string().min(1).max(200), targetId: z.string().min(1).max(200).optional() })
    .strict(),
} as const;

export interface QuantizeResponses {
  getQuantizeDefaults: QuantizeDefaultsDto;
}
