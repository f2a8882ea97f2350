/** Calibration inputs for pruning (a dataset, or seeded random inputs), split into fit and held-out items, and batched runs. */
import * as path from 'node:path';
import type { InputSpec } from '../../../../shared/api/input-spec';
import { StudioError } from '../../../../shared/api/errors';
import type { CalibrationOptions } from '../../../../shared/prune/prune-options';
import { hasDynamicBatch, modelIo, openDataset, stack } from '../../evaluate/datasets';
import type { ModelProto } from '../../onnx/proto';
import type { HostTensor } from '../../runtime/backend';
import type { TensorRunner } from '../../runtime/calibration-run';
import { declaredInputs } from '../../runtime/inputs/input-spec';
import { makeInputTensor, resolveInputs } from '../../runtime/inputs/spec-resolve';

/** Items to run, each with batch size 1. */
export interface Calibration {
  items: Array<Record<string, HostTensor>>;
  /** items recovery fits on */
  fit: number[];
  /** items the output error is measured on (never fitted on) */
  holdout: number[];
  /** what the data is, for reports */
  description: string;
  /** items can be stacked along axis 0 */
  batchable: boolean;
  random: boolean;
}

/** Items per run when the model takes a batch. */
const BATCH = 16;

function split(n: number): { fit: number[]; holdout: number[] } {
  const all = Array.from({ length: n }, (_, i) => i);
  if (n < 8) return { fit: all, holdout: all };
  const k = Math.max(2, Math.round(n * 0.25));
  // every 4th item is held out, so both halves cover the data's classes
  const holdout = all.filter((i) => i % Math.round(n / k) === 0).slice(0, k);
  const held = new Set(holdout);
  return { fit: all.filter((i) => !held.has(i)), holdout };
}

/**
 * Reads calibration data.
 * @param options - where it is and how many samples
 * @param proto - the model it feeds
 * @param sourceDir - relative paths resolve against the model's folder (its `preprocess.json` is found there too)
 * @param configDirs - where `preprocess.json`/`labels.txt` are looked up (the family's folder first); default `[sourceDir]`
 * @throws StudioError naming the problem when the data cannot be read or fits no input
 */
export async function loadCalibration(options: CalibrationOptions, proto: ModelProto, sourceDir: string, signal?: AbortSignal, configDirs: string[] = [sourceDir]): Promise<Calibration> {
  const io = modelIo(proto);
  const dataPath = path.resolve(sourceDir, options.path);
  const dataset = openDataset(
    { path: dataPath, limit: options.limit, sampling: 'random', seed: 1, preprocess: options.preprocess, configDirs },
    io,
  );
  const items: Array<Record<string, HostTensor>> = [];
  for await (const batch of dataset.batches(1, signal)) items.push(batch.inputs);
  if (signal?.aborted) throw new StudioError('JOB_CANCELLED', 'Pruning was cancelled.');
  if (items.length < 2) {
    const skipped = dataset.info.skipped;
    const why = skipped.reasons[0] ? ` (${skipped.count} skipped: ${skipped.reasons[0].reason}, e.g. ${skipped.reasons[0].examples[0]?.detail})` : '';
    throw new StudioError('INVALID_INPUT', `The calibration data ${dataPath} gave ${items.length} usable sample(s)${why}. Give at least 2 inputs the model accepts.`);
  }
  const { fit, holdout } = split(items.length);
  const skipped = dataset.info.skipped.count;
  return {
    items,
    fit,
    holdout,
    description: `${path.basename(dataPath)} (${items.length} samples${skipped ? `, ${skipped} skipped` : ''})`,
    batchable: io.inputs.every(hasDynamicBatch),
    random: false,
  };
}

/** Seeded random inputs (for checking a model runs when no calibration data is given). */
export function randomCalibration(proto: ModelProto, count: number, spec?: InputSpec): Calibration {
  const io = modelIo(proto);
  const resolved = resolveInputs(declaredInputs(proto), spec, {}, { proto });
  const items = Array.from({ length: count }, (_, k) => Object.fromEntries(resolved.inputs.map((r, j) => [r.name, makeInputTensor(r, 1000 + 31 * k + j)])));
  const all = items.map((_, i) => i);
  return { items, fit: all, holdout: all, description: `${count} random inputs`, batchable: io.inputs.every(hasDynamicBatch), random: true };
}

/**
 * Runs a model over some items, in batches when the model takes them.
 * @param visit - receives each batch's outputs and the item indexes it holds
 */
export async function runItems(
  runner: TensorRunner,
  cal: Calibration,
  indexes: readonly number[],
  outputs: readonly string[],
  visit: (out: Record<string, HostTensor>, items: number[]) => void,
  signal?: AbortSignal,
): Promise<void> {
  const size = cal.batchable ? BATCH : 1;
  for (let i = 0; i < indexes.length; i += size) {
    if (signal?.aborted) throw new StudioError('JOB_CANCELLED', 'Pruning was cancelled.');
    const chunk = indexes.slice(i, i + size);
    const feeds: Record<string, HostTensor> = {};
    for (const name of Object.keys(cal.items[chunk[0]])) feeds[name] = stack(chunk.map((k) => cal.items[k][name]));
    visit(await runner.run(feeds, outputs), chunk);
  }
}
