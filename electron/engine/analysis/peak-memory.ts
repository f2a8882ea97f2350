/** Peak activation memory: runs the main graph's nodes in topological order, freeing each buffer after its last use. */
import type { Graph } from '../onnx/ir/graph';
import type { NodeProto } from '../onnx/proto';
import { factBytes } from './node-figures';
import { VIEW_OPS } from './op-cost';
import type { GraphShapes } from './shape-inference';

/** The estimate and the node where it peaks. */
export interface PeakMemory {
  peakBytes: number;
  /** the node running when the peak is reached */
  atNode: string | null;
  /** activation bytes of all tensors, each counted once (views excluded) */
  totalBytes: number;
}

/**
 * Estimates peak activation memory of one graph.
 * @param shapes - the graph's inferred tensors
 * @param dims - sizes of symbolic dims (others count as 1)
 * @remarks Weights are not counted (they are reported apart). Reshape-like ops share their input's buffer. Graph
 * inputs are alive from the start and outputs to the end; onnxruntime's arena and in-place reuse make the real figure
 * differ, so this is an estimate of what the model itself needs.
 */
export function peakActivationMemory(shapes: GraphShapes, dims: Readonly<Record<string, number>>): PeakMemory {
  const g: Graph = shapes.graph;
  let order: NodeProto[];
  try {
    order = g.topologicalOrder();
  } catch {
    order = g.nodes;
  }
  const lastUse = new Map<string, number>();
  order.forEach((node, i) => {
    for (const name of [...node.input, ...g.implicitInputs(node)]) if (name) lastUse.set(name, i);
  });
  const keep = new Set(g.outputs.map((o) => o.name));
  const bufferOf = new Map<string, string>();
  const bufferBytes = new Map<string, number>();
  const holders = new Map<string, number>();
  const bytesOf = (name: string) => factBytes(shapes.tensors.get(name)?.facts, dims) ?? 0;
  let live = 0;
  let totalBytes = 0;
  const allocate = (name: string, bytes: number) => {
    bufferOf.set(name, name);
    bufferBytes.set(name, bytes);
    holders.set(name, 1);
    live += bytes;
    totalBytes += bytes;
  };
  const release = (name: string) => {
    const buf = bufferOf.get(name);
    if (!buf || keep.has(name)) return;
    bufferOf.delete(name);
    const left = (holders.get(buf) ?? 1) - 1;
    holders.set(buf, left);
    if (left === 0) live -= bufferBytes.get(buf) ?? 0;
  };
  for (const input of g.runtimeInputs()) allocate(input.name, bytesOf(input.name));
  let peakBytes = live;
  let atNode: string | null = null;
  order.forEach((node, i) => {
    const std = node.domain === '' || node.domain === 'ai.onnx';
    if (std && node.opType === 'Constant') return;
    node.output.forEach((name) => {
      if (!name) return;
      const source = bufferOf.get(node.input[0]);
      if (VIEW_OPS.has(node.opType) && source) {
        bufferOf.set(name, source);
        holders.set(source, (holders.get(source) ?? 0) + 1);
      } else allocate(name, bytesOf(name));
    });
    if (live > peakBytes) {
      peakBytes = live;
      atNode = node.name || node.opType;
    }
    for (const name of new Set([...node.input, ...g.implicitInputs(node)])) if (lastUse.get(name) === i) release(name);
    for (const name of node.output) if (name && !lastUse.has(name)) release(name);
  });
  return { peakBytes, atNode, totalBytes };
}
