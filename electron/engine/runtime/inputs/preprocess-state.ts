/** The preprocessing and labels a model's family runs with: set in the studio, else files beside the model, else a guess. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { StudioError } from '../../../../shared/api/errors';
import type { PreprocessConfig } from '../../../../shared/api/preprocess';
import type { PreprocessStateDto, SettingOrigin } from '../../../../shared/api/preprocess-api';
import type { LoadedModel } from '../../onnx/load';
import type { StudioEngine } from '../../studio-engine';
import { writeFileAtomic } from '../../store/atomic-write';
import { variantStore } from '../../variants/variant-family';
import { configFromShape } from './image-input';
import { modelInputs, modelOutputs, type DeclaredValue } from './input-spec';
import { readLabels, readPreprocessConfig } from './model-extras';

/** The file names the family's settings are stored under, in the family's folder (beside its variant files). */
export const FAMILY_PREPROCESS_FILE = 'preprocess.json';
export const FAMILY_LABELS_FILE = 'labels.txt';

/** The preprocessing in force for a model. */
export interface ResolvedPreprocess {
  config: PreprocessConfig | null;
  origin: SettingOrigin;
  /** the file it was read from (family or beside the model), else a sentence */
  source: string | null;
  /** the file, when it came from one */
  path: string | null;
  /** a preprocess.json beside the model that cannot be used, and why */
  fileError: string | null;
}

/** The labels in force for a model. */
export interface ResolvedLabels {
  labels: string[] | null;
  origin: SettingOrigin;
  path: string | null;
}

/**
 * The folders a model's settings are looked up in, first wins: the family's folder (where the studio stores what the
 * user set, and where variant files live), the model's own folder, and its original's folder.
 */
export function familyConfigDirs(engine: StudioEngine, modelPath: string): { familyDir: string; dirs: string[] } {
  const store = variantStore(engine);
  const { key, family } = store.familyOf(modelPath);
  const familyDir = store.familyDir(key);
  const dirs = [...new Set([familyDir, path.dirname(path.resolve(modelPath)), path.dirname(family.rootPath)])];
  return { familyDir, dirs };
}

/** @returns the input images feed: the config's `inputName`, else the first rank-4 input with 1 or 3 channels. */
export function imageInputOf(loaded: LoadedModel, config?: PreprocessConfig | null): DeclaredValue | null {
  const inputs = modelInputs(loaded);
  if (config?.inputName) return inputs.find((i) => i.name === config.inputName) ?? null;
  return inputs.find((i) => configFromShape(i.shape) !== null) ?? null;
}

/** @returns the output shaped like class scores ([N, C] or [C]) and its class count when fixed. */
export function classOutputOf(loaded: LoadedModel): { name: string; classes: number | null } | null {
  const outs = modelOutputs(loaded).filter((o) => o.isTensor && (o.shape.length === 2 || o.shape.length === 1));
  const o = outs.find((x) => typeof x.shape[x.shape.length - 1] === 'number' && (x.shape[x.shape.length - 1] as number) > 1) ?? outs[0];
  if (!o) return null;
  const last = o.shape[o.shape.length - 1];
  return { name: o.name, classes: typeof last === 'number' ? last : null };
}

/** @returns the preprocessing a model runs with (family → file beside the model or its original → guess). */
export function resolvePreprocess(engine: StudioEngine, loaded: LoadedModel): ResolvedPreprocess {
  const { dirs } = familyConfigDirs(engine, loaded.path);
  let fileError: string | null = null;
  for (const [i, dir] of dirs.entries()) {
    const file = path.join(dir, FAMILY_PREPROCESS_FILE);
    if (!fs.existsSync(file)) continue;
    try {
      return { config: readPreprocessConfig(file), origin: i === 0 ? 'family' : 'file', source: file, path: file, fileError };
    } catch (err) {
      fileError ??= (err as Error).message;
    }
  }
  const input = imageInputOf(loaded);
  const guess = input ? configFromShape(input.shape) : null;
  if (guess) return { config: guess, origin: 'guess', source: `read off the shape of input "${input?.name}"`, path: null, fileError };
  return { config: null, origin: 'none', source: null, path: null, fileError };
}

/** @returns the labels a model runs with (family → labels.txt beside the model or its original → none). */
export function resolveLabels(engine: StudioEngine, loaded: LoadedModel): ResolvedLabels {
  const { dirs } = familyConfigDirs(engine, loaded.path);
  for (const [i, dir] of dirs.entries()) {
    const file = path.join(dir, FAMILY_LABELS_FILE);
    if (!fs.existsSync(file)) continue;
    try {
      return { labels: readLabels(file), origin: i === 0 ? 'family' : 'file', path: file };
    } catch {
      // an unreadable labels file is the same as none
    }
  }
  return { labels: null, origin: 'none', path: null };
}

function guessWhy(input: DeclaredValue | null, guess: PreprocessConfig | null): string {
  if (!input) return 'No input looks like an image (rank 4 with 1 or 3 channels): images cannot feed this model.';
  if (!guess) return `Input "${input.name}" does not look like an image.`;
  const size = guess.resize ? `${guess.resize.width}×${guess.resize.height}` : 'its own size (the input size is not fixed)';
  return `A guess from input "${input.name}" [${input.shape.map((d) => d ?? '?').join(', ')}]: ${guess.layout}, ${guess.channels.toUpperCase()}, resized to ${size}, pixels scaled to [0, 1]. Many models want other scaling (ImageNet mean/std, [-1, 1]): check the model's documentation.`;
}

