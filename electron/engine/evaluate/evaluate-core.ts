/** Runs N models over one dataset, batch by batch in rotating order, and accumulates each model's metrics. */
import type { ClassificationMetricsDto, ExpectedMatchDto, FidelityMetricsDto } from '../../../shared/api/evaluate-dto';
import { StudioError } from '../../../shared/api/errors';
import type { LoadedModel } from '../onnx/load';
import type { BackendSessionOptions, HostTensor } from '../runtime/backend';
import type { RunnerClient } from '../runtime/runner/runner-client';
import type { RunnerModel, RunOutcome } from '../runtime/runner/runner-protocol';
import type { Dataset, ModelIo } from './datasets';
import { ClassificationAccumulator, classRows, ExpectedAccumulator, FidelityAccumulator, rowValues } from './metrics';

/** One model taking part in an evaluation. */
export interface EvalModel {
  loaded: LoadedModel;
  io: ModelIo;
  runnerModel: RunnerModel;
}

/** How the evaluation runs. */
export interface EvalSetup {
  runner: RunnerClient;
  sessionOptions: BackendSessionOptions;
  /** items per run (capped at 1 when the model's batch axis is fixed) */
  batchSize: number;
  /** the output the metrics look at; default: the first shaped like class scores, else the first */
  outputName?: string;
  rtol?: number;
  atol?: number;
  signal?: AbortSignal;
  onProgress?: (fraction: number, stage: string) => void;
}

/** What one model scored. */
export interface ModelMetrics {
  classification: ClassificationMetricsDto | null;
  /** against the reference; null for the reference itself */
  fidelity: FidelityMetricsDto | null;
  expected: ExpectedMatchDto | null;
  /** summed model time over the evaluation runs, milliseconds */
  runMs: number;
}

export interface EvalOutcome {
  perModel: ModelMetrics[];
  evaluated: number;
  outputName: string;
  warnings: string[];
}

/** @returns the output metrics look at: the requested one, else the first declared like class scores, else the first. */
export function pickOutput(io: ModelIo, requested?: string): string {
  if (requested) {
    if (!io.outputs.some((o) => o.name === requested)) {
      throw new StudioError('INVALID_REQUEST', `The model has no output "${requested}" (it has ${io.outputs.map((o) => o.name).join(', ')}).`);
    }
    return requested;
  }
  const scores = io.outputs.find((o) => o.shape && classRows({ dtype: o.dtype as HostTensor['dtype'], dims: o.shape.map((d) => (typeof d === 'number' ? d : 2)) }));
  const first = scores ?? io.outputs[0];
  if (!first) throw new StudioError('INVALID_INPUT', 'The model has no outputs to evaluate.');
  return first.name;
}

async function runOne(setup: EvalSetup, m: EvalModel, feeds: Record<string, HostTensor>, outputs: string[] | undefined): Promise<RunOutcome> {
  return setup.runner.call<RunOutcome>(
    { op: 'run', model: m.runnerModel, options: setup.sessionOptions, feeds, ...(outputs ? { outputs } : {}) },
    { what: `the evaluation of ${m.loaded.fileName}`, signal: setup.signal },
  );
}

/**
 * Evaluates models on a dataset; every batch runs through each model, starting with a different model each batch.
 * @param models - the models (variants of one model: same inputs and outputs)
 * @param referenceIndex - the model fidelity is measured against
 * @param dataset - the data (skips while reading are counted in its skip log)
 * @throws StudioError `INVALID_INPUT` when no item could be evaluated (the message carries the skip report)
 */
