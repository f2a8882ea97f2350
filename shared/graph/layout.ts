/**
 * A layered layout for DAGs in near-linear time: ranks from the given topological order, barycentre ordering, and
 * x positions by isotonic regression per layer (each box as close to the mean of its neighbours as order and spacing
 * allow). Pure TypeScript: the renderer runs it in a web worker, the CLI in Node.
 */

/** What the layout needs: boxes in topological order and edges by box position. */
export interface LayoutInput {
  widths: ArrayLike<number>;
  heights: ArrayLike<number>;
  /** pairs (source, target) of box positions */
  edges: ArrayLike<number>;
}

export interface LayoutOptions {
  /** horizontal gap between boxes of a layer */
  nodeSep?: number;
  /** vertical gap between layers */
  rankSep?: number;
  /** barycentre sweeps (each is one pass down and one up) */
  sweeps?: number;
  /** called between phases with the fraction done; may throw to cancel */
  onProgress?: (fraction: number, stage: string) => void;
}

/** Box centres and the drawing's extent. */
export interface LayoutResult {
  x: Float64Array;
  y: Float64Array;
  rank: Int32Array;
  /** per input edge: the points (x0, y0, x1, y1 …) a long edge passes through between its ends, or null */
  bends: Array<Float64Array | null>;
  width: number;
  height: number;
}

/**
 * Lays out a DAG top to bottom.
 * @param input - boxes (in topological order: every edge should go from a lower to a higher position) and edges;
 * edges that go backwards are ignored for ranking
 * @param options - spacing, sweeps, progress
 * @returns the centre of each box
 */
export function layeredLayout(input: LayoutInput, options: LayoutOptions = {}): LayoutResult {
  const n = input.widths.length;
  const nodeSep = options.nodeSep ?? 24;
  const rankSep = options.rankSep ?? 30;
  const progress = options.onProgress ?? (() => undefined);
  const forward = adjacency(n, input.edges, true);
  progress(0.1, 'ranking');
  const realRank = assignRanks(n, forward.preds, forward.succs);
  const ex = expandLongEdges(n, input, realRank);
  const total = ex.rank.length;
  const rank = ex.rank;
  const { preds, succs } = adjacency(total, ex.edges, false);
  const layers = bucket(total, rank);
  progress(0.3, 'ordering');
  const pos = new Float64Array(total);
  for (const layer of layers) layer.forEach((v, i) => (pos[v] = i));
  const sweeps = options.sweeps ?? (n > 20000 ? 1 : 2);
  for (let s = 0; s < sweeps; s++) {
    for (let r = 1; r < layers.length; r++) reorder(layers[r], preds, pos);
    for (let r = layers.length - 2; r >= 0; r--) reorder(layers[r], succs, pos);
    progress(0.3 + (0.3 * (s + 1)) / sweeps, 'ordering');
  }
  progress(0.6, 'placing');
  const x = new Float64Array(total);
  const w = ex.widths;
  // start packed left to right, then pull each box toward its neighbours
  for (const layer of layers) {
    let cx = 0;
    for (const v of layer) {
      x[v] = cx + w[v] / 2;
      cx += w[v] + nodeSep;
    }
  }
  for (let r = 1; r < layers.length; r++) place(layers[r], preds, null, x, w, nodeSep);
  for (let r = layers.length - 2; r >= 0; r--) place(layers[r], succs, null, x, w, nodeSep);
  for (let r = 1; r < layers.length; r++) place(layers[r], preds, succs, x, w, nodeSep);
  progress(0.9, 'finishing');
  const y = new Float64Array(total);
  let cy = 0;
  let minX = Infinity;
  let maxX = -Infinity;
  for (const layer of layers) {
    let h = 0;
    for (const v of layer) if (v < n) h = Math.max(h, input.heights[v]);
    for (const v of layer) {
      y[v] = cy + h / 2;
      minX = Math.min(minX, x[v] - w[v] / 2);
      maxX = Math.max(maxX, x[v] + w[v] / 2);
    }
    cy += h + rankSep;
  }
  if (total > 0) for (let v = 0; v < total; v++) x[v] -= minX;
  const bends = ex.chains.map((chain) => {
    if (!chain) return null;
    const pts = new Float64Array(chain.length * 2);
    chain.forEach((d, i) => {
      pts[2 * i] = x[d];
      pts[2 * i + 1] = y[d];
    });
    return pts;
  });
  progress(1, 'done');
  return { x: x.slice(0, n), y: y.slice(0, n), rank: rank.slice(0, n), bends, width: total ? maxX - minX : 0, height: Math.max(0, cy - rankSep) };
}

