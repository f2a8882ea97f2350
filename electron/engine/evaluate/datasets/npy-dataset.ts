/** Reads `.npy` datasets: one array per model input (items along axis 0) and an optional `.npy` of class indices. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { StudioError } from '../../../../shared/api/errors';
import type { HostTensor, TensorDtype } from '../../runtime/backend';
import { valueAt } from '../../runtime/host-tensor';
import { readLabels } from '../../runtime/inputs/model-extras';
import { parseNpy } from '../../runtime/inputs/npy';
import { SkipLog, type DatasetItem, type DatasetOptions, type ModelIo, type ScannedDataset } from './dataset';
import { convertDtype, openNpy, readRows, type NpyFile } from './npy-rows';

const INPUT_NAMES = ['inputs.npy', 'input.npy', 'x.npy', 'data.npy'];
const LABEL_NAMES = ['labels.npy', 'label.npy', 'y.npy', 'targets.npy'];

/** Finds the array of each model input: `<input name>.npy`, else (one input) a conventional or the only other file. */
function inputFiles(root: string, io: ModelIo): Map<string, string> {
  const stat = fs.statSync(root);
  const out = new Map<string, string>();
  if (stat.isFile()) {
    if (io.inputs.length !== 1) {
      throw new StudioError('INVALID_INPUT', `The model has ${io.inputs.length} inputs; give a folder with one <input name>.npy per input (${io.inputs.map((i) => i.name).join(', ')}).`);
    }
    out.set(io.inputs[0].name, root);
    return out;
  }
  const files = fs.readdirSync(root).filter((f) => f.endsWith('.npy'));
  for (const input of io.inputs) {
    const own = files.find((f) => f === `${input.name}.npy`);
    if (own) out.set(input.name, path.join(root, own));
  }
  if (io.inputs.length === 1 && !out.size) {
    const conventional = INPUT_NAMES.find((n) => files.includes(n));
    const others = files.filter((f) => !LABEL_NAMES.includes(f));
    const pick = conventional ?? (others.length === 1 ? others[0] : undefined);
    if (pick) out.set(io.inputs[0].name, path.join(root, pick));
  }
  const missing = io.inputs.filter((i) => !out.has(i.name));
  if (missing.length) {
    throw new StudioError(
      'INVALID_INPUT',
      `${root} has no array for input${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m.name}"`).join(', ')}: ` +
        `name the files <input name>.npy${io.inputs.length === 1 ? ' (or inputs.npy)' : ''}.`,
    );
  }
  return out;
}

/** Reads class indices (1-D, or [N, 1]) from a `.npy`. */
function readLabelArray(file: string, count: number): { labels: Array<number | null>; bad: number[] } {
  const t = parseNpy(fs.readFileSync(file), file);
  const n = t.dims[0] ?? 0;
  if (t.dims.length === 0 || t.dims.slice(1).some((d) => d !== 1)) {
    throw new StudioError('INVALID_INPUT', `${file} has shape [${t.dims.join(', ')}]; class labels must be a 1-D array of class indices.`);
  }
  if (n !== count) throw new StudioError('INVALID_INPUT', `${file} has ${n} labels but the inputs have ${count} items: they must match one to one.`);
  const labels: Array<number | null> = [];
  const bad: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = valueAt(t, i);
    if (Number.isInteger(v) && v >= 0) labels.push(v);
    else {
      labels.push(null);
      bad.push(i);
    }
  }
  return { labels, bad };
}

/**
 * Scans a `.npy` dataset.
 * @param root - a `.npy` file (single-input model) or a folder of them
 * @param io - the model's inputs
 * @param options - `labelsPath`: a `.npy` of class indices, or a text file of class names
 */
export function scanNpy(root: string, io: ModelIo, options: DatasetOptions): ScannedDataset {
  const skips = new SkipLog();
  const files = inputFiles(root, io);
  const arrays = new Map<string, NpyFile>([...files].map(([name, file]) => [name, openNpy(file)]));
  const counts = [...arrays.values()].map((a) => a.shape[0]);
  if (new Set(counts).size > 1) {
    throw new StudioError('INVALID_INPUT', `The input arrays have different item counts (${[...arrays].map(([n, a]) => `${n}: ${a.shape[0]}`).join(', ')}); axis 0 must match.`);
  }
  const count = counts[0] ?? 0;
  const dir = fs.statSync(root).isFile() ? path.dirname(root) : root;
  const explicit = options.labelsPath ? path.resolve(options.labelsPath) : null;
  const labelsNpy = explicit?.endsWith('.npy') ? explicit : explicit ? null : (LABEL_NAMES.map((n) => path.join(dir, n)).find((p) => fs.existsSync(p)) ?? null);
  const namesFile = explicit && !explicit.endsWith('.npy') ? explicit : [dir, ...(options.configDirs ?? [])].map((d) => path.join(d, 'labels.txt')).find((p) => fs.existsSync(p));
  const classNames = labelsNpy && namesFile ? readLabels(namesFile) : null;
  const labelled = labelsNpy ? readLabelArray(labelsNpy, count) : null;
  const badLabels = new Set(labelled?.bad ?? []);
  const items: DatasetItem[] = [];
  const label0 = path.basename([...files.values()][0]);
  for (let i = 0; i < count; i++) {
    const id = `${label0}[${i}]`;
    if (badLabels.has(i)) {
      skips.add('invalid label', id, `label ${i} in ${path.basename(labelsNpy as string)} is not a class index (a whole number ≥ 0)`);
      continue;
    }
    items.push({
      id,
      label: labelled ? labelled.labels[i] : null,
      load: async () => {
        const feeds: Record<string, HostTensor> = {};
        for (const input of io.inputs) {
          const npy = arrays.get(input.name) as NpyFile;
          const row = await readRows(npy, i, 1);
          const rowShape = npy.shape.slice(1);
          const dims = input.shape && input.shape.length === rowShape.length ? rowShape : [1, ...rowShape];
          const converted = convertDtype({ ...row, dims }, input.dtype as TensorDtype);
          if (!converted) throw new StudioError('INVALID_INPUT', `${path.basename(npy.file)} holds ${npy.dtype}; input "${input.name}" is ${input.dtype} and floats do not convert to integers.`);
          feeds[input.name] = converted;
        }
        return feeds;
      },
    });
  }
  const batchable = io.inputs.every((input) => !(input.shape && input.shape.length === (arrays.get(input.name) as NpyFile).shape.length - 1));
  return {
    kind: 'npy',
    path: root,
    items,
    classNames,
    labelsSource: labelsNpy ? path.basename(labelsNpy) : null,
    preprocess: null,
    preprocessSource: null,
    batchable,
    skips,
  };
}
