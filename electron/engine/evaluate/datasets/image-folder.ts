/** Reads an image dataset: a folder of class folders (ImageNet style), or a flat folder of unlabelled images. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { StudioError } from '../../../../shared/api/errors';
import type { PreprocessConfig } from '../../../../shared/api/preprocess';
import type { TensorDtype } from '../../runtime/backend';
import { configFromShape, imageToTensor } from '../../runtime/inputs/image-input';
import { isImageFile, readLabels, readPreprocessConfig } from '../../runtime/inputs/model-extras';
import { SkipLog, type DatasetItem, type DatasetOptions, type ModelIo, type ScannedDataset } from './dataset';

/** How class folders map to class indices. */
interface ClassMap {
  /** folder name → class index (folders missing here are skipped) */
  index: Map<string, number>;
  names: string[];
  source: string;
  /** true when the map came from a file: a folder it does not know is skipped rather than given a new index */
  strict: boolean;
}

/** @returns the name folded for matching (`T-shirt/top` and `t-shirt-top` agree). */
export function foldName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

const byNumber = (a: string, b: string) => a.localeCompare(b, undefined, { numeric: true });

/** Finds the first existing file of that name in the folders, in order. */
function findFile(dirs: readonly string[], name: string): string | null {
  for (const d of dirs) {
    const p = path.join(d, name);
    if (fs.existsSync(p) && fs.statSync(p).isFile()) return p;
  }
  return null;
}

function readClassesJson(file: string): Map<string, number> {
  let doc: unknown;
  try {
    doc = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new StudioError('INVALID_INPUT', `${file} is not valid JSON (${(err as Error).message}). It should map class folder names to class indices.`);
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc) || Object.values(doc).some((v) => !Number.isInteger(v) || (v as number) < 0)) {
    throw new StudioError('INVALID_INPUT', `${file} should map class folder names to class indices, like {"cat": 0, "dog": 1}.`);
  }
  return new Map(Object.entries(doc as Record<string, number>));
}

/**
 * Decides the class of each folder: `classes.json` (folder → index) first, then a labels file (a folder matches a
 * label by name, folded name, index, or the first word of a `synset name` line), else the sorted folder names.
 */
function classMap(folders: string[], labelsPath: string | null, classesPath: string | null): ClassMap {
  const labels = labelsPath ? readLabels(labelsPath) : null;
  if (classesPath) {
    const index = readClassesJson(classesPath);
    const count = Math.max(labels?.length ?? 0, ...[...index.values()].map((v) => v + 1));
    const names = Array.from({ length: count }, (_, i) => labels?.[i] ?? [...index.entries()].find(([, v]) => v === i)?.[0] ?? `class ${i}`);
    return { index, names, source: path.basename(classesPath), strict: true };
  }
  if (labels) {
    const index = new Map<string, number>();
    const folded = labels.map(foldName);
    const firstWord = labels.map((l) => l.split(/\s+/)[0]);
    for (const f of folders) {
      let i = labels.indexOf(f);
      if (i < 0) i = folded.indexOf(foldName(f));
      if (i < 0) i = firstWord.indexOf(f);
      if (i < 0 && /^\d+$/.test(f) && Number(f) < labels.length) i = Number(f);
      if (i >= 0) index.set(f, i);
    }
    return { index, names: labels, source: path.basename(labelsPath as string), strict: true };
  }
  const sorted = [...folders].sort();
  return { index: new Map(sorted.map((f, i) => [f, i])), names: sorted, source: 'sorted folder names', strict: false };
}

/**
 * The class map of a folder dataset: an explicit labels file, else `classes.json`/`labels.txt` beside the data (strict:
 * a folder they do not know is skipped), else the model's own files when they name at least one of the folders, else
 * the sorted folder names.
 */
function pickClassMap(folders: string[], root: string, options: DatasetOptions): ClassMap {
  if (options.labelsPath) return classMap(folders, path.resolve(options.labelsPath), null);
  const dataDirs = [root, path.dirname(root)];
  const local = { classes: findFile(dataDirs, 'classes.json'), labels: findFile(dataDirs, 'labels.txt') };
  if (local.classes || local.labels) return classMap(folders, local.labels, local.classes);
  const modelDirs = options.configDirs ?? [];
  const model = { classes: findFile(modelDirs, 'classes.json'), labels: findFile(modelDirs, 'labels.txt') };
  if (model.classes || model.labels) {
    const map = classMap(folders, model.labels, model.classes);
    if (folders.some((f) => map.index.has(f))) return map;
    const sorted = classMap(folders, null, null);
    return { ...sorted, source: `sorted folder names (the model's ${path.basename((model.classes ?? model.labels) as string)} names none of these folders)` };
  }
  return classMap(folders, null, null);
}

