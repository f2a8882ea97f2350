/** What is known about each tensor before a conversion edits the model: shape inference, declared types as fallback. */
import type { TensorFacts } from '../../analysis/infer-types';
import { inferShapes, type GraphShapes } from '../../analysis/shape-inference';
import { storedFacts, typeFacts } from '../../analysis/tensor-facts';
import type { ExternalRef } from '../external-data';
import type { Graph } from '../ir/graph';
import type { ModelIR } from '../ir/model-ir';
import type { TensorProto } from '../proto';

/**
 * Runs shape inference once, on the model as it is, and answers lookups from it afterwards.
 * @param ir - the model, before any edit (adapters keep tensor names, so the facts stay valid for them)
 * @param external - external-data references, to read small external constants
 * @returns a lookup: the facts of a name as seen from a graph (enclosing graphs included)
 */
export function modelFacts(ir: ModelIR, external?: ReadonlyMap<TensorProto, ExternalRef>): (graph: Graph, name: string) => TensorFacts | undefined {
  const inferred = new Map<Graph, GraphShapes>();
  try {
    for (const g of inferShapes(ir, { external }).graphs) inferred.set(g.graph, g);
  } catch {
    // a model inference chokes on still converts; adapters that need facts refuse by themselves
  }
  const declared = new Map<Graph, Map<string, TensorFacts | undefined>>();
  const declaredIn = (g: Graph) => {
    let map = declared.get(g);
    if (!map) {
      map = new Map();
      for (const v of [...g.valueInfo, ...g.outputs, ...g.inputs]) map.set(v.name, typeFacts(v.type, {}));
      for (const t of g.initializers) map.set(t.name, storedFacts(t, external?.get(t)));
      declared.set(g, map);
    }
    return map;
  };
  return (graph, name) => {
    for (let g: Graph | undefined = graph; g; g = g.parent) {
      const facts = inferred.get(g)?.tensors.get(name)?.facts ?? declaredIn(g).get(name);
      if (facts) return facts;
      if (g.definesLocally(name)) return undefined;
    }
    return undefined;
  };
}
