/** Opens a model file: reads, decodes and checks every external data reference before anything else runs. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { StudioError } from '../../../shared/api/errors';
import { decodeModel } from './codec';
import { checkOverlaps, isExternal, resolveExternal, type ExternalRef } from './external-data';
import type { ModelProto, TensorProto } from './proto';
import { forEachTensor } from './walk';

/** A decoded model with where it came from. */
export interface LoadedModel {
  path: string;
  dir: string;
  fileName: string;
  fileSizeBytes: number;
  proto: ModelProto;
  /** external data references by tensor object */
  external: Map<TensorProto, ExternalRef>;
  externalDataBytes: number;
}

/**
 * Reads and decodes an ONNX file.
 * @param filePath - the model; never modified
 * @returns the loaded model with its external references resolved (but not read)
 * @throws StudioError with a code naming what is wrong (missing file, not ONNX, truncated, bad external data)
 */
export function loadModelFile(filePath: string): LoadedModel {
  const abs = path.resolve(filePath);
  const fileName = path.basename(abs);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(abs);
  } catch {
    throw new StudioError('FILE_NOT_FOUND', `${abs} does not exist. Check the path.`);
  }
  if (stat.isDirectory()) {
    throw new StudioError('FILE_UNREADABLE', `${abs} is a folder, not a model file. Choose the .onnx file inside it.`);
  }
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(abs);
  } catch (err) {
    throw new StudioError('FILE_UNREADABLE', `${abs} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}). Check its permissions.`);
  }
  const proto = decodeModel(bytes, fileName);
  return fromProto(proto, abs, stat.size);
}

/**
 * Wraps an already decoded model (for example one a pass produced) as a LoadedModel.
 * @param proto - the model
 * @param filePath - where its external data is resolved from
 */
export function fromProto(proto: ModelProto, filePath: string, fileSizeBytes: number): LoadedModel {
  const dir = path.dirname(filePath);
  const external = new Map<TensorProto, ExternalRef>();
  const statCache = new Map<string, number>();
  const refs: Array<{ name: string; ref: ExternalRef }> = [];
  let externalDataBytes = 0;
  forEachTensor(proto, (tensor) => {
    if (!isExternal(tensor)) return;
    const ref = resolveExternal(tensor, dir, statCache);
    external.set(tensor, ref);
    refs.push({ name: tensor.name, ref });
    externalDataBytes += ref.length;
  });
  checkOverlaps(refs);
  return { path: filePath, dir, fileName: path.basename(filePath), fileSizeBytes, proto, external, externalDataBytes };
}
