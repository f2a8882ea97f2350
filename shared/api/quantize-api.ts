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
