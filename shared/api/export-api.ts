/** Export: a model converted to TensorFlow Lite, written to a new file and checked on an independent runtime. */
import { z } from 'zod';
import { jobRequestFields } from './jobs';

export const exportRequests = {
  /**
   * Converts a model to TFLite and writes it to a new file in the studio's exports folder, then runs the file in Arm NN
   * and compares it with onnxruntime on generated inputs. Runs as a job.
   */
  exportTflite: z
    .object({
      modelId: z.string().min(1).max(200),
      layout: z.enum(['nchw', 'nhwc']).default('nchw'),
      samples: z.number().int().min(1).max(1000).default(8),
      ...jobRequestFields,
    })
    .strict(),
} as const;

/** One input or output of a written TFLite model. */
export interface TfliteIoDto {
  name: string;
  shape: number[];
  layout: 'nchw' | 'nhwc' | 'plain';
  type: 'float32' | 'int8';
}

/** Agreement of one output with onnxruntime's. */
export interface TfliteAgreementDto {
  name: string;
  samples: number;
  maxAbsError: number;
  outputRange: number;
  relativeMaxError: number;
  /** null when the outputs are identical */
  snrDb: number | null;
  top1Agreement?: number;
}

/** The written file and the check's figures. */
export interface TfliteExportDto {
  outPath: string;
  bytes: number;
  inputs: TfliteIoDto[];
  outputs: TfliteIoDto[];
  operators: Record<string, number>;
  check: { ran: boolean; checker: string; inputs: string; outputs: TfliteAgreementDto[]; message?: string };
}

export interface ExportResponses {
  exportTflite: TfliteExportDto;
}
