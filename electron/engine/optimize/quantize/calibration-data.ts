/** Calibration and validation data for quantization: the user's dataset streamed in batches, or seeded random inputs. */
import * as path from 'node:path';
import { StudioError } from '../../../../shared/api/errors';
import type { InputSpec } from '../../../../shared/api/input-spec';
import { modelIo, openDataset, type ModelIo } from '../../evaluate/datasets';
import type { ModelProto } from '../../onnx/proto';
import type { HostTensor } from '../../runtime/backend';
import { isTensorDtype } from '../../runtime/host-tensor';
import { declaredInputs } from '../../runtime/inputs/input-spec';
import { makeInputTensor, resolveInputs } from '../../runtime/inputs/spec-resolve';

/** One batch of feeds. */
export interface FeedBatch {
  inputs: Record<string, HostTensor>;
  /** class labels per item, when the data is labelled */
  labels: Array<number | null> | null;
  /** items in the batch */
  count: number;
}

/** Data a quantization pass reads, as many times as it needs (each read streams again). */
export interface FeedSource {
  /** what it is, for reports (`50 images from …/images`) */
  description: string;
  /** true for generated random inputs */
  random: boolean;
  /** items per full read */
  count: number;
  hasLabels: boolean;
  /** class names by index, when known */
  classNames: string[] | null;
  /** @param signal - stops between batches */
  batches(signal?: AbortSignal): AsyncGenerator<FeedBatch>;
}

export interface FeedSourceOptions {
  /** a dataset folder or `.npy` file; undefined for random data */
  path?: string;
  /** at most this many items */
  limit?: number;
  /** items per batch when the model's batch dimension is free */
  batchSize: number;
  /** folders to look in for `preprocess.json`, `labels.txt`, `classes.json` (the model's own folder first) */
  configDirs: string[];
  /** random items when no path is given */
  randomCount?: number;
  seed?: number;
  /** sizes and values of inputs for random items (the model's input spec) */
  inputSpec?: InputSpec;
}

/** Items per batch by default: enough to amortize a run, small enough that all intermediate tensors fit in memory. */
export const DEFAULT_BATCH = 8;

/**
 * Opens data for a model.
 * @param proto - the model the data feeds (its declared inputs decide shapes)
 * @throws StudioError naming what is wrong with the dataset
 */
export function openFeedSource(proto: ModelProto, o: FeedSourceOptions): FeedSource {
  const io = modelIo(proto);
  if (!o.path) return randomSource(proto, io, o.randomCount ?? 16, o.seed ?? 1234, o.batchSize, o.inputSpec);
  const ds = openDataset({ path: o.path, limit: o.limit, configDirs: o.configDirs }, io);
  if (ds.items.length === 0) {
    throw new StudioError('INVALID_INPUT', `${o.path} holds no items this model can use (${ds.skips.summary()}). Check the folder and its preprocessing.`);
  }
  const what = ds.info.kind === 'image-folder' ? 'images' : ds.info.kind === 'npy' ? 'array rows' : 'test data sets';
  return {
    description: `${ds.items.length} ${what} from ${path.basename(path.resolve(o.path))}`,
    random: false,
    count: ds.items.length,
    hasLabels: ds.info.hasLabels,
    classNames: ds.info.classNames,
    async *batches(signal) {
      for await (const b of ds.batches(ds.maxBatch(o.batchSize), signal)) {
        yield { inputs: b.inputs, labels: b.labels, count: b.ids.length };
      }
    },
  };
}

function randomSource(proto: ModelProto, io: ModelIo, count: number, seed: number, batchSize: number, spec: InputSpec | undefined): FeedSource {
  const resolved = resolveInputs(declaredInputs(proto), spec, {}, { proto });
  const free = io.inputs.every((i) => i.shape && i.shape.length > 0 && typeof i.shape[0] !== 'number');
  const per = free ? Math.max(1, batchSize) : 1;
  for (const input of io.inputs) {
    if (!isTensorDtype(input.dtype) || input.dtype === 'string') {
      throw new StudioError('INVALID_INPUT', `Input "${input.name}" is ${input.dtype}: random calibration data cannot be made for it. Give calibration data.`);
    }
  }
  return {
    description: `${count} random inputs (seed ${seed})${resolved.guesses.length ? `; guessed: ${resolved.guesses.join('; ')}` : ''}`,
    random: true,
    count,
    hasLabels: false,
    classNames: null,
    async *batches(signal) {
      let made = 0;
      let k = 0;
      while (made < count) {
        if (signal?.aborted) return;
        const n = Math.min(per, count - made);
        const inputs: Record<string, HostTensor> = {};
        for (const r of resolved.inputs) {
          const dims = r.axes.map((a) => (a.axis === 0 && free && a.origin !== 'spec' ? n : a.value));
          inputs[r.name] = makeInputTensor(r, seed + 7919 * k, dims);
        }
        k++;
        made += n;
        yield { inputs, labels: null, count: n };
      }
    },
  };
}

/** @returns the first `n` items of each tensor of a batch (along axis 0). */
function sliceBatch(inputs: Record<string, HostTensor>, n: number): Record<string, HostTensor> {
  const out: Record<string, HostTensor> = {};
  for (const [name, t] of Object.entries(inputs)) {
    const per = t.dims.slice(1).reduce((a, b) => a * b, 1);
    const data = (t.data as Float32Array).subarray(0, n * per) as HostTensor['data'];
    out[name] = { dtype: t.dtype, dims: [n, ...t.dims.slice(1)], data };
  }
  return out;
}

/**
 * The first items of a source.
 * @param source - the data
 * @param n - items kept at most
 */
export function limitSource(source: FeedSource, n: number): FeedSource {
  if (n >= source.count) return source;
  return {
    ...source,
    description: `${n} of ${source.description}`,
    count: n,
    async *batches(signal) {
      let left = n;
      for await (const b of source.batches(signal)) {
        if (left <= 0) return;
        if (b.count <= left) {
          left -= b.count;
          yield b;
        } else {
          yield { inputs: sliceBatch(b.inputs, left), labels: b.labels ? b.labels.slice(0, left) : null, count: left };
          return;
        }
      }
    },
  };
}
