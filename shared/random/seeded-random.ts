/** The one seeded random generator of the product (mulberry32): the same seed gives the same sequence on every machine. */

/**
 * Makes a seeded generator of uniform numbers in [0, 1) (mulberry32: 32-bit state, period 2³²). Random inputs, random
 * subsets of a dataset and recovery's sample order all draw from it, so a seed written in a report replays the run.
 * @param seed - any number; only its low 32 bits count
 * @returns a function that returns the next number of the sequence on each call
 * @remarks Not for anything secret: use `crypto.randomBytes` for tokens and ids.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
