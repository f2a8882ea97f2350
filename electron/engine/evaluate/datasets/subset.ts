/** The subset option of a dataset: the first N items, or N chosen at random with a seed (kept in dataset order). */
import { seededRandom } from '../../../../shared/random/seeded-random';

/**
 * Picks the items an evaluation uses.
 * @param items - every usable item, in dataset order
 * @param limit - how many to keep (all when undefined or larger than the dataset)
 * @param sampling - `first` keeps the first `limit`; `random` draws `limit` without replacement
 * @param seed - the random draw's seed
 * @returns the kept items (in dataset order) and a description such as `random 20 (seed 7)`
 */
export function pickSubset<T>(items: readonly T[], limit: number | undefined, sampling: 'first' | 'random' = 'first', seed = 0): { items: T[]; subset: string } {
  if (limit === undefined || limit >= items.length) return { items: [...items], subset: 'all' };
  if (sampling === 'first') return { items: items.slice(0, limit), subset: `first ${limit}` };
  const rand = seededRandom(seed);
  const index = items.map((_, i) => i);
  for (let i = 0; i < limit; i++) {
    const j = i + Math.floor(rand() * (index.length - i));
    [index[i], index[j]] = [index[j], index[i]];
  }
  const chosen = index.slice(0, limit).sort((a, b) => a - b);
  return { items: chosen.map((i) => items[i]), subset: `random ${limit} (seed ${seed})` };
}
