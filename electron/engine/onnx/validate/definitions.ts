/** Single assignment: the names a graph defines (inputs, initializers, node outputs), each once, none shadowing an outer one. */
import type { GraphProto } from '../proto';
import { checkTensor } from './check-tensor';
import type { ValidateContext } from './context';
import { capital, nodeText, quote, type NodeRef } from './problems';

/** The names visible to a subgraph from the graphs around it. */
export interface Scope {
  has(name: string): boolean;
}

/** What defines a name that no node writes: negative, so that `value < 0` tells them from node positions. */
export const INPUT = -1;
export const INITIALIZER = -2;
/** an initializer giving a graph input its default value (every input of IR < 4 models that has a weight) */
export const INPUT_WITH_DEFAULT = -3;

export const FIX_REEXPORT = 'Re-export the model; a tool that edited it broke the graph.';

/** The names one graph defines, in one map so that resolving a read costs one lookup. */
export class Definitions implements Scope {
  /** name → position of the first node writing it, or INPUT / INITIALIZER / INPUT_WITH_DEFAULT */
  readonly names = new Map<string, number>();

  constructor(readonly outer: Scope | undefined) {}

  has(name: string): boolean {
    return this.names.has(name) || (this.outer?.has(name) ?? false);
  }
}

/** @returns ` in PATH` for a subgraph, nothing for the main graph. */
export function where(path: string): string {
  return path === 'main' ? '' : ` in ${path}`;
}

/**
 * Collects a graph's definitions, checking its stored tensors and reporting names defined twice.
 * @param ctx - the validation run
 * @param graph - the graph
 * @param path - its path (`main`, `main/If_0.then_branch`)
 * @param outer - what enclosing graphs define
 */
export function collectDefinitions(ctx: ValidateContext, graph: GraphProto, path: string, outer: Scope | undefined): Definitions {
  const defs = new Definitions(outer);
  const names = defs.names;
  for (const v of graph.input) {
    if (names.has(v.name)) {
      ctx.problems.add({ severity: 'error', code: 'DUPLICATE_NAME', graph: path, tensor: v.name, message: `Graph input ${quote(v.name)} is listed twice${where(path)}.`, fix: FIX_REEXPORT });
    }
    names.set(v.name, INPUT);
  }
  for (const t of graph.initializer) {
    const seen = names.get(t.name);
    if (seen === INITIALIZER || seen === INPUT_WITH_DEFAULT) {
      ctx.problems.add({
        severity: 'warning',
        code: 'DUPLICATE_INITIALIZER',
        graph: path,
        tensor: t.name,
        message: `Initializer ${quote(t.name)} is stored twice${where(path)}; runtimes keep only one of them.`,
        fix: 'Re-export the model so that each weight is stored once.',
      });
    }
    names.set(t.name, seen === INPUT || seen === INPUT_WITH_DEFAULT ? INPUT_WITH_DEFAULT : INITIALIZER);
    checkTensor(ctx, t, path);
  }
  for (const s of graph.sparseInitializer) {
    if (s.values) {
      if (!names.has(s.values.name)) names.set(s.values.name, INITIALIZER);
      checkTensor(ctx, s.values, path);
    }
    if (s.indices) checkTensor(ctx, s.indices, path);
  }
  const nodes = graph.node;
  for (let index = 0; index < nodes.length; index++) {
    const outputs = nodes[index].output;
    for (let k = 0; k < outputs.length; k++) {
      const out = outputs[k];
      if (out === '') continue;
      const first = names.get(out);
      if (first === undefined && !outer?.has(out)) names.set(out, index);
      else reportRedefinition(ctx, graph, path, defs, out, index, first);
    }
  }
  return defs;
}

function reportRedefinition(ctx: ValidateContext, graph: GraphProto, path: string, defs: Definitions, out: string, index: number, first: number | undefined): void {
  const ref: NodeRef = { graph: path, node: graph.node[index], index };
  if (first !== undefined && first >= 0) {
    const other = { graph: path, node: graph.node[first], index: first };
    ctx.problems.addAt(ref, {
      severity: 'error',
      code: 'DUPLICATE_NAME',
      tensor: out,
      message: `${capital(nodeText(ref))} writes ${quote(out)}, which ${nodeText(other)} already writes: every name must be assigned once.`,
      fix: `${FIX_REEXPORT} Rename one of the two outputs and the readers that mean it.`,
    });
  } else if (first !== undefined) {
    // the name keeps reading as the input or initializer
    ctx.problems.addAt(ref, {
      severity: 'error',
      code: 'DUPLICATE_NAME',
      tensor: out,
      message: `${capital(nodeText(ref))} writes ${quote(out)}, which is also a graph ${first === INITIALIZER ? 'initializer' : 'input'}${where(path)}.`,
      fix: `${FIX_REEXPORT} Rename the node's output.`,
    });
  } else {
    ctx.problems.addAt(ref, {
      severity: 'error',
      code: 'SHADOWED_NAME',
      tensor: out,
      message: `${capital(nodeText(ref))} writes ${quote(out)}, a name an enclosing graph already defines; onnxruntime requires unique names across a graph and its subgraphs.`,
      fix: `${FIX_REEXPORT} Rename the output inside the subgraph.`,
    });
    defs.names.set(out, index);
  }
}
