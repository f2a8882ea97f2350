/** The graph DTO the engine sends for one graph of a model (main graph or a nested If/Loop/Scan body). */

/** One dimension: a size, a symbolic name, or null when unknown. */
export type DimDto = number | string | null;

/** Where a graph sits: the chain of (node, attribute, branch) steps from the main graph down to it. */
export interface SubgraphStep {
  /** the owning node's position in its graph's file order */
  node: number;
  /** the GRAPH or GRAPHS attribute holding the subgraph */
  attribute: string;
  /** position in a GRAPHS attribute; 0 for a GRAPH attribute */
  index: number;
}

/** A nested graph a node holds (If branches, Loop/Scan bodies). */
export interface SubgraphRefDto {
  attribute: string;
  index: number;
  name: string;
  nodeCount: number;
}

/** What a tensor is in this graph. */
export type TensorKind = 'input' | 'weight' | 'value' | 'outer';

/** A stored weight: an initializer or the value of a Constant node. */
export interface WeightInfoDto {
  source: 'initializer' | 'constant';
  elements: number;
  bytes: number;
  /** stored in an external data file */
  external: boolean;
}

/** One named tensor of the graph. */
export interface TensorDto {
  name: string;
  dtype: string;
  /** null when the shape is not recorded */
  shape: DimDto[] | null;
  kind: TensorKind;
  weight?: WeightInfoDto;
  /** position (in `nodes`) of the producing node, or -1 */
  producer: number;
  /** positions (in `nodes`) of the nodes reading it explicitly */
  consumers: number[];
  /** true when it is one of the graph's outputs */
  isOutput?: boolean;
}

/** The attribute value types the inspector shows. */
export type AttributeValue =
  | { type: 'float'; value: number }
  | { type: 'int'; value: number }
  | { type: 'string'; value: string }
  | { type: 'floats'; value: number[] }
  | { type: 'ints'; value: number[] }
  | { type: 'strings'; value: string[] }
  | { type: 'tensor'; dtype: string; shape: number[]; preview: Array<number | string>; elements: number }
  | { type: 'tensors'; count: number }
  | { type: 'graph'; subgraph: SubgraphRefDto }
  | { type: 'graphs'; subgraphs: SubgraphRefDto[] }
  | { type: 'sparse_tensor'; dtype: string; shape: number[] }
  | { type: 'type_proto'; value: string }
  | { type: 'ref'; value: string }
  | { type: 'undefined' };

/** A node attribute, typed. */
export interface AttributeDto {
  name: string;
  value: AttributeValue;
  docString?: string;
}

/** One node. Nodes are sent in topological order; `fileIndex` is the node's position in the model file. */
export interface NodeDto {
  fileIndex: number;
  name: string;
  op: string;
  domain: string;
  /** tensor positions (in `tensors`) of the inputs, -1 for an omitted optional input */
  inputs: number[];
  outputs: number[];
  attributes: AttributeDto[];
  subgraphs: SubgraphRefDto[];
  /** tensors its subgraphs read from this graph's scope */
  implicitInputs: number[];
  /** a Constant node folded into its consumers like an initializer */
  folded?: boolean;
  docString?: string;
}

/** The header of a graph: everything but the node and tensor lists, which may come in chunks. */
export interface GraphHeaderDto {
  modelId: string;
  path: SubgraphStep[];
  /** readable names of the path, from `main` down */
  breadcrumb: string[];
  name: string;
  /** ONNX nodes in this graph (folded Constants included) */
  nodeCount: number;
  /** Constant nodes folded into their consumers */
  foldedCount: number;
  /** edges as {@link graphEdges} counts them */
  edgeCount: number;
  tensorCount: number;
  /** nodes nested in subgraphs of this graph's nodes, at any depth */
  subgraphNodeCount: number;
  /** tensor positions of the graph's runtime inputs and of its outputs */
  inputs: number[];
  outputs: number[];
  /** how many chunks `getGraphChunk` serves (1: everything came with the header) */
  chunkCount: number;
}

/** A whole graph. */
export interface GraphDto extends GraphHeaderDto {
  nodes: NodeDto[];
  tensors: TensorDto[];
}

