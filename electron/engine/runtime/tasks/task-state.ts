/** The task of an open model: the studio's guess and the setting saved with its variant family. */
import * as path from 'node:path';
import { StudioError } from '../../../../shared/api/errors';
import type { TaskSetting, TaskStateDto } from '../../../../shared/tasks/task-types';
import type { LoadedModel } from '../../onnx/load';
import type { StudioEngine } from '../../studio-engine';
import { variantStore } from '../../variants/variant-family';
import { guessModelTask } from './run-task';

/** @returns the guess, the family's setting and the kind runs use. */
export function taskState(engine: StudioEngine, modelId: string): TaskStateDto {
  const loaded = engine.loadedModel(modelId);
  const guess = guessModelTask(loaded);
  const setting = variantStore(engine).taskOf(loaded.path) ?? null;
  return { modelId, guess, setting, kind: setting?.kind ?? guess.kind, options: setting?.options ?? {} };
}

/** Saves (or with null clears) the task of the model's family. */
export function setTaskSetting(engine: StudioEngine, modelId: string, setting: TaskSetting | null): TaskStateDto {
  variantStore(engine).setTask(engine.loadedModel(modelId).path, setting ?? undefined);
  return taskState(engine, modelId);
}

function inside(dir: string, file: string): boolean {
  const rel = path.relative(dir, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

/**
 * @returns a check that refuses files outside the session's folders (serve mode), the model's and the sample's
 * folders excepted (the same rule as the runtime's run and classify)
 */
export function taskReadableCheck(engine: StudioEngine, loaded: LoadedModel): (file: string) => void {
  const allow = engine.settings.allowPath;
  if (!allow) return () => undefined;
  const sampleDir = path.dirname(path.resolve(engine.settings.samplePath));
  return (file) => {
    const abs = path.resolve(file);
    if (inside(loaded.dir, abs) || inside(sampleDir, abs) || allow(abs)) return;
    throw new StudioError('ACCESS_DENIED', `${abs} is outside the folders this session may read. Drop or choose the file instead.`);
  };
}
