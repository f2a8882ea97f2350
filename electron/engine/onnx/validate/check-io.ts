/** Graph interface rules: outputs defined and listed once, typed inputs and outputs, no dangling inputs. */
import type { GraphProto, TypeProto } from '../proto';
import type { ValidateContext } from './context';
import { FIX_REEXPORT, where, type Definitions } from './definitions';
import { quote } from './problems';

/**
 * Checks a graph's outputs: each listed once and defined by the graph or, in a subgraph, by an enclosing graph.
 * @param free - receives the outputs that are outer values
 */
export function checkOutputs(ctx: ValidateContext, graph: GraphProto, path: string, defs: Definitions, free: Set<string>): void {
  const seen = new Set<string>();
  for (const o of graph.output) {
    if (seen.has(o.name)) {
      ctx.problems.add({
        severity: 'warning',
        code: 'DUPLICATE_GRAPH_OUTPUT',
        graph: path,
        tensor: o.name,
        message: `Graph output ${quote(o.name)} is listed twice${where(path)}.`,
        fix: 'Re-export the model with each output listed once (the ONNX checker and some runtimes refuse duplicates).',
      });
    }
    seen.add(o.name);
    if (defs.names.has(o.name)) continue;
    if (defs.outer?.has(o.name)) free.add(o.name);
    else {
      ctx.problems.add({
        severity: 'error',
        code: 'UNDEFINED_GRAPH_OUTPUT',
        graph: path,
        tensor: o.name,
        message: `Graph output ${quote(o.name)}${where(path)} is produced by no node, input or initializer.`,
        fix: FIX_REEXPORT,
      });
    }
  }
}

/** The main graph's inputs must have types (onnxruntime refuses the model otherwise); its outputs should. */
export function checkMainTypes(ctx: ValidateContext, graph: GraphProto): void {
  for (const v of graph.input) {
    if (!hasType(v.type)) {
      ctx.problems.add({
        severity: 'error',
        code: 'INPUT_WITHOUT_TYPE',
        graph: 'main',
        tensor: v.name,
        message: `Graph input ${quote(v.name)} has no type (element type and shape), so no runtime can tell what to feed it.`,
        fix: 'Re-export the model with typed inputs (exporters write them when given example inputs).',
      });
    }
  }
  for (const v of graph.output) {
    if (!hasType(v.type)) {
      ctx.problems.add({
        severity: 'warning',
        code: 'OUTPUT_WITHOUT_TYPE',
        graph: 'main',
        tensor: v.name,
        message: `Graph output ${quote(v.name)} has no type; onnxruntime infers it, but tools that read the model's interface cannot.`,
        fix: 'Re-export the model with typed outputs, or run shape inference on it.',
      });
    }
  }
}

/**
 * Reports the main graph's inputs that nothing reads (dangling): callers must feed them all the same.
 * @param dangling - the inputs without an initializer that no node, subgraph or output read
 */
export function reportDangling(ctx: ValidateContext, dangling: Iterable<string>): void {
  for (const name of dangling) {
    ctx.problems.add({
      severity: 'warning',
      code: 'UNUSED_INPUT',
      graph: 'main',
      tensor: name,
      message: `Graph input ${quote(name)} is read by no node and is no output: callers must still feed it.`,
      fix: 'Remove the input when re-exporting (it is dangling), or feed any tensor of its type and shape.',
    });
  }
}

function hasType(type: TypeProto | undefined): boolean {
  const v = type?.value;
  if (!v || v.case === undefined) return false;
  if (v.case === 'tensorType' || v.case === 'sparseTensorType') return v.value.elemType !== 0;
  return true;
}