/** @returns the state the editor shows. */
export function preprocessState(engine: StudioEngine, modelId: string): PreprocessStateDto {
  const loaded = engine.loadedModel(modelId);
  const pre = resolvePreprocess(engine, loaded);
  const labels = resolveLabels(engine, loaded);
  const input = imageInputOf(loaded, pre.config);
  const plainInput = imageInputOf(loaded);
  const guess = plainInput ? configFromShape(plainInput.shape) : null;
  const classOutput = classOutputOf(loaded);
  return {
    modelId,
    preprocess: pre.config,
    preprocessOrigin: pre.origin,
    preprocessSource: pre.source,
    preprocessFileError: pre.fileError,
    guess,
    guessWhy: guessWhy(plainInput, guess),
    imageInput: input ? { name: input.name, shape: input.shape, dtype: input.dtype } : null,
    labels: labels.labels,
    labelsOrigin: labels.origin,
    labelsSource: labels.path,
    classOutput,
    labelsMatch: labels.labels && classOutput?.classes ? labels.labels.length === classOutput.classes : null,
  };
}

/**
 * The tensor shape a config makes, where it is fixed: `[1, C, H, W]` or `[1, H, W, C]` (null for sizes that follow the image).
 * @returns one entry per axis
 */
export function configShape(config: PreprocessConfig): Array<number | null> {
  const c = config.channels === 'grayscale' ? 1 : 3;
  const h = config.crop?.height ?? (config.resize && config.resize.mode !== 'shorter' ? config.resize.height : null);
  const w = config.crop?.width ?? (config.resize && config.resize.mode !== 'shorter' ? config.resize.width : null);
  return config.layout === 'NCHW' ? [1, c, h, w] : [1, h, w, c];
}

/**
 * Checks that a config makes tensors the image input takes.
 * @returns null when it fits, else a sentence saying what to change
 */
export function configMisfit(config: PreprocessConfig, input: DeclaredValue): string | null {
  if (input.shape.length !== 4) return `Input "${input.name}" has rank ${input.shape.length}; images make rank-4 tensors.`;
  const made = configShape(config);
  const names = config.layout === 'NCHW' ? ['batch', 'channels', 'height', 'width'] : ['batch', 'height', 'width', 'channels'];
  for (let i = 1; i < 4; i++) {
    const want = input.shape[i];
    if (typeof want === 'number' && made[i] !== null && made[i] !== want) {
      return `The config makes ${names[i]} ${made[i]} (${config.layout}, ${config.channels}) but input "${input.name}" [${input.shape.map((d) => d ?? '?').join(', ')}] takes ${want}: change the ${names[i] === 'channels' ? 'channels or layout' : 'resize or crop'}.`;
    }
  }
  return null;
}

/**
 * Sets the family's preprocessing and/or labels (stored in the family's folder, written atomically).
 * @param preprocess - a config, `null` to clear, `undefined` to keep
 * @param labels - names, `null` to clear, `undefined` to keep
 * @throws StudioError `INVALID_REQUEST` for a config whose tensors the model's image input does not take, or empty labels
 */
export function setPreprocessState(engine: StudioEngine, modelId: string, preprocess: PreprocessConfig | null | undefined, labels: string[] | null | undefined): PreprocessStateDto {
  const loaded = engine.loadedModel(modelId);
  const { familyDir } = familyConfigDirs(engine, loaded.path);
  if (preprocess) {
    const input = imageInputOf(loaded, preprocess);
    if (!input) throw new StudioError('INVALID_REQUEST', preprocess.inputName ? `The model has no input "${preprocess.inputName}".` : `${loaded.fileName} has no input images can feed (rank 4 with 1 or 3 channels).`);
    const misfit = configMisfit(preprocess, input);
    if (misfit) throw new StudioError('INVALID_REQUEST', misfit);
  }
  if (labels && labels.length === 0) throw new StudioError('INVALID_REQUEST', 'The labels list is empty: give one class name a line, or clear the labels.');
  const preFile = path.join(familyDir, FAMILY_PREPROCESS_FILE);
  const labelsFile = path.join(familyDir, FAMILY_LABELS_FILE);
  if (preprocess === null) fs.rmSync(preFile, { force: true });
  else if (preprocess) writeFileAtomic(preFile, `${JSON.stringify(preprocess, null, 2)}\n`);
  if (labels === null) fs.rmSync(labelsFile, { force: true });
  else if (labels) writeFileAtomic(labelsFile, `${labels.map((l) => l.replace(/[\r\n]+/g, ' ')).join('\n')}\n`);
  return preprocessState(engine, modelId);
}

/**
 * What runs and the demo use: the family's or a file's config (a guess is left to the feed builder, which makes it per
 * input) and the labels.
 */
export function familyRunSettings(engine: StudioEngine, loaded: LoadedModel): { preprocess: { config: PreprocessConfig; source: string } | null; labels: { names: string[]; source: string } | null } {
  const pre = resolvePreprocess(engine, loaded);
  const labels = resolveLabels(engine, loaded);
  return {
    preprocess: pre.config && pre.path && (pre.origin === 'family' || pre.origin === 'file') ? { config: pre.config, source: pre.origin === 'family' ? 'set in the studio' : pre.path } : null,
    labels: labels.labels && labels.path ? { names: labels.labels, source: labels.origin === 'family' ? 'set in the studio' : labels.path } : null,
  };
}
