/** A growable union-find (disjoint sets) over integer ids, used to tie coupled channels across layers. */

/** Disjoint sets of the integers 0..size-1 with path halving and union by size. */
export class UnionFind {
  private parent: Int32Array;
  private rank: Int32Array;
  private count = 0;

  constructor(capacity = 1024) {
    this.parent = new Int32Array(capacity);
    this.rank = new Int32Array(capacity);
  }

  /** How many ids have been made. */
  get size(): number {
    return this.count;
  }

  /**
   * Makes `n` new ids, each in a set of its own.
   * @returns the first new id (the others follow it)
   */
  make(n: number): number {
    const first = this.count;
    if (first + n > this.parent.length) {
      let cap = this.parent.length;
      while (cap < first + n) cap *= 2;
      const p = new Int32Array(cap);
      p.set(this.parent);
      const r = new Int32Array(cap);
      r.set(this.rank);
      this.parent = p;
      this.rank = r;
    }
    for (let i = first; i < first + n; i++) this.parent[i] = i;
    this.count += n;
    return first;
  }

  /** @returns the representative of the set holding `id`. */
  find(id: number): number {
    const p = this.parent;
    while (p[id] !== id) {
      p[id] = p[p[id]];
      id = p[id];
    }
    return id;
  }

  /** Joins the sets holding `a` and `b`. @returns the representative of the joined set. */
  union(a: number, b: number): number {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return ra;
    if (this.rank[ra] < this.rank[rb]) [ra, rb] = [rb, ra];
    this.parent[rb] = ra;
    if (this.rank[ra] === this.rank[rb]) this.rank[ra]++;
    return ra;
  }
}
