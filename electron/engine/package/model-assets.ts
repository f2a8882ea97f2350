/** What goes with the model into a package: its preprocessing config and labels, found and checked against its inputs. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PreprocessConfig } from '../../../shared/api/preprocess';
import type { ResolvedSessionOptions } from '../../../shared/api/runtime-dto';
import type { ModelSummary, TensorInfo } from '../../../shared/api/model-summary';
import type { FieldIssue } from '../../../shared/package/app-identity';
import { configFromShape } from '../runtime/inputs/image-input';
import { readLabels, readPreprocessConfig } from '../runtime/inputs/model-extras';

/** The model's companions, resolved. */
export interface ModelAssets {
  preprocess: PreprocessConfig | null;
  /** the file it came from; null when none was found (then it is derived from the input shape, as the studio does) */
  preprocessPath: string | null;
  /** true when no file was found and the config was read off the input shape */
  preprocessDerived: boolean;
  labels: string[] | null;
  labelsPath: string | null;
  /** the input images feed, when there is one */
  imageInput: TensorInfo | null;
  /** the output ranked as class scores */
  classifierOutput: TensorInfo | null;
  issues: FieldIssue[];
}

function firstExisting(names: string[], dirs: string[]): string | null {
  for (const d of dirs) for (const n of names) if (fs.existsSync(path.join(d, n))) return path.join(d, n);
  return null;
}

function classCount(t: TensorInfo): number | null {
  const last = t.shape?.[t.shape.length - 1];
  return typeof last === 'number' ? last : null;
}

/**
 * Finds and checks the preprocessing config and labels of a model.
 * @param summary - the model's summary (its inputs and outputs)
 * @param opts - explicit files, or a folder to look in besides the model's own
 */
export function resolveModelAssets(summary: ModelSummary, opts: { preprocessPath?: string; labelsPath?: string; configDir?: string }): ModelAssets {
  const issues: FieldIssue[] = [];
  const dirs = [path.dirname(summary.path), ...(opts.configDir ? [path.resolve(opts.configDir)] : [])];
  const stem = summary.fileName.replace(/\.onnx$/i, '');

  let preprocess: PreprocessConfig | null = null;
  const prePath = opts.preprocessPath ? path.resolve(opts.preprocessPath) : firstExisting([`${stem}.preprocess.json`, 'preprocess.json'], dirs);
  if (prePath) {
    try {
      preprocess = readPreprocessConfig(prePath);
    } catch (err) {
      issues.push({ field: 'preprocessPath', severity: 'error', message: (err as Error).message });
    }
  }
  const labelsPath = opts.labelsPath ? path.resolve(opts.labelsPath) : firstExisting([`${stem}.labels.txt`, 'labels.txt'], dirs);
  let labels: string[] | null = null;
  if (labelsPath) {
    try {
      labels = readLabels(labelsPath);
      if (labels.length === 0) {
        issues.push({ field: 'labelsPath', severity: 'error', message: `${labelsPath} has no labels: write one class name a line.` });
        labels = null;
      }
    } catch (err) {
      issues.push({ field: 'labelsPath', severity: 'error', message: (err as Error).message });
    }
  }

  const tensors = summary.inputs.filter((i) => i.kind === 'tensor');
  let imageInput: TensorInfo | null = null;
  if (preprocess?.inputName) {
    imageInput = tensors.find((i) => i.name === preprocess?.inputName) ?? null;
    if (!imageInput) {
      issues.push({
        field: 'preprocessPath',
        severity: 'error',
        message: `The preprocessing config names input "${preprocess.inputName}", which the model does not have (its inputs: ${tensors.map((t) => t.name).join(', ')}).`,
      });
    }
  } else imageInput = tensors.find((t) => t.shape?.length === 4) ?? null;

  let derived = false;
  if (!preprocess && !prePath && imageInput?.shape) {
    preprocess = configFromShape(imageInput.shape);
    derived = preprocess !== null;
    if (!preprocess) imageInput = null;
  }
  if (preprocess && imageInput?.shape?.length === 4) {
    const s = imageInput.shape;
    const channels = preprocess.channels === 'grayscale' ? 1 : 3;
    const axis = preprocess.layout === 'NCHW' ? 1 : 3;
    if (typeof s[axis] === 'number' && s[axis] !== channels) {
      issues.push({
        field: 'preprocessPath',
        severity: 'error',
        message: `The preprocessing makes ${channels}-channel ${preprocess.layout} images, but input "${imageInput.name}" has ${s[axis]} channels on axis ${axis}: fix "channels" or "layout" in the config.`,
      });
    }
  }
  if (preprocess && !preprocess.resize && !preprocess.crop) {
    issues.push({ field: 'preprocessPath', severity: 'warning', message: 'The preprocessing config has neither resize nor crop: images are fed at their own size, so every image must already have the model\'s size.' });
  }
  if (!imageInput) {
    issues.push({ field: 'preprocessPath', severity: 'warning', message: 'The model has no image input the studio recognises (rank 4 with 1 or 3 channels): the runner takes .npy arrays only.' });
  }

  const outputs = summary.outputs.filter((o) => o.kind === 'tensor');
  const classifierOutput = (labels ? outputs.find((o) => classCount(o) === labels?.length) : undefined) ?? outputs[0] ?? null;
  if (labels && classifierOutput && classCount(classifierOutput) !== null && classCount(classifierOutput) !== labels.length) {
    issues.push({
      field: 'labelsPath',
      severity: 'warning',
      message: `${path.basename(labelsPath ?? 'labels')} has ${labels.length} labels but output "${classifierOutput.name}" has ${classCount(classifierOutput)} classes: results will show "class N" where a label is missing.`,
    });
  }
  return { preprocess, preprocessPath: prePath, preprocessDerived: derived, labels, labelsPath: labels ? labelsPath : null, imageInput, classifierOutput, issues };
}

/** The runner-config.json the app and the bundle read (see the template's model-runner-core.d.cts). */
export function runnerConfig(summary: ModelSummary, assets: ModelAssets, modelName: string, modelFile: string, session: ResolvedSessionOptions | null = null): Record<string, unknown> {
  const meta = (t: TensorInfo) => ({ name: t.name, dtype: t.dtype, shape: t.shape });
  return {
    modelName,
    modelFile,
    inputs: summary.inputs.filter((i) => i.kind === 'tensor').map(meta),
    outputs: summary.outputs.filter((o) => o.kind === 'tensor').map(meta),
    imageInput: assets.imageInput?.name ?? null,
    classifierOutput: assets.classifierOutput?.name ?? null,
    preprocess: assets.preprocess,
    labels: assets.labels,
    // threads only when the user chose them: otherwise the runner takes one per physical core of its machine (the
    // studio's own default), which also fits a profile measured here on fewer cores than the device has
    session: {
      intraOpThreads: session?.threadsFrom === 'user' ? session.intraOpThreads : null,
      interOpThreads: session?.interOpThreads ?? 1,
      graphOptimizationLevel: session?.graphOptimizationLevel ?? 'all',
      executionMode: session?.executionMode ?? 'sequential',
    },
  };
}
