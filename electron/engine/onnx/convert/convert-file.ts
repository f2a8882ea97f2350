/** Converts a model file to another opset and writes the result to a new file, atomically, never over the input. */
import * as path from 'node:path';
import { StudioError } from '../../../../shared/api/errors';
import { loadModelFile } from '../load';
import { saveModel, type SaveOptions } from '../save';
import { convertOpset, type OpsetConversionReport } from './convert-opset';

export interface ConvertFileResult {
  /** the written model */
  output: string;
  /** its external data file, when its weights went to one */
  externalData?: string;
  sizeBytesBefore: number;
  sizeBytesAfter: number;
  report: OpsetConversionReport;
}

/**
 * Reads a model, converts its ai.onnx opset and saves the converted model.
 * @param inputPath - the model (never modified)
 * @param outputPath - the new file; a model with external data gets its own `<name>.data` beside it
 * @param opset - the ai.onnx opset to convert to
 * @param options - cancellation of the save
 * @returns where the model went, its sizes and the conversion report
 * @throws StudioError `ACCESS_DENIED` when the output is the input (or one of its data files), the conversion's
 * `UNSUPPORTED_OP`/`CONVERSION_FAILED` refusals (nothing is written then), and the loader's and saver's errors
 */
export async function convertModelFile(inputPath: string, outputPath: string, opset: number, options: { signal?: AbortSignal } = {}): Promise<ConvertFileResult> {
  const source = loadModelFile(inputPath);
  const output = path.resolve(outputPath);
  const protect = [source.path, ...[...source.external.values()].map((r) => r.file)];
  if (output === source.path) throw new StudioError('ACCESS_DENIED', 'The output would overwrite the input model: choose another -o path.');
  // the loaded model is this call's own: converting it in place spares a copy of every weight
  const { proto, report, external } = convertOpset(source.proto, opset, { external: source.external, name: source.fileName, inPlace: true });
  const base: SaveOptions = { sourceExternal: external, protect, signal: options.signal };
  const withExternal: SaveOptions = { ...base, externalData: { location: `${path.basename(output)}.data` } };
  const saved = await saveModel(proto, output, source.external.size > 0 ? withExternal : base).catch((err: unknown) => {
    if (err instanceof StudioError && err.code === 'MODEL_TOO_LARGE' && source.external.size === 0) return saveModel(proto, output, withExternal);
    throw err;
  });
  return {
    output: saved.path,
    ...(saved.externalPath ? { externalData: saved.externalPath } : {}),
    sizeBytesBefore: source.fileSizeBytes + source.externalDataBytes,
    sizeBytesAfter: saved.modelBytes + saved.externalBytes,
    report,
  };
}