/** One slice of the node and tensor lists. */
export interface GraphChunkDto {
  index: number;
  nodeOffset: number;
  nodes: NodeDto[];
  tensorOffset: number;
  tensors: TensorDto[];
}

/** Nodes and tensors per chunk, small enough to parse without freezing a UI thread. */
export const GRAPH_CHUNK_NODES = 1500;
export const GRAPH_CHUNK_TENSORS = 3000;

/** @returns how many chunks a graph of this size is sent in. */
export function chunkCountFor(nodes: number, tensors: number): number {
  return Math.max(1, Math.ceil(nodes / GRAPH_CHUNK_NODES), Math.ceil(tensors / GRAPH_CHUNK_TENSORS));
}

/** @returns a shape as `1×3×224×224`, `?` for unknown dims, `scalar` for rank 0, `` when unknown. */
export function shapeText(shape: DimDto[] | null | undefined): string {
  if (!shape) return '';
  if (shape.length === 0) return 'scalar';
  return shape.map((d) => (d === null ? '?' : String(d))).join('×');
}

/**
 * The wire form of a chunk: node and tensor fields holding their default ('' domain, empty lists, no producer, unknown
 * type) are left out, and tensors' `consumers` are rebuilt by the receiver. About 40 % fewer bytes to send and parse.
 */
export interface WireChunkDto {
  index: number;
  nodeOffset: number;
  nodes: Array<Partial<NodeDto> & Pick<NodeDto, 'fileIndex' | 'name' | 'op' | 'inputs' | 'outputs'>>;
  tensorOffset: number;
  tensors: Array<Partial<TensorDto> & Pick<TensorDto, 'name' | 'kind'>>;
}

/** @returns the wire form of a chunk (see {@link WireChunkDto}). */
export function toWire(chunk: GraphChunkDto): WireChunkDto {
  return {
    index: chunk.index,
    nodeOffset: chunk.nodeOffset,
    tensorOffset: chunk.tensorOffset,
    nodes: chunk.nodes.map((n) => {
      const w: WireChunkDto['nodes'][number] = { fileIndex: n.fileIndex, name: n.name, op: n.op, inputs: n.inputs, outputs: n.outputs };
      if (n.domain) w.domain = n.domain;
      if (n.attributes.length) w.attributes = n.attributes;
      if (n.subgraphs.length) w.subgraphs = n.subgraphs;
      if (n.implicitInputs.length) w.implicitInputs = n.implicitInputs;
      if (n.folded) w.folded = true;
      if (n.docString) w.docString = n.docString;
      return w;
    }),
    tensors: chunk.tensors.map((t) => {
      const w: WireChunkDto['tensors'][number] = { name: t.name, kind: t.kind };
      if (t.dtype !== 'unknown') w.dtype = t.dtype;
      if (t.shape) w.shape = t.shape;
      if (t.weight) w.weight = t.weight;
      if (t.producer >= 0) w.producer = t.producer;
      if (t.isOutput) w.isOutput = true;
      return w;
    }),
  };
}

/**
 * Fills every field back in, in place (no copies: big graphs arrive in many chunks).
 * @returns the same object as a full chunk; `consumers` are empty until {@link linkConsumers} runs
 */
export function fromWire(w: WireChunkDto): GraphChunkDto {
  for (const n of w.nodes) {
    n.domain ??= '';
    n.attributes ??= [];
    n.subgraphs ??= [];
    n.implicitInputs ??= [];
  }
  for (const t of w.tensors) {
    t.dtype ??= 'unknown';
    t.shape ??= null;
    t.producer ??= -1;
    t.consumers = [];
  }
  return w as GraphChunkDto;
}

/** Fills every tensor's `consumers` from the nodes' inputs (each reader once, in node order). */
export function linkConsumers(dto: Pick<GraphDto, 'nodes' | 'tensors'>): void {
  for (const t of dto.tensors) t.consumers.length = 0;
  dto.nodes.forEach((n, i) => {
    for (const t of n.inputs) {
      if (t < 0) continue;
      const list = dto.tensors[t].consumers;
      if (list[list.length - 1] !== i) list.push(i);
    }
  });
}
