/** Seeded random input data, with value ranges that make sense per element type (and per input name). */
import { seededRandom } from '../../../../shared/random/seeded-random';
import type { HostTensor, NumericData, TensorDtype } from '../backend';
import { floatToHalfBits, zerosTensor } from '../host-tensor';

/**
 * The range random values are drawn from: [low, high) for floats, [low, high] for integers.
 * @param dtype - the element type
 * @param inputName - masks (`attention_mask`) get ones, ids get small non-negative values
 */
export function defaultRange(dtype: TensorDtype, inputName: string): { low: number; high: number } {
  if (/mask/i.test(inputName) && dtype !== 'float32' && dtype !== 'float64' && dtype !== 'float16') return { low: 1, high: 1 };
  switch (dtype) {
    case 'float32':
    case 'float64':
    case 'float16':
      return { low: -1, high: 1 };
    case 'int8':
      return { low: -128, high: 127 };
    case 'uint8':
      return { low: 0, high: 255 };
    case 'int16':
    case 'uint16':
      return { low: 0, high: 1000 };
    case 'bool':
      return { low: 0, high: 1 };
    default:
      return { low: 0, high: 99 };
  }
}

/**
 * Makes a random tensor.
 * @param dtype - the element type
 * @param dims - its shape (all sizes known)
 * @param options - seed, range, and the input's name (for messages and range hints)
 */
export function randomTensor(dtype: TensorDtype, dims: number[], options: { seed: number; low?: number; high?: number; name: string }): HostTensor {
  const t = zerosTensor(dtype, dims, `Input "${options.name}"`);
  const rand = seededRandom(options.seed);
  const range = defaultRange(dtype, options.name);
  const low = options.low ?? range.low;
  const high = options.high ?? range.high;
  const n = t.data.length;
  if (dtype === 'string') {
    const words = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta'];
    const data = t.data as string[];
    for (let i = 0; i < n; i++) data[i] = words[Math.floor(rand() * words.length)];
    return t;
  }
  const data = t.data as NumericData;
  const float = dtype === 'float32' || dtype === 'float64' || dtype === 'float16';
  for (let i = 0; i < n; i++) {
    const u = rand();
    const v = float ? low + u * (high - low) : Math.floor(low + u * (high - low + 1));
    if (dtype === 'float16') (data as Uint16Array)[i] = floatToHalfBits(v);
    else if (dtype === 'int64' || dtype === 'uint64') (data as BigInt64Array)[i] = BigInt(v);
    else (data as Float64Array)[i] = v;
  }
  return t;
}
