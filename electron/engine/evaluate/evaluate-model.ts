/** `evaluateModel`: one model's accuracy (and fidelity to a reference) on a dataset, for passes and the API. */
import type { EvaluationDto } from '../../../shared/api/evaluate-dto';
import type { SessionOptionsDto } from '../../../shared/api/runtime-api';
import { loadModelFile, type LoadedModel } from '../onnx/load';
import { runnerModelOf } from '../runtime/model-files';
import type { RunnerClient } from '../runtime/runner/runner-client';
import { runtimeFor } from '../runtime/engine-runtime';
import { resolveSessionOptions } from '../runtime/session-options';
import type { StudioEngine } from '../studio-engine';
import { modelIo, openDataset, type DatasetOptions } from './datasets';
import { evaluateAlternating, type EvalModel } from './evaluate-core';

/** Options of {@link evaluateModel}. */
export interface EvaluateOptions {
  /** the data: path, preprocessing, labels, subset */
  data: DatasetOptions;
  /** the model fidelity is measured against (the original, when evaluating a variant) */
  reference?: LoadedModel | string;
  /** items per run (default 32; 1 when the model's batch axis is fixed) */
  batchSize?: number;
  /** the output metrics look at (default: the class scores, else the first output) */
  outputName?: string;
  session?: SessionOptionsDto;
  targetId?: string;
  /** the inference process to use (default: the engine's) */
  runner?: RunnerClient;
  signal?: AbortSignal;
  onProgress?: (fraction: number, stage: string) => void;
}

/** @returns the model as an evaluation participant. */
export function evalModel(model: LoadedModel | string): EvalModel {
  const loaded = typeof model === 'string' ? loadModelFile(model) : model;
  return { loaded, io: modelIo(loaded.proto), runnerModel: runnerModelOf(loaded) };
}

/**
 * Evaluates a model on a dataset: top-1/top-5 accuracy and the confusion matrix for labelled classifier data,
 * expected-output match for ONNX test data, and fidelity (top-1 agreement, cosine, SNR, abs errors) to `reference`.
 * @param engine - the engine (its inference process runs the model unless `options.runner` is given)
 * @param model - the model: loaded, or a file path (a pass can save its candidate to a temporary file)
 * @param options - data, reference, batch, session options, progress and cancellation
 * @returns the metrics, with what the dataset held and what was skipped (counted, with reasons)
 * @throws StudioError naming the problem: unreadable data, no usable item, a model that does not fit the data
 */
export async function evaluateModel(engine: StudioEngine, model: LoadedModel | string, options: EvaluateOptions): Promise<EvaluationDto> {
  const subject = evalModel(model);
  const reference = options.reference ? evalModel(options.reference) : null;
  const models = reference ? [reference, subject] : [subject];
  const configDirs = [...new Set([...(options.data.configDirs ?? []), ...models.map((m) => m.loaded.dir)])];
  const dataset = openDataset({ ...options.data, configDirs }, (reference ?? subject).io);
  const { options: sessionOptions } = await resolveSessionOptions(options.session, options.targetId);
  const outcome = await evaluateAlternating(models, 0, dataset, {
    runner: options.runner ?? runtimeFor(engine).runner,
    sessionOptions,
    batchSize: options.batchSize ?? 32,
    outputName: options.outputName,
    signal: options.signal,
    onProgress: options.onProgress,
  });
  const m = outcome.perModel[models.length - 1];
  return {
    modelPath: subject.loaded.path,
    fileName: subject.loaded.fileName,
    outputName: outcome.outputName,
    dataset: { ...dataset.info, skipped: dataset.skips.toDto() },
    evaluated: outcome.evaluated,
    classification: m.classification,
    fidelity: m.fidelity,
    expected: m.expected,
    msPerItem: outcome.evaluated ? m.runMs / outcome.evaluated : 0,
    warnings: outcome.warnings,
  };
}
