/** Opens a dataset for a model: detects its format, scans it, applies the subset, and reads the model's inputs. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DatasetKind } from '../../../../shared/api/evaluate-dto';
import { StudioError } from '../../../../shared/api/errors';
import { valueInfo } from '../../analysis/summary';
import type { ModelProto } from '../../onnx/proto';
import { isImageFile } from '../../runtime/inputs/model-extras';
import { makeDataset } from './batching';
import type { Dataset, DatasetOptions, ModelIo } from './dataset';
import { scanImageFolder } from './image-folder';
import { scanNpy } from './npy-dataset';
import { isOnnxTestData, scanOnnxTestData } from './onnx-test-data';

/**
 * The inputs (graph inputs that are not initializers) and outputs of a model.
 * @param proto - the decoded model
 */
export function modelIo(proto: ModelProto): ModelIo {
  const graph = proto.graph;
  if (!graph) return { inputs: [], outputs: [] };
  const inits = new Set(graph.initializer.map((t) => t.name));
  const info = (v: Parameters<typeof valueInfo>[0]) => {
    const i = valueInfo(v);
    return { name: i.name, dtype: i.dtype, shape: i.shape };
  };
  return { inputs: graph.input.filter((v) => !inits.has(v.name)).map(info), outputs: graph.output.map(info) };
}

/**
 * Says which format a dataset path holds.
 * @returns `onnx-test-data` for `test_data_set_*` folders, `npy` for a `.npy` file or a folder of them, else
 * `image-folder` when it holds images or class folders
 * @throws StudioError `FILE_NOT_FOUND` / `INVALID_INPUT` naming what was expected
 */
export function detectDatasetKind(p: string): DatasetKind {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(p);
  } catch {
    throw new StudioError('FILE_NOT_FOUND', `The dataset ${p} does not exist. Give a folder of class folders of images, a .npy file or folder, or ONNX test_data_set_* folders.`);
  }
  if (stat.isFile()) {
    if (p.endsWith('.npy')) return 'npy';
    throw new StudioError('INVALID_INPUT', `${p} is a file; a dataset is a folder of class folders of images, a .npy file or folder, or ONNX test_data_set_* folders.`);
  }
  if (isOnnxTestData(p)) return 'onnx-test-data';
  const entries = fs.readdirSync(p, { withFileTypes: true }).filter((e) => !e.name.startsWith('.'));
  if (entries.some((e) => e.isFile() && e.name.endsWith('.npy'))) return 'npy';
  if (entries.some((e) => e.isDirectory() || isImageFile(e.name))) return 'image-folder';
  throw new StudioError('INVALID_INPUT', `${p} holds no images, class folders, .npy files or test_data_set_* folders. Choose the dataset's folder.`);
}

/**
 * Opens a dataset for a model.
 * @param options - path, preprocessing, labels, subset
 * @param io - the model's inputs and outputs ({@link modelIo})
 * @param kind - the format; detected when left out
 * @returns the dataset; nothing is decoded until its batches are read
 * @throws StudioError naming what is wrong with the folder or its config files
 */
export function openDataset(options: DatasetOptions, io: ModelIo, kind?: DatasetKind): Dataset {
  const root = path.resolve(options.path);
  const k = kind ?? detectDatasetKind(root);
  const scan = k === 'image-folder' ? scanImageFolder : k === 'npy' ? scanNpy : scanOnnxTestData;
  try {
    return makeDataset(scan(root, io, options), io, options);
  } catch (err) {
    if (err instanceof StudioError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new StudioError('FILE_UNREADABLE', `The dataset ${root} cannot be read (${code ?? (err as Error).message}).`, { cause: err });
  }
}
