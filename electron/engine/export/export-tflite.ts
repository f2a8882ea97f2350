/** Export to TensorFlow Lite: convert, write to a new file atomically, then check the file on an independent runtime. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { StudioError } from '../../../shared/api/errors';
import { loadModelFile } from '../onnx/load';
import { writeFileAtomic } from '../store/atomic-write';
import type { RuntimeService } from '../runtime/runtime-service';
import { convertToTflite, type IoLayout, type TfliteIo } from './tflite/convert-graph';
import { checkTflite, type TfliteCheck } from './tflite-check';

/** What to export and where. */
export interface TfliteExportRequest {
  modelPath: string;
  /** the new .tflite; an existing file is never replaced */
  outPath: string;
  /** layout of 4-D inputs and outputs: ONNX's NCHW (default) or TFLite's NHWC */
  ioLayout?: IoLayout;
  /** run the independent check after writing (default true) */
  check?: boolean;
  /** inputs the check compares on (default 8) */
  samples?: number;
}

/** The written file and how it compares with the ONNX model. */
export interface TfliteExportResult {
  outPath: string;
  bytes: number;
  inputs: TfliteIo[];
  outputs: TfliteIo[];
  operators: Record<string, number>;
  check?: TfliteCheck;
}

/**
 * Exports an ONNX model to a new .tflite file.
 * @param runtime - onnxruntime for the check's reference outputs
 * @param req - the model, the output path and options
 * @param progress - stage reports and cancellation
 * @returns the file's description and the check's figures
 * @throws StudioError `OUTPUT_EXISTS` when the output exists, `UNSUPPORTED_OP` with every node that cannot be converted
 */
export async function exportTflite(
  runtime: RuntimeService,
  req: TfliteExportRequest,
  progress: { signal?: AbortSignal; onProgress?: (fraction: number, stage: string) => void } = {},
): Promise<TfliteExportResult> {
  const outPath = path.resolve(req.outPath);
  if (path.resolve(req.modelPath) === outPath) throw new StudioError('OUTPUT_EXISTS', `${outPath} is the model itself; choose a new file name for the .tflite.`);
  if (fs.existsSync(outPath)) throw new StudioError('OUTPUT_EXISTS', `${outPath} already exists; choose a new file name (exports never replace a file).`);
  if (!fs.existsSync(path.dirname(outPath))) throw new StudioError('FILE_NOT_FOUND', `The folder ${path.dirname(outPath)} does not exist; create it or choose another.`);
  progress.onProgress?.(0.05, 'Reading the model');
  const loaded = loadModelFile(req.modelPath);
  progress.onProgress?.(0.15, 'Converting to TFLite');
  const conversion = convertToTflite(loaded, { ioLayout: req.ioLayout ?? 'nchw' });
  progress.signal?.throwIfAborted();
  writeFileAtomic(outPath, conversion.bytes);
  const result: TfliteExportResult = { outPath, bytes: conversion.bytes.length, inputs: conversion.inputs, outputs: conversion.outputs, operators: conversion.operators };
  if (req.check !== false) {
    progress.onProgress?.(0.4, 'Checking the file in Arm NN against onnxruntime');
    result.check = await checkTflite(runtime, loaded, outPath, conversion, { samples: req.samples, signal: progress.signal });
  }
  progress.onProgress?.(1, 'Done');
  return result;
}
