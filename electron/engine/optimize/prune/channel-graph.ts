/** The dependency graph of channels: who produces each channel, which weights follow it, and what blocks pruning. */
import type { NodeProto } from '../../onnx/proto';
import { UnionFind } from './union-find';

/**
 * The channel axis of a tensor: for each position along `axis`, the id of the channel it carries.
 * @remarks Ids are made by channel sources (a Conv's output channels, …); ops that tie channels together (a residual
 * Add) unite ids, so removing a channel removes every position whose id is in its set.
 */
export interface Layout {
  axis: number;
  ids: Int32Array;
}

/** What makes new channels. `fixed` channels (graph inputs, constants) are never removed. */
export type SourceKind = 'conv' | 'grouped-conv' | 'conv-transpose' | 'gemm' | 'matmul' | 'fixed';

/** A layer whose output channels can be removed (or a fixed set of channels). */
export interface ChannelSource {
  index: number;
  /** the node's name (or `op#position` when unnamed) */
  name: string;
  op: string;
  kind: SourceKind;
  node?: NodeProto;
  channels: number;
  /** the first of its `channels` consecutive ids */
  first: number;
  /** a grouped convolution's group count: its channels must be removed evenly across groups */
  convGroups: number;
}

/** What an edit of a weight stands for. */
export type EditRole = 'out' | 'in' | 'depthwise' | 'param';

/** Positions to drop along one axis of a node's constant input, decided by the channel ids at each position. */
export interface WeightEdit {
  node: NodeProto;
  input: number;
  axis: number;
  ids: Int32Array;
  /** `out`: a source's rows; `in`: a consumer's columns; `depthwise`: a depthwise filter; `param`: biases, BN, constants */
  role: EditRole;
}

/** Attribute or shape-constant edits that follow the kept channel counts. */
export type ShapeEdit =
  | { kind: 'group'; node: NodeProto; ids: Int32Array }
  | { kind: 'split'; node: NodeProto; parts: Int32Array[] }
  | { kind: 'reshape'; node: NodeProto; dim: number; ids: Int32Array };

/** A structure that keeps channels from being removed, reported by name. */
export interface Block {
  node: string;
  op: string;
  reason: string;
}

/** The result of the dependency analysis. */
export class ChannelGraph {
  readonly uf = new UnionFind(4096);
  readonly sources: ChannelSource[] = [];
  /** id → source index */
  private owner = new Int32Array(4096);
  readonly edits: WeightEdit[] = [];
  readonly shapeEdits: ShapeEdit[] = [];
  readonly blocks: Block[] = [];
  /** id → indexes into `blocks` that pinned it */
  readonly blockedBy = new Map<number, number[]>();
  /** layouts of which at least one position must stay (every source's output, every Split part) */
  readonly keepOne: Int32Array[] = [];
  /** tensor name → layout */
  readonly layouts = new Map<string, Layout>();

  /** Registers a source and makes its ids. @returns the source */
  addSource(s: Omit<ChannelSource, 'index' | 'first'>): ChannelSource {
    const first = this.uf.make(s.channels);
    if (this.owner.length < this.uf.size) {
      let cap = this.owner.length;
      while (cap < this.uf.size) cap *= 2;
      const o = new Int32Array(cap);
      o.set(this.owner);
      this.owner = o;
    }
    const source: ChannelSource = { ...s, index: this.sources.length, first };
    this.owner.fill(source.index, first, first + s.channels);
    this.sources.push(source);
    if (s.kind !== 'fixed') this.keepOne.push(rangeIds(first, s.channels));
    return source;
  }

  /** @returns the source that made `id`. */
  sourceOf(id: number): ChannelSource {
    return this.sources[this.owner[id]];
  }

  /** Pins every id of a layout, recording why. */
  block(ids: Int32Array | undefined, node: NodeProto | string, op: string, reason: string): void {
    const name = typeof node === 'string' ? node : nodeLabel(node);
    let index = this.blocks.findIndex((b) => b.node === name && b.reason === reason);
    if (index < 0) index = this.blocks.push({ node: name, op, reason }) - 1;
    if (!ids) return;
    for (const id of ids) {
      const list = this.blockedBy.get(id);
      if (!list) this.blockedBy.set(id, [index]);
      else if (!list.includes(index)) list.push(index);
    }
  }

  /** Ties two layouts channel by channel (they must have the same length). */
  unite(a: Int32Array, b: Int32Array): void {
    for (let i = 0; i < a.length; i++) this.uf.union(a[i], b[i]);
  }
}

/** @returns `n` consecutive ids from `first`. */
export function rangeIds(first: number, n: number): Int32Array {
  const ids = new Int32Array(n);
  for (let i = 0; i < n; i++) ids[i] = first + i;
  return ids;
}

/** @returns a node's name, or `Op#` with its output name when it has none. */
export function nodeLabel(node: NodeProto): string {
  return node.name || `${node.opType}(${node.output[0] ?? ''})`;
}
