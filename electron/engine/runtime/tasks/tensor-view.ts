/** The generic view: each output as a heatmap, a line or a table, with statistics, downsampled for display. */
import type { TensorViewDto } from '../../../../shared/tasks/task-types';
import type { HostTensor } from '../backend';
import { countElements, valueAt } from '../host-tensor';

const MAX_SIDE = 128;
const MAX_LINE = 2048;

function stats(t: HostTensor): TensorViewDto['stats'] {
  if (t.dtype === 'string') return null;
  const n = countElements(t.dims);
  let [min, max, sum, sq, finite, nanCount, infCount] = [Infinity, -Infinity, 0, 0, 0, 0, 0];
  for (let i = 0; i < n; i++) {
    const v = valueAt(t, i);
    if (Number.isNaN(v)) nanCount++;
    else if (!Number.isFinite(v)) infCount++;
    else {
      finite++;
      sum += v;
      sq += v * v;
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
  }
  const mean = finite ? sum / finite : NaN;
  return { min: finite ? min : NaN, max: finite ? max : NaN, mean, std: finite ? Math.sqrt(Math.max(0, sq / finite - mean * mean)) : NaN, nanCount, infCount };
}

/**
 * A display view of one tensor: the last two axes with more than one element as a heatmap (the first slice of the
 * others), one axis as a line (a table when short), a single value as a scalar.
 * @param name - the output name
 * @param t - the tensor
 */
export function tensorView(name: string, t: HostTensor): TensorViewDto {
  const shape = [...t.dims];
  const base = { name, dtype: t.dtype, shape, stats: stats(t) };
  if (t.dtype === 'string') return { ...base, view: 'table', rows: 1, cols: 0, values: [] };
  const big = shape.map((d, i) => [d, i] as const).filter(([d]) => d > 1);
  if (big.length === 0) return { ...base, view: 'scalar', rows: 1, cols: 1, values: [valueAt(t, 0)] };
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  if (big.length === 1) {
    const [len, axis] = big[0];
    const step = Math.max(1, Math.ceil(len / MAX_LINE));
    const values: number[] = [];
    for (let i = 0; i < len; i += step) values.push(valueAt(t, i * strides[axis]));
    return { ...base, view: len <= 32 ? 'table' : 'line', rows: 1, cols: values.length, values };
  }
  const [[h, ay], [w, ax]] = big.slice(-2);
  const sy = Math.max(1, Math.ceil(h / MAX_SIDE));
  const sx = Math.max(1, Math.ceil(w / MAX_SIDE));
  const rows = Math.ceil(h / sy);
  const cols = Math.ceil(w / sx);
  const values: number[] = [];
  for (let y = 0; y < rows; y++) for (let x = 0; x < cols; x++) values.push(valueAt(t, y * sy * strides[ay] + x * sx * strides[ax]));
  return { ...base, view: 'heatmap', rows, cols, values };
}
