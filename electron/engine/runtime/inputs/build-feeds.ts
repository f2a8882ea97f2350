/** Builds a model's feeds from input sources (random, zeros, files, images) and checks them against the declared inputs. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { StudioError } from '../../../../shared/api/errors';
import type { PreprocessConfig } from '../../../../shared/api/preprocess';
import type { InputSpec } from '../../../../shared/api/input-spec';
import type { InputSource, InputUsedDto } from '../../../../shared/api/runtime-api';
import type { ModelProto } from '../../onnx/proto';
import type { HostTensor, TensorDtype } from '../backend';
import { describeTensor, isTensorDtype, zerosTensor } from '../host-tensor';
import { configFromShape, imageToTensor, type PreparedImage } from './image-input';
import { DimBinding, axisSymbol, shapeText, symbolicDims, type DeclaredValue } from './input-spec';
import { isImageFile } from './model-extras';
import { parseNpy } from './npy';
import { parseNpz } from './npz';
import { randomTensor } from './random';
import { describeFill, makeInputTensor, resolveInputs } from './spec-resolve';
import { parseJsonTensor, parsePbTensor } from './tensor-files';

/** What {@link buildFeeds} makes feeds from. */
export interface FeedRequest {
  inputs: readonly DeclaredValue[];
  sources?: Readonly<Record<string, InputSource>>;
  dims?: Readonly<Record<string, number>>;
  /** sets the leading symbolic dimension of every input */
  batch?: number;
  /** the config images are preprocessed with (`preprocess.json` beside the model, or one given with the request) */
  preprocess?: { config: PreprocessConfig; source: string } | null;
  /** throws when a file may not be read (serve mode confines reads) */
  checkReadable?: (absPath: string) => void;
  /** sizes and values for inputs the user gives no data for (the model's input spec) */
  spec?: InputSpec;
  /** the folder relative file paths of the spec resolve against */
  specDir?: string;
  /** the model (guesses look at it: embedding tables give token-id ranges) */
  proto?: ModelProto;
}

/** The feeds {@link buildFeeds} made, and how. */
export interface BuiltFeeds {
  feeds: Record<string, HostTensor>;
  used: InputUsedDto[];
  dims: Record<string, number>;
  /** images as the model sees them, by input name */
  images: Record<string, PreparedImage & { configSource: string }>;
  /** sizes and values the studio guessed (no data, spec or --dim gave them), one line each with the flag that sets it */
  guesses: string[];
}

const TENSOR_EXTENSIONS = ['.npy', '.npz', '.pb', '.json'];

function readFile(file: string, inputName: string): Uint8Array {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new StudioError('FILE_NOT_FOUND', `${file} (for input "${inputName}") does not exist. Check the path.`);
    if (code === 'EISDIR') throw new StudioError('FILE_UNREADABLE', `${file} (for input "${inputName}") is a folder; give a file.`);
    throw new StudioError('FILE_UNREADABLE', `${file} (for input "${inputName}") cannot be read (${code ?? 'error'}).`);
  }
}

/** Checks a tensor against an input's declared dtype and shape, binding its symbolic dimensions. */
function check(input: DeclaredValue, t: HostTensor, from: string, binding: DimBinding): void {
  const expected = `${input.dtype} ${shapeText(input.shape)}`;
  if (t.dtype !== input.dtype) {
    throw new StudioError(
      'INVALID_INPUT',
      `Input "${input.name}" expects ${expected}; ${from} holds ${t.dtype} data (${describeTensor(t)}). Convert it to ${input.dtype} (numpy: a.astype("${input.dtype}")).`,
    );
  }
  if (t.dims.length !== input.shape.length) {
    throw new StudioError(
      'INVALID_INPUT',
      `Input "${input.name}" expects ${input.shape.length} dimensions, ${expected}; ${from} has ${t.dims.length}: [${t.dims.join(', ')}].`,
    );
  }
  input.shape.forEach((d, axis) => {
    if (typeof d === 'number' && t.dims[axis] !== d) {
      throw new StudioError(
        'INVALID_INPUT',
        `Input "${input.name}" expects shape ${shapeText(input.shape)} (${input.dtype}); ${from} has [${t.dims.join(', ')}]: axis ${axis} is ${t.dims[axis]}, expected ${d}.`,
      );
    }
  });
  input.shape.forEach((_, axis) => {
    const sym = axisSymbol(input, axis);
    if (sym) binding.bind(sym, t.dims[axis], from);
  });
}

async function fromFile(input: DeclaredValue, file: string, req: FeedRequest): Promise<{ tensor: HostTensor; image?: PreparedImage & { configSource: string } }> {
  const ext = path.extname(file).toLowerCase();
  const base = path.basename(file);
  if (!isImageFile(file) && !TENSOR_EXTENSIONS.includes(ext)) {
    throw new StudioError(
      'INVALID_INPUT',
      `${base} (for input "${input.name}") has an unknown extension "${ext}". Give .npy, .npz, .pb (TensorProto), .json, or an image (PNG, JPEG, WebP, GIF, TIFF, AVIF).`,
    );
  }
  req.checkReadable?.(file);
  const bytes = readFile(file, input.name);
  const dtype = input.dtype as TensorDtype;
  if (ext === '.npy') return { tensor: parseNpy(bytes, base) };
  if (ext === '.pb') return { tensor: parsePbTensor(bytes, base).tensor };
  if (ext === '.json') return { tensor: parseJsonTensor(new TextDecoder().decode(bytes), base, input.name, dtype) };
  if (ext === '.npz') {
    const arrays = parseNpz(bytes, base);
    const hit = arrays.get(input.name) ?? (arrays.size === 1 ? [...arrays.values()][0] : undefined);
    if (!hit) throw new StudioError('INVALID_INPUT', `${base} has no array named "${input.name}" (it has: ${[...arrays.keys()].join(', ') || 'none'}).`);
    return { tensor: hit };
  }
  const own = req.preprocess && (!req.preprocess.config.inputName || req.preprocess.config.inputName === input.name) ? req.preprocess : null;
  const derived = own ? null : configFromShape(input.shape);
  const config = own?.config ?? derived;
  if (!config) {
    throw new StudioError(
      'INVALID_INPUT',
      `Input "${input.name}" has shape ${shapeText(input.shape)}, which does not look like an image, and no preprocess.json beside the model says how to feed ${base}. Add one, or give a tensor file.`,
    );
  }
  const image = await imageToTensor(bytes, base, input.name, dtype, config);
  return { tensor: image.tensor, image: { ...image, configSource: own?.source ?? 'derived from the input shape' } };
}

