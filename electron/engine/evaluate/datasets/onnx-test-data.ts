/** Reads ONNX test data: `test_data_set_*` folders of `input_N.pb` and expected `output_N.pb` TensorProto files. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { StudioError } from '../../../../shared/api/errors';
import type { HostTensor } from '../../runtime/backend';
import { parsePbTensor } from '../../runtime/inputs/tensor-files';
import { SkipLog, type DatasetItem, type DatasetOptions, type ModelIo, type ModelValueInfo, type ScannedDataset } from './dataset';

const SET_PREFIX = 'test_data_set_';

/** @returns true when the folder is, or holds, ONNX test data sets. */
export function isOnnxTestData(dir: string): boolean {
  if (path.basename(dir).startsWith(SET_PREFIX)) return true;
  try {
    return fs.readdirSync(dir).some((f) => f.startsWith(SET_PREFIX));
  } catch {
    return false;
  }
}

const byIndex = (a: string, b: string) => a.localeCompare(b, undefined, { numeric: true });

/** Lists `<prefix>N.pb` files of a set folder, by N. */
function pbFiles(dir: string, prefix: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.startsWith(prefix) && f.endsWith('.pb'))
    .sort(byIndex)
    .map((f) => path.join(dir, f));
}

/**
 * Reads `.pb` tensors and names them after the model's values: by the name stored in the file when it is one of
 * them, else by position.
 * @throws StudioError `INVALID_INPUT` when there are more files than values
 */
async function readNamed(files: string[], values: readonly ModelValueInfo[], what: string): Promise<Record<string, HostTensor>> {
  const out: Record<string, HostTensor> = {};
  const names = new Set(values.map((v) => v.name));
  if (files.length > values.length) throw new StudioError('INVALID_INPUT', `${files.length} ${what} files for a model with ${values.length} ${what}s.`);
  for (let i = 0; i < files.length; i++) {
    const bytes = await fs.promises.readFile(files[i]);
    const { name, tensor } = parsePbTensor(bytes, path.basename(files[i]));
    out[name && names.has(name) ? name : values[i].name] = tensor;
  }
  return out;
}

/**
 * Scans ONNX test data.
 * @param root - a folder holding `test_data_set_*` folders (such as a conformance model's folder), or one set folder
 * @param io - the model's inputs and outputs
 */
export function scanOnnxTestData(root: string, io: ModelIo, _options: DatasetOptions): ScannedDataset {
  const skips = new SkipLog();
  const sets = path.basename(root).startsWith(SET_PREFIX)
    ? [root]
    : fs
        .readdirSync(root, { withFileTypes: true })
        .filter((e) => e.isDirectory() && e.name.startsWith(SET_PREFIX))
        .map((e) => path.join(root, e.name))
        .sort(byIndex);
  const items: DatasetItem[] = [];
  for (const dir of sets) {
    const id = path.basename(dir);
    const inputs = pbFiles(dir, 'input_');
    const outputs = pbFiles(dir, 'output_');
    if (!inputs.length) {
      skips.add('no input files', id, `${id} has no input_N.pb files`);
      continue;
    }
    if (inputs.length > io.inputs.length) {
      skips.add('wrong number of inputs', id, `${id} has ${inputs.length} input files; the model takes ${io.inputs.length}`);
      continue;
    }
    items.push({
      id,
      label: null,
      load: () => readNamed(inputs, io.inputs, 'input'),
      ...(outputs.length ? { expected: () => readNamed(outputs, io.outputs, 'output') } : {}),
    });
  }
  return {
    kind: 'onnx-test-data',
    path: root,
    items,
    classNames: null,
    labelsSource: null,
    preprocess: null,
    preprocessSource: null,
    batchable: false,
    skips,
  };
}
