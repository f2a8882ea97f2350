/** Exact k-th smallest magnitude over float arrays by a two-pass radix histogram of the IEEE bits (no sort, no copy). */

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** @returns the IEEE-754 bits of |v| (monotonic in |v| as an unsigned integer). */
function absBits(v: number): number {
  f32[0] = v;
  return u32[0] & 0x7fffffff;
}

/**
 * The k-th smallest |value| (1-based) over several arrays.
 * @param arrays - the values
 * @param k - 1 ≤ k ≤ total length
 * @returns the bits of that magnitude (compare with {@link magnitudeBits})
 */
export function kthSmallestMagnitudeBits(arrays: readonly Float32Array[], k: number): number {
  const high = new Float64Array(1 << 16);
  for (const a of arrays) for (let i = 0; i < a.length; i++) high[absBits(a[i]) >>> 16]++;
  let seen = 0;
  let bin = 0;
  for (; bin < high.length; bin++) {
    if (seen + high[bin] >= k) break;
    seen += high[bin];
  }
  const low = new Float64Array(1 << 16);
  for (const a of arrays) {
    for (let i = 0; i < a.length; i++) {
      const b = absBits(a[i]);
      if (b >>> 16 === bin) low[b & 0xffff]++;
    }
  }
  let lo = 0;
  for (; lo < low.length; lo++) {
    if (seen + low[lo] >= k) break;
    seen += low[lo];
  }
  return ((bin << 16) | lo) >>> 0;
}

/** @returns the bits {@link kthSmallestMagnitudeBits} compares (NaN sorts last). */
export function magnitudeBits(v: number): number {
  return absBits(v);
}