/**
 * Makes every input's tensor.
 * @returns the feeds, how each input was made, and the symbolic dimensions' values
 * @throws StudioError `INVALID_INPUT` for data of the wrong dtype or shape (naming the input and what it expects),
 * `INVALID_REQUEST` for unknown input or dimension names, `FILE_NOT_FOUND` for missing files
 */
export async function buildFeeds(req: FeedRequest): Promise<BuiltFeeds> {
  const names = new Set(req.inputs.map((i) => i.name));
  for (const name of Object.keys(req.sources ?? {})) {
    if (!names.has(name)) {
      throw new StudioError('INVALID_REQUEST', `The model has no input "${name}". Its inputs: ${[...names].join(', ') || 'none'}.`);
    }
  }
  const user: Record<string, number> = { ...(req.dims ?? {}) };
  if (req.batch !== undefined) {
    for (const input of req.inputs) {
      const lead = input.shape[0];
      if (input.shape.length === 0) continue;
      if (typeof lead === 'number') {
        if (lead !== req.batch) {
          throw new StudioError('INVALID_REQUEST', `Input "${input.name}" has a fixed batch size of ${lead} (shape ${shapeText(input.shape)}); a batch of ${req.batch} cannot be run. Leave out --batch.`);
        }
        continue;
      }
      const sym = axisSymbol(input, 0) as string;
      if (user[sym] !== undefined && user[sym] !== req.batch) {
        throw new StudioError('INVALID_REQUEST', `--batch ${req.batch} and --dim ${sym}=${user[sym]} disagree.`);
      }
      user[sym] = req.batch;
    }
  }
  const resolved = resolveInputs(req.inputs, req.spec, user, { proto: req.proto, baseDir: req.specDir });
  const known = symbolicDims(req.inputs).map((k) => ({ ...k, default: resolved.dims[k.name] ?? k.default }));
  const fixed: Record<string, number> = {};
  for (const r of resolved.inputs) for (const a of r.axes) if (a.symbol && a.origin === 'spec') fixed[a.symbol] = a.value;
  const binding = new DimBinding(known, fixed);
  const feeds: Record<string, HostTensor> = {};
  const used = new Map<string, InputUsedDto>();
  const images: BuiltFeeds['images'] = {};
  for (const input of req.inputs) {
    if (!input.isTensor) throw new StudioError('INVALID_INPUT', `Input "${input.name}" is a ${input.dtype}, not a tensor; only tensor inputs can be fed here.`);
    if (!isTensorDtype(input.dtype)) throw new StudioError('INVALID_INPUT', `Input "${input.name}" is ${input.dtype}, which onnxruntime-node cannot be fed.`);
    const fill = resolved.inputs[req.inputs.indexOf(input)].fill;
    const source = req.sources?.[input.name] ?? (fill.kind === 'file' && fill.file ? { kind: 'file' as const, path: fill.file } : undefined);
    if (source?.kind !== 'file') continue;
    const { tensor, image } = await fromFile(input, source.path, req);
    const from = path.basename(source.path);
    check(input, tensor, from, binding);
    feeds[input.name] = tensor;
    if (image) images[input.name] = image;
    used.set(input.name, { name: input.name, dtype: tensor.dtype, shape: tensor.dims, source: `${image ? 'image' : 'file'} ${from}` });
  }
  req.inputs.forEach((input, index) => {
    if (feeds[input.name]) return;
    const dims = binding.shapeOf(input);
    const dtype = input.dtype as TensorDtype;
    const source = req.sources?.[input.name];
    if (!source) {
      const r = resolved.inputs[index];
      feeds[input.name] = makeInputTensor(r, index, dims);
      const how = r.fill.kind === 'random' ? `random (seed ${index})` : describeFill(r.fill);
      used.set(input.name, { name: input.name, dtype, shape: dims, source: r.fillOrigin === 'spec' ? `${how} (input spec)` : r.fillOrigin === 'guess' ? `${how} (a guess)` : how });
      return;
    }
    if (source.kind === 'zeros') {
      feeds[input.name] = zerosTensor(dtype, dims, `Input "${input.name}"`);
      used.set(input.name, { name: input.name, dtype, shape: dims, source: 'zeros' });
    } else if (source.kind === 'random') {
      const seed = source.seed ?? index;
      feeds[input.name] = randomTensor(dtype, dims, { seed, low: source.low, high: source.high, name: input.name });
      used.set(input.name, { name: input.name, dtype, shape: dims, source: `random (seed ${seed})` });
    }
  });
  const guesses = resolved.guesses.filter((g) => {
    const dim = /^dimension (\S+) /.exec(g);
    if (dim) return !binding.fromInputData(dim[1]);
    const input = /^input (\S+):/.exec(g);
    return !input || !req.sources?.[input[1]];
  });
  return { feeds, used: req.inputs.map((i) => used.get(i.name) as InputUsedDto), dims: binding.all(), images, guesses };
}
