/** Turns scanned items into batches: decode lazily, check each item against the model's inputs, stack along axis 0. */
import type { HostTensor, NumericData } from '../../runtime/backend';
import { describeTensor } from '../../runtime/host-tensor';
import type { Dataset, DatasetBatch, DatasetItem, DatasetOptions, ModelIo, ModelValueInfo, ScannedDataset, SkipLog } from './dataset';
import { pickSubset } from './subset';

/** @returns true when the model input takes any size on its first axis (a batch axis). */
export function hasDynamicBatch(input: ModelValueInfo): boolean {
  const first = input.shape?.[0];
  return input.shape !== null && input.shape.length > 0 && (first === null || typeof first === 'string');
}

/**
 * Checks one item's tensor against a model input.
 * @returns why it does not fit, or null when it does
 */
export function shapeProblem(t: HostTensor, input: ModelValueInfo): string | null {
  if (t.dtype !== input.dtype) return `input "${input.name}" expects ${input.dtype}, the item is ${describeTensor(t)}`;
  const shape = input.shape;
  if (!shape) return null;
  const want = `[${shape.map((d) => (d === null ? '?' : d)).join(', ')}]`;
  if (t.dims.length !== shape.length) return `input "${input.name}" expects rank ${shape.length} ${want}, the item is ${describeTensor(t)}`;
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i];
    if (typeof d === 'number' && d !== t.dims[i]) return `input "${input.name}" expects ${want}, the item is ${describeTensor(t)}`;
  }
  return null;
}

function sameDims(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Concatenates tensors of equal shape along axis 0. */
export function stack(parts: HostTensor[]): HostTensor {
  if (parts.length === 1) return parts[0];
  const first = parts[0];
  const dims = [...first.dims];
  dims[0] = parts.reduce((n, p) => n + p.dims[0], 0);
  if (Array.isArray(first.data)) return { dtype: first.dtype, dims, data: parts.flatMap((p) => p.data as string[]) };
  const total = parts.reduce((n, p) => n + p.data.length, 0);
  const Ctor = first.data.constructor as { new (n: number): NumericData };
  const out = new Ctor(total);
  let offset = 0;
  for (const p of parts) {
    (out as Float32Array).set(p.data as Float32Array, offset);
    offset += p.data.length;
  }
  return { dtype: first.dtype, dims, data: out };
}

/** A loaded item that passed the checks. */
interface Ready {
  id: string;
  label: number | null;
  feeds: Record<string, HostTensor>;
  expected: Record<string, HostTensor> | null;
}

async function loadItem(item: DatasetItem, io: ModelIo, skips: SkipLog): Promise<Ready | null> {
  let feeds: Record<string, HostTensor>;
  let expected: Record<string, HostTensor> | null = null;
  try {
    feeds = await item.load();
    if (item.expected) expected = await item.expected();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const reason = /image/i.test(message) ? 'unreadable image' : 'unreadable item';
    skips.add(reason, item.id, message);
    return null;
  }
  for (const input of io.inputs) {
    const t = feeds[input.name];
    if (!t) {
      skips.add('missing input', item.id, `the item has no data for input "${input.name}"`);
      return null;
    }
    const problem = shapeProblem(t, input);
    if (problem) {
      skips.add('wrong input shape', item.id, problem);
      return null;
    }
  }
  return { id: item.id, label: item.label, feeds, expected };
}

function toBatch(ready: Ready[], labelled: boolean): DatasetBatch {
  const inputs: Record<string, HostTensor> = {};
  for (const name of Object.keys(ready[0].feeds)) inputs[name] = stack(ready.map((r) => r.feeds[name]));
  return {
    ids: ready.map((r) => r.id),
    labels: labelled ? ready.map((r) => r.label) : null,
    inputs,
    expected: ready.length === 1 ? ready[0].expected : null,
  };
}

/**
 * Wraps a scanned dataset for one model.
 * @param scanned - what the reader found
 * @param io - the model's inputs and outputs
 * @param options - the subset options
 */
export function makeDataset(scanned: ScannedDataset, io: ModelIo, options: DatasetOptions): Dataset {
  const { items, subset } = pickSubset(scanned.items, options.limit, options.sampling, options.seed);
  const skips = scanned.skips;
  const hasLabels = scanned.classNames !== null || scanned.items.some((i) => i.label !== null);
  const feedNames = new Set(io.inputs.map((i) => i.name));
  const batchable = scanned.batchable && io.inputs.length > 0 && io.inputs.every(hasDynamicBatch);
  const info = {
    kind: scanned.kind,
    path: scanned.path,
    foundCount: scanned.items.length,
    itemCount: items.length,
    subset,
    classNames: scanned.classNames,
    labelsSource: scanned.labelsSource,
    hasLabels,
    hasExpectedOutputs: scanned.items.some((i) => i.expected !== undefined),
    preprocess: scanned.preprocess,
    preprocessSource: scanned.preprocessSource,
    get skipped() {
      return skips.toDto();
    },
  };
  return {
    info,
    skips,
    items,
    maxBatch: (wanted) => (batchable ? Math.max(1, wanted) : 1),
    async *batches(batchSize, signal) {
      const size = batchable ? Math.max(1, batchSize) : 1;
      let pending: Ready[] = [];
      for (const item of items) {
        if (signal?.aborted) return;
        const ready = await loadItem(item, io, skips);
        if (!ready) continue;
        for (const name of Object.keys(ready.feeds)) if (!feedNames.has(name)) delete ready.feeds[name];
        const head = pending[0];
        if (head && Object.keys(head.feeds).some((n) => !sameDims(head.feeds[n].dims, ready.feeds[n].dims))) {
          yield toBatch(pending, hasLabels);
          pending = [];
        }
        pending.push(ready);
        if (pending.length >= size) {
          yield toBatch(pending, hasLabels);
          pending = [];
        }
      }
      if (pending.length && !signal?.aborted) yield toBatch(pending, hasLabels);
    },
  };
}