/** @returns false when a config's output (channels, size, layout) contradicts the fixed dims of the input shape. */
export function configFits(config: PreprocessConfig, shape: ModelIo['inputs'][number]['shape']): boolean {
  if (!shape) return true;
  if (shape.length !== 4) return false;
  const c = config.channels === 'grayscale' ? 1 : 3;
  const h = config.crop?.height ?? (config.resize && config.resize.mode !== 'shorter' ? config.resize.height : undefined);
  const w = config.crop?.width ?? (config.resize && config.resize.mode !== 'shorter' ? config.resize.width : undefined);
  const want = config.layout === 'NCHW' ? [undefined, c, h, w] : [undefined, h, w, c];
  return want.every((v, i) => v === undefined || typeof shape[i] !== 'number' || shape[i] === v);
}

/**
 * Picks the preprocessing config: the request's; the model's own `preprocess.json`; one beside the data when it fits
 * the model's input; else one read off the input shape.
 */
function pickPreprocess(options: DatasetOptions, modelDirs: readonly string[], dataDirs: readonly string[], io: ModelIo): { config: PreprocessConfig; source: string } {
  if (options.preprocess) return { config: options.preprocess, source: options.preprocessSource ?? 'request' };
  const own = findFile(modelDirs, 'preprocess.json');
  if (own) return { config: readPreprocessConfig(own), source: own };
  const input = io.inputs[0];
  const beside = findFile(dataDirs, 'preprocess.json');
  let note = '';
  if (beside) {
    const config = readPreprocessConfig(beside);
    if (configFits(config, input?.shape ?? null)) return { config, source: beside };
    note = ` (${beside} is for another input shape)`;
  }
  const derived = input?.shape ? configFromShape(input.shape) : null;
  if (!derived) {
    throw new StudioError(
      'INVALID_INPUT',
      `Images cannot feed input "${input?.name ?? '?'}" (shape ${JSON.stringify(input?.shape ?? null)}): give a preprocessing config (--preprocess P) ` +
        'that says how images become this input, or use .npy or test_data_set_* data.',
    );
  }
  return { config: derived, source: `derived from the input shape${note}` };
}

/**
 * Scans an image folder.
 * @param root - the folder: class folders of images, or images directly
 * @param io - the model's inputs (images feed the first input, or the one the config names)
 * @param options - preprocessing, labels, config folders
 */
export function scanImageFolder(root: string, io: ModelIo, options: DatasetOptions): ScannedDataset {
  const skips = new SkipLog();
  // preprocessing belongs to the model: its own config (or its original's) first, then one beside the data
  const { config, source } = pickPreprocess(options, options.configDirs ?? [], [root, path.dirname(root)], io);
  const input = io.inputs.find((i) => i.name === config.inputName) ?? io.inputs[0];
  if (!input) throw new StudioError('INVALID_INPUT', 'The model has no inputs to feed images to.');
  if (io.inputs.length > 1) {
    throw new StudioError('INVALID_INPUT', `The model has ${io.inputs.length} inputs; an image folder can feed only single-input models. Use test_data_set_* folders.`);
  }
  const entries = fs.readdirSync(root, { withFileTypes: true }).filter((e) => !e.name.startsWith('.'));
  const folders = entries.filter((e) => e.isDirectory()).map((e) => e.name);
  const loose = entries.filter((e) => e.isFile()).map((e) => e.name);
  const map = folders.length ? pickClassMap(folders, root, options) : null;
  const dtype = input.dtype as TensorDtype;
  const items: DatasetItem[] = [];
  const imageItem = (file: string, id: string, label: number | null): DatasetItem => ({
    id,
    label,
    load: async () => {
      const bytes = await fs.promises.readFile(file);
      const img = await imageToTensor(bytes, id, input.name, dtype, config);
      return { [input.name]: img.tensor };
    },
  });
  const addFiles = (dir: string, names: string[], prefix: string, label: number | null) => {
    for (const f of names.sort(byNumber)) {
      const id = prefix ? `${prefix}/${f}` : f;
      if (isImageFile(f)) items.push(imageItem(path.join(dir, f), id, label));
      else skips.add('not an image file', id, `${id} has no image extension (.png, .jpg, .jpeg, .webp, .gif, .tif, .tiff, .avif)`);
    }
  };
  for (const folder of folders.sort(byNumber)) {
    const dir = path.join(root, folder);
    const files = fs.readdirSync(dir, { withFileTypes: true }).filter((e) => e.isFile() && !e.name.startsWith('.')).map((e) => e.name);
    const label = map?.index.get(folder);
    if (label === undefined) {
      for (const f of files) {
        skips.add('class folder not in the labels', `${folder}/${f}`, `folder "${folder}" is not a class of ${map?.source ?? 'the labels'}; add it there or remove the folder`);
      }
      continue;
    }
    addFiles(dir, files, folder, label);
  }
  if (folders.length) {
    // config files (classes.json, labels.txt, preprocess.json, a README) may sit beside the class folders
    for (const f of loose.filter(isImageFile)) skips.add('image outside a class folder', f, `${f} sits beside the class folders, so it has no class; move it into one`);
  } else {
    addFiles(root, loose, '', null);
  }
  return {
    kind: 'image-folder',
    path: root,
    items,
    classNames: map ? map.names : null,
    labelsSource: map ? map.source : null,
    preprocess: config,
    preprocessSource: source,
    batchable: true,
    skips,
  };
}
