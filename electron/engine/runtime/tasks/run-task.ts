/** Runs a model as a task (the one `run --task` and the demo use): picks the task, runs, and reads the outputs. */
import * as path from 'node:path';
import { StudioError } from '../../../../shared/api/errors';
import type { InputSpec } from '../../../../shared/api/input-spec';
import type { TaskGuessDto, TaskKind, TaskOptions, TaskResultDto, TaskSetting } from '../../../../shared/tasks/task-types';
import type { LoadedModel } from '../../onnx/load';
import { buildFeeds } from '../inputs/build-feeds';
import { modelInputs, modelOutputs } from '../inputs/input-spec';
import type { PreprocessConfig } from '../../../../shared/api/preprocess';
import { findModelExtras, readLabels } from '../inputs/model-extras';
import type { RuntimeService } from '../runtime-service';
import { runAudioTask } from './audio-task';
import { guessTask } from './guess-task';
import { runImageTask } from './image-task';
import { tensorView } from './tensor-view';

/** @returns the model's metadata_props as a record. */
export function modelMetadata(loaded: LoadedModel): Record<string, string> {
  return Object.fromEntries((loaded.proto.metadataProps ?? []).map((p) => [p.key, p.value]));
}

/** @returns the studio's guess of a model's task. */
export function guessModelTask(loaded: LoadedModel): TaskGuessDto {
  return guessTask({ inputs: modelInputs(loaded), outputs: modelOutputs(loaded), metadata: modelMetadata(loaded) });
}

/**
 * Class names: a labels file given, `labels.txt` beside the model, else the model's metadata (`labels` as a JSON list,
 * or Ultralytics' `names` as `{0: 'person', …}`).
 */
export function taskLabels(loaded: LoadedModel, labelsPath?: string): string[] | null {
  if (labelsPath) return readLabels(labelsPath);
  const extras = findModelExtras(loaded.path);
  if (extras.labels) return extras.labels;
  const meta = modelMetadata(loaded);
  if (meta.labels) {
    try {
      const parsed: unknown = JSON.parse(meta.labels);
      if (Array.isArray(parsed)) return parsed.map(String);
    } catch {
      // not JSON: fall through
    }
  }
  if (meta.names) {
    const names = [...meta.names.matchAll(/\d+\s*:\s*['"]([^'"]*)['"]/g)].map((m) => m[1]);
    if (names.length) return names;
  }
  return null;
}

/** One task run. */
export interface TaskRunRequest {
  inputPath: string;
  /** `auto` (or undefined): the family's setting, else the guess */
  kind?: TaskKind | 'auto';
  /** the family's saved setting, when there is one */
  setting?: TaskSetting;
  options?: TaskOptions;
  labelsPath?: string;
  /** the family's settings from the Model place (they come before files beside the model) */
  family?: { preprocess: { config: PreprocessConfig; source: string } | null; labels: { names: string[] } | null };
  spec?: InputSpec;
  targetId?: string;
  checkReadable?: (absPath: string) => void;
  signal?: AbortSignal;
  onProgress?: (fraction: number, stage: string) => void;
}

/** The task chosen, why, and its result. */
export interface TaskRun {
  kind: TaskKind;
  chosenBy: 'user' | 'saved' | 'guess';
  guess: TaskGuessDto;
  result: TaskResultDto;
}

/**
 * Runs a model on one input file as a task.
 * @param runtime - the runtime service
 * @param loaded - the model
 * @param req - the input, the task (or auto), options
 * @throws StudioError `INVALID_INPUT` when the input or the outputs do not fit the task (the message names the flag to change it)
 */
export async function runTask(runtime: RuntimeService, loaded: LoadedModel, req: TaskRunRequest): Promise<TaskRun> {
  const guess = guessModelTask(loaded);
  const explicit = req.kind && req.kind !== 'auto' ? req.kind : undefined;
  const kind = explicit ?? req.setting?.kind ?? guess.kind;
  const chosenBy = explicit ? 'user' : req.setting ? 'saved' : 'guess';
  const options: TaskOptions = { ...(req.setting?.options ?? {}), ...(req.options ?? {}) };
  const labels = req.labelsPath || !req.family?.labels ? taskLabels(loaded, req.labelsPath) : req.family.labels.names;
  req.onProgress?.(0.05, 'preparing the input');
  const abs = path.resolve(req.inputPath);
  req.checkReadable?.(abs);
  let result: TaskResultDto;
  if (kind === 'audio') {
    result = await runAudioTask(runtime, loaded, { inputPath: abs, options, spec: req.spec, metadata: modelMetadata(loaded), targetId: req.targetId, signal: req.signal, onProgress: req.onProgress });
  } else if (/\.(wav|wave|flac)$/i.test(abs)) {
    throw new StudioError('INVALID_INPUT', `${path.basename(abs)} is audio, but the task is ${kind}. Choose --task audio for an audio model.`);
  } else if (kind === 'tensor' && !/\.(png|jpe?g|webp|gif|tiff?|avif)$/i.test(abs)) {
    const inputs = modelInputs(loaded);
    const built = await buildFeeds({ inputs, sources: { [inputs[0]?.name ?? '']: { kind: 'file', path: abs } }, spec: req.spec, specDir: loaded.dir, proto: loaded.proto, checkReadable: req.checkReadable });
    const r = await runtime.runFeeds(loaded, built.feeds, { targetId: req.targetId });
    result = {
      kind: 'tensor',
      fileName: loaded.fileName,
      inputName: inputs[0]?.name ?? '',
      inputFile: path.basename(abs),
      sourceWidth: 0,
      sourceHeight: 0,
      latencyMs: r.ms,
      runs: 1,
      notes: built.guesses,
      outputs: Object.entries(r.outputs).map(([n, t]) => tensorView(n, t)),
    };
  } else {
    result = await runImageTask(runtime, loaded, { kind, inputPath: abs, options, labels, preprocess: req.family?.preprocess ?? null, spec: req.spec, targetId: req.targetId, checkReadable: req.checkReadable });
  }
  req.onProgress?.(1, 'done');
  return { kind, chosenBy, guess, result };
}