export async function evaluateAlternating(models: EvalModel[], referenceIndex: number, dataset: Dataset, setup: EvalSetup): Promise<EvalOutcome> {
  const ref = models[referenceIndex];
  const outputName = pickOutput(ref.io, setup.outputName);
  for (const m of models) {
    if (!m.io.outputs.some((o) => o.name === outputName)) {
      throw new StudioError('INVALID_INPUT', `${m.loaded.fileName} has no output "${outputName}"; only variants of one model can be compared.`);
    }
  }
  const warnings: string[] = [];
  const wantExpected = dataset.info.hasExpectedOutputs;
  const fetch = wantExpected ? undefined : [outputName];
  const fidelity = models.map((_, i) => (i === referenceIndex ? null : new FidelityAccumulator()));
  const expected = models.map(() => (wantExpected ? new ExpectedAccumulator(setup.rtol, setup.atol) : null));
  const runMs = models.map(() => 0);
  let classification: Array<ClassificationAccumulator | null> | null = null;
  let classesChecked = false;
  const batchSize = dataset.maxBatch(setup.batchSize);
  const total = Math.max(1, dataset.items.length);
  let done = 0;
  let evaluated = 0;
  let batchIndex = 0;
  for await (const batch of dataset.batches(batchSize, setup.signal)) {
    if (setup.signal?.aborted) break;
    const rows = batch.ids.length;
    const outs: Array<Record<string, HostTensor>> = new Array(models.length);
    for (let k = 0; k < models.length; k++) {
      const i = (batchIndex + k) % models.length;
      const r = await runOne(setup, models[i], batch.inputs, fetch);
      outs[i] = r.outputs;
      runMs[i] += r.ms;
    }
    batchIndex++;
    const refOut = outs[referenceIndex][outputName];
    if (!classesChecked) {
      classesChecked = true;
      const shape = classRows(refOut);
      const names = dataset.info.classNames;
      const implicit = dataset.info.labelsSource?.startsWith('sorted folder names') ?? false;
      if (batch.labels && shape && implicit && names && names.length !== shape.classes) {
        // folder i = class i only holds when the folders are the model's classes; otherwise the accuracy would be fiction
        warnings.push(
          `The data has ${names.length} class folders but output "${outputName}" scores ${shape.classes} classes, and no labels file maps folders to classes: ` +
            'no accuracy was computed (give a labels file or classes.json); fidelity to the reference still was.',
        );
      } else if (batch.labels && shape) {
        if (names && names.length > shape.classes) {
          warnings.push(`The data names ${names.length} classes but output "${outputName}" scores ${shape.classes}; items labelled past class ${shape.classes - 1} are skipped.`);
        } else if (names && names.length < shape.classes) {
          warnings.push(
            `The data names ${names.length} classes but output "${outputName}" scores ${shape.classes}: data class i is taken as model class i (from ${dataset.info.labelsSource}); check that this mapping is right.`,
          );
        }
        classification = models.map(() => new ClassificationAccumulator(shape.classes, names));
      } else if (batch.labels) {
        warnings.push(`Output "${outputName}" [${refOut.dims.join(', ')}] is not shaped like class scores, so the labels were not used (no accuracy).`);
      }
    }
    const width = classRows(refOut)?.classes ?? 0;
    for (let r = 0; r < rows && classification && batch.labels; r++) {
      const label = batch.labels[r];
      if (label === null) continue;
      if (label >= width) {
        dataset.skips.add('label outside the model classes', batch.ids[r], `label ${label} but output "${outputName}" scores ${width} classes`);
        continue;
      }
      models.forEach((_, i) => classification?.[i]?.add(rowValues(outs[i][outputName], r, width), label));
    }
    models.forEach((m, i) => {
      try {
        fidelity[i]?.add(outs[i][outputName], refOut, rows);
      } catch (err) {
        throw new StudioError('INVALID_INPUT', `${m.loaded.fileName} cannot be compared with ${ref.loaded.fileName}: ${(err as Error).message}.`);
      }
      if (batch.expected) expected[i]?.add(batch.ids[0], outs[i], batch.expected);
    });
    evaluated += rows;
    done += rows;
    setup.onProgress?.(Math.min(1, (done + dataset.skips.count) / total), `item ${done} of ${dataset.items.length}`);
  }
  if (setup.signal?.aborted) throw new StudioError('JOB_CANCELLED', 'The evaluation was cancelled.');
  if (evaluated === 0) {
    const report = dataset.skips.toDto();
    const example = report.reasons[0]?.examples[0];
    throw new StudioError(
      'INVALID_INPUT',
      `No item of ${dataset.info.path} could be evaluated (${dataset.skips.summary()})${example ? `; e.g. ${example.item}: ${example.detail}` : ''}.`,
    );
  }
  return {
    perModel: models.map((_, i) => ({
      classification: classification?.[i]?.result() ?? null,
      fidelity: fidelity[i]?.result() ?? null,
      expected: expected[i]?.result() ?? null,
      runMs: runMs[i],
    })),
    evaluated,
    outputName,
    warnings,
  };
}
