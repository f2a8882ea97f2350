/** The growable union-find. */
import { describe, expect, it } from 'vitest';
import { UnionFind } from './union-find';

describe('UnionFind', () => {
  it('grows and joins sets', () => {
    const uf = new UnionFind(2);
    const first = uf.make(5);
    const more = uf.make(5);
    expect(first).toBe(0);
    expect(more).toBe(5);
    uf.union(1, 7);
    uf.union(7, 9);
    expect(uf.find(1)).toBe(uf.find(9));
    expect(uf.find(2)).not.toBe(uf.find(1));
    expect(uf.size).toBe(10);
  });
});