interface Adjacency {
  preds: Int32Array[];
  succs: Int32Array[];
}

/** Width of the invisible boxes a long edge passes through. */
const DUMMY_WIDTH = 8;

interface Expanded {
  rank: Int32Array;
  widths: Float64Array;
  edges: Int32Array;
  /** per input edge: its dummy boxes, top to bottom */
  chains: Array<number[] | null>;
}

/**
 * Splits edges spanning several layers into chains through invisible boxes (so they are routed beside, not through,
 * the boxes they pass), within a budget of 6 dummies per box; past it, long edges stay straight.
 */
function expandLongEdges(n: number, input: LayoutInput, rank: Int32Array): Expanded {
  const m = input.edges.length / 2;
  const budget = 6 * n + 1000;
  let dummies = 0;
  const chains: Array<number[] | null> = new Array(m).fill(null);
  const extraRank: number[] = [];
  const edges: number[] = [];
  for (let k = 0; k < m; k++) {
    const s = input.edges[2 * k];
    const t = input.edges[2 * k + 1];
    const span = rank[t] - rank[s];
    if (span <= 1 || dummies + span - 1 > budget) {
      edges.push(s, t);
      continue;
    }
    const chain: number[] = [];
    let prev = s;
    for (let r = rank[s] + 1; r < rank[t]; r++) {
      const d = n + dummies++;
      extraRank.push(r);
      chain.push(d);
      edges.push(prev, d);
      prev = d;
    }
    edges.push(prev, t);
    chains[k] = chain;
  }
  const total = n + dummies;
  const allRank = new Int32Array(total);
  allRank.set(rank);
  allRank.set(extraRank, n);
  const widths = new Float64Array(total);
  for (let v = 0; v < n; v++) widths[v] = input.widths[v];
  widths.fill(DUMMY_WIDTH, n);
  return { rank: allRank, widths, edges: Int32Array.from(edges), chains };
}

/** Builds adjacency lists; with `forwardOnly`, edges not going from a lower to a higher position are skipped. */
function adjacency(n: number, edges: ArrayLike<number>, forwardOnly: boolean): Adjacency {
  const inDeg = new Int32Array(n);
  const outDeg = new Int32Array(n);
  for (let k = 0; k < edges.length; k += 2) {
    const s = edges[k];
    const t = edges[k + 1];
    if ((!forwardOnly || s < t) && s !== t && s >= 0 && t < n) {
      outDeg[s]++;
      inDeg[t]++;
    }
  }
  const preds = Array.from({ length: n }, (_, v) => new Int32Array(inDeg[v]));
  const succs = Array.from({ length: n }, (_, v) => new Int32Array(outDeg[v]));
  inDeg.fill(0);
  outDeg.fill(0);
  for (let k = 0; k < edges.length; k += 2) {
    const s = edges[k];
    const t = edges[k + 1];
    if ((!forwardOnly || s < t) && s !== t && s >= 0 && t < n) {
      succs[s][outDeg[s]++] = t;
      preds[t][inDeg[t]++] = s;
    }
  }
  return { preds, succs };
}

