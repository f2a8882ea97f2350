/** Layout helpers: permutations between ONNX's dimension order and the order a TFLite tensor is stored in. */

/** NCHW data stored as NHWC: TFLite dim i holds ONNX dim NHWC[i]. */
export const NHWC = [0, 2, 3, 1];

/** The identity permutation of a rank. */
export function identity(rank: number): number[] {
  return Array.from({ length: rank }, (_, i) => i);
}

/** Whether a permutation leaves every dimension in place. */
export function isIdentity(perm: readonly number[]): boolean {
  return perm.every((p, i) => p === i);
}

/** The inverse permutation. */
export function invert(perm: readonly number[]): number[] {
  const inv = new Array<number>(perm.length);
  perm.forEach((p, i) => (inv[p] = i));
  return inv;
}

/** A shape reordered by a permutation: out[i] = shape[perm[i]]. */
export function permuteShape(shape: readonly number[], perm: readonly number[]): number[] {
  return perm.map((p) => shape[p]);
}

/**
 * Whether reordering a tensor by `perm` leaves its bytes unchanged (every dimension that moves has size 1 or keeps its
 * order relative to the other dimensions larger than 1), so a Transpose can become a plain Reshape or nothing.
 */
export function isMemoryNoop(shape: readonly number[], perm: readonly number[]): boolean {
  const big = perm.filter((p) => shape[p] !== 1);
  return big.every((p, i) => i === 0 || big[i - 1] < p);
}

/** Row-major element strides of a shape. */
function strides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) s[i] = s[i + 1] * shape[i + 1];
  return s;
}

/** Transposes row-major data: the result has shape permuteShape(shape, perm). */
export function transposeData<T extends Float32Array | Int32Array | Int8Array>(data: T, shape: readonly number[], perm: readonly number[]): T {
  if (isMemoryNoop(shape, perm)) return data.slice() as T;
  const outShape = permuteShape(shape, perm);
  const inStrides = strides(shape);
  const stepOf = perm.map((p) => inStrides[p]);
  const out = new (data.constructor as new (n: number) => T)(data.length);
  const rank = outShape.length;
  const idx = new Array<number>(rank).fill(0);
  let src = 0;
  for (let o = 0; o < data.length; o++) {
    out[o] = data[src];
    for (let d = rank - 1; d >= 0; d--) {
      idx[d]++;
      src += stepOf[d];
      if (idx[d] < outShape[d]) break;
      src -= stepOf[d] * idx[d];
      idx[d] = 0;
    }
  }
  return out;
}

/** Broadcasts data of `shape` to `target` (numpy rules, shape already left-padded to the target's rank). */
export function broadcastData(data: Float32Array, shape: readonly number[], target: readonly number[]): Float32Array {
  const n = target.reduce((a, b) => a * b, 1);
  if (n === data.length) return data.slice();
  const s = strides(shape).map((st, i) => (shape[i] === 1 ? 0 : st));
  const out = new Float32Array(n);
  const idx = new Array<number>(target.length).fill(0);
  let src = 0;
  for (let o = 0; o < n; o++) {
    out[o] = data[src];
    for (let d = target.length - 1; d >= 0; d--) {
      idx[d]++;
      src += s[d];
      if (idx[d] < target[d]) break;
      src -= s[d] * idx[d];
      idx[d] = 0;
    }
  }
  return out;
}
