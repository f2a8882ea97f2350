/** Statistics, histogram and a value preview of one weight, computed in the engine so whole tensors never cross. */
import { StudioError } from '../../../shared/api/errors';
import type { TensorDetailsDto, TensorStatsDto } from '../../../shared/api/graph-api';
import { byteSize, dtypeName } from '../onnx/dtypes';
import type { ExternalRef } from '../onnx/external-data';
import type { Graph } from '../onnx/ir/graph';
import { DataType, type TensorProto } from '../onnx/proto';
import { elementCount, tensorStrings, tensorValues, type TensorArray } from '../onnx/tensor-data';

/** @returns a float16 bit pattern as a number. */
export function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

const bf = new DataView(new ArrayBuffer(4));
/** @returns a bfloat16 bit pattern as a number. */
export function bfloat16ToFloat(h: number): number {
  bf.setUint32(0, h << 16);
  return bf.getFloat32(0);
}

/** @returns element i of a typed array as a JS number (float16 and bfloat16 decoded). */
function reader(values: TensorArray, dataType: number): (i: number) => number {
  if (dataType === DataType.FLOAT16) return (i) => halfToFloat(values[i] as number);
  if (dataType === DataType.BFLOAT16) return (i) => bfloat16ToFloat(values[i] as number);
  if (values instanceof BigInt64Array || values instanceof BigUint64Array) return (i) => Number(values[i]);
  return (i) => values[i] as number;
}

const FLOAT8 = new Set<number>([DataType.FLOAT8E4M3FN, DataType.FLOAT8E4M3FNUZ, DataType.FLOAT8E5M2, DataType.FLOAT8E5M2FNUZ, DataType.FLOAT8E8M0]);

/**
 * @param graph - the graph where the name is read (weights of enclosing graphs are found too)
 * @param name - the weight's tensor name
 * @param external - the model's external data references
 * @param options - preview length and histogram bins
 * @returns the details
 * @throws StudioError `INVALID_REQUEST` when the name is not a stored weight
 */
export function tensorDetails(
  graph: Graph,
  name: string,
  external: ReadonlyMap<TensorProto, ExternalRef>,
  options: { previewCount?: number; bins?: number } = {},
): TensorDetailsDto {
  const tensor = graph.constantTensor(name);
  if (!tensor) {
    throw new StudioError('INVALID_REQUEST', `"${name}" is not a weight of this graph (it is computed at run time), so it has no stored values to show.`);
  }
  const isInit = Boolean(findInitializer(graph, name));
  const elements = elementCount(tensor);
  const base: TensorDetailsDto = {
    name,
    dtype: dtypeName(tensor.dataType),
    shape: tensor.dims.map(Number),
    elements,
    bytes: byteSize(tensor.dataType, elements),
    source: isInit ? 'initializer' : 'constant',
    external: external.has(tensor),
    stats: null,
    histogram: null,
    preview: [],
    previewTruncated: false,
  };
  const previewCount = options.previewCount ?? 64;
  if (tensor.dataType === DataType.STRING) {
    const strings = tensorStrings(tensor);
    return { ...base, preview: strings.slice(0, previewCount), previewTruncated: strings.length > previewCount, note: 'String tensor: no numeric statistics.' };
  }
  if (FLOAT8.has(tensor.dataType)) return { ...base, note: `${base.dtype} values are not decoded yet; shape and size only.` };
  let values: TensorArray;
  try {
    values = tensorValues(tensor, external.get(tensor));
  } catch (err) {
    return { ...base, note: err instanceof Error ? err.message : String(err) };
  }
  const at = reader(values, tensor.dataType);
  const preview: number[] = [];
  for (let i = 0; i < Math.min(previewCount, elements); i++) preview.push(at(i));
  const stats = computeStats(at, elements);
  const histogram = stats ? computeHistogram(at, elements, stats, options.bins ?? 64) : null;
  return { ...base, stats, histogram, preview, previewTruncated: elements > previewCount };
}

function findInitializer(graph: Graph, name: string): TensorProto | undefined {
  for (let g: Graph | undefined = graph; g; g = g.parent) {
    const t = g.initializer(name);
    if (t) return t;
    if (g.producer(name) || g.isInput(name)) return undefined;
  }
  return undefined;
}

/** One pass: min, max, mean and std (Welford), zeros, NaN and infinities. */
export function computeStats(at: (i: number) => number, n: number): TensorStatsDto | null {
  let min = Infinity;
  let max = -Infinity;
  let mean = 0;
  let m2 = 0;
  let count = 0;
  let zeros = 0;
  let nans = 0;
  let infs = 0;
  for (let i = 0; i < n; i++) {
    const v = at(i);
    if (v !== v) {
      nans++;
      continue;
    }
    if (v === Infinity || v === -Infinity) {
      infs++;
      continue;
    }
    if (v === 0) zeros++;
    if (v < min) min = v;
    if (v > max) max = v;
    count++;
    const d = v - mean;
    mean += d / count;
    m2 += d * (v - mean);
  }
  if (count === 0) return n === 0 ? null : { min: 0, max: 0, mean: 0, std: 0, zeros, sparsity: zeros / n, nans, infs };
  return { min, max, mean, std: Math.sqrt(m2 / count), zeros, sparsity: zeros / n, nans, infs };
}

/** Equal-width bins between min and max (finite values only). */
export function computeHistogram(at: (i: number) => number, n: number, stats: TensorStatsDto, bins: number): TensorDetailsDto['histogram'] {
  const counts = new Array<number>(bins).fill(0);
  const span = stats.max - stats.min;
  for (let i = 0; i < n; i++) {
    const v = at(i);
    if (!Number.isFinite(v)) continue;
    const b = span > 0 ? Math.min(bins - 1, Math.floor(((v - stats.min) / span) * bins)) : 0;
    counts[b]++;
  }
  return { min: stats.min, max: stats.max, counts };
}