/** Longest-path ranks; boxes without predecessors (inputs, weights) sit just above their first reader. */
function assignRanks(n: number, preds: Int32Array[], succs: Int32Array[]): Int32Array {
  const rank = new Int32Array(n);
  for (let v = 0; v < n; v++) {
    let r = 0;
    for (const u of preds[v]) r = Math.max(r, rank[u] + 1);
    rank[v] = r;
  }
  for (let v = n - 1; v >= 0; v--) {
    if (preds[v].length > 0 || succs[v].length === 0) continue;
    let r = Infinity;
    for (const s of succs[v]) r = Math.min(r, rank[s] - 1);
    rank[v] = Math.max(0, r);
  }
  // close gaps left by the pulled-down sources
  const used = new Uint8Array(n + 1);
  for (let v = 0; v < n; v++) used[rank[v]] = 1;
  const remap = new Int32Array(n + 1);
  let next = 0;
  for (let r = 0; r <= n; r++) if (used[r]) remap[r] = next++;
  for (let v = 0; v < n; v++) rank[v] = remap[rank[v]];
  return rank;
}

function bucket(n: number, rank: Int32Array): number[][] {
  let maxRank = -1;
  for (let v = 0; v < n; v++) maxRank = Math.max(maxRank, rank[v]);
  const layers: number[][] = Array.from({ length: maxRank + 1 }, () => []);
  for (let v = 0; v < n; v++) layers[rank[v]].push(v);
  return layers;
}

/** Sorts a layer by the mean position of each box's neighbours in the adjacent layer (stable). */
function reorder(layer: number[], nbrs: Int32Array[], pos: Float64Array): void {
  if (layer.length < 2) return;
  const keys = new Map<number, number>();
  for (const v of layer) {
    const list = nbrs[v];
    if (list.length === 0) {
      keys.set(v, pos[v]);
      continue;
    }
    let sum = 0;
    for (const u of list) sum += pos[u];
    keys.set(v, sum / list.length);
  }
  const order = layer.map((v, i) => ({ v, k: keys.get(v) as number, i }));
  order.sort((a, b) => a.k - b.k || a.i - b.i);
  order.forEach((o, i) => {
    layer[i] = o.v;
    pos[o.v] = i;
  });
}

/**
 * Places a layer's boxes, in their order, as close as spacing allows to the mean x of their neighbours: isotonic
 * regression by pooling adjacent violators (linear in the layer's size).
 */
function place(layer: number[], a: Int32Array[], b: Int32Array[] | null, x: Float64Array, w: ArrayLike<number>, sep: number): void {
  const k = layer.length;
  if (k === 0) return;
  // offsets: where each box's centre sits relative to the first box's centre when packed tightly
  const offset = new Float64Array(k);
  for (let i = 1; i < k; i++) offset[i] = offset[i - 1] + (w[layer[i - 1]] + w[layer[i]]) / 2 + sep;
  const want = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    const v = layer[i];
    let sum = 0;
    let cnt = 0;
    for (const u of a[v]) {
      sum += x[u];
      cnt++;
    }
    if (b) {
      for (const u of b[v]) {
        sum += x[u];
        cnt++;
      }
    }
    want[i] = (cnt ? sum / cnt : x[v]) - offset[i];
  }
  // blocks of boxes placed together: [start, end), mean of (want) = block's first-box position
  const starts: number[] = [];
  const sums: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < k; i++) {
    starts.push(i);
    sums.push(want[i]);
    counts.push(1);
    // the base position must not decrease from block to block (spacing is in the offsets)
    while (starts.length > 1) {
      const j = starts.length - 1;
      if (sums[j - 1] / counts[j - 1] <= sums[j] / counts[j]) break;
      sums[j - 1] += sums[j];
      counts[j - 1] += counts[j];
      starts.pop();
      sums.pop();
      counts.pop();
    }
  }
  for (let j = 0; j < starts.length; j++) {
    const base = sums[j] / counts[j];
    const end = j + 1 < starts.length ? starts[j + 1] : k;
    for (let i = starts[j]; i < end; i++) x[layer[i]] = base + offset[i];
  }
}
