/** Model-local functions as graphs the converter can walk: their bodies have no initializers, so constants become Constant nodes. */
import { create } from '@bufbuild/protobuf';
import { StudioError } from '../../../../shared/api/errors';
import { Graph } from '../ir/graph';
import { GraphProtoSchema, ValueInfoProtoSchema, type FunctionProto, type ModelProto } from '../proto';

/** A function body wrapped as a Graph, with the ai.onnx opset the function imports. */
export interface FunctionGraph {
  fn: FunctionProto;
  graph: Graph;
  from: number;
}

/**
 * Wraps every model-local function that imports ai.onnx at another opset than `target` and has ai.onnx nodes.
 * @param model - the model (its functions are edited through the wrappers; call {@link finishFunctions} after)
 * @param target - the opset the model is converted to
 * @param check - validates a function's opset the same way as the model's (throws when out of range)
 */
export function functionGraphs(model: ModelProto, target: number, check: (from: number, what: string) => void): FunctionGraph[] {
  const out: FunctionGraph[] = [];
  for (const fn of model.functions) {
    const imported = fn.opsetImport.find((o) => o.domain === '' || o.domain === 'ai.onnx');
    if (!imported || Number(imported.version) === target || !fn.node.some((n) => n.domain === '' || n.domain === 'ai.onnx')) continue;
    check(Number(imported.version), `Function "${fn.name}"`);
    const proto = create(GraphProtoSchema, {
      name: `function ${fn.domain ? `${fn.domain}.` : ''}${fn.name}`,
      node: fn.node,
      input: fn.input.map((name) => create(ValueInfoProtoSchema, { name })),
      output: fn.output.map((name) => create(ValueInfoProtoSchema, { name })),
    });
    out.push({ fn, graph: new Graph(proto, { irVersion: Number(model.irVersion) }), from: Number(imported.version) });
  }
  return out;
}

/** Writes the converted bodies back into their functions and sets their ai.onnx import to `target`. */
export function finishFunctions(functions: readonly FunctionGraph[], target: number): void {
  for (const { fn, graph } of functions) {
    fn.node = graph.proto.node;
    const imported = fn.opsetImport.find((o) => o.domain === '' || o.domain === 'ai.onnx');
    if (imported) imported.version = BigInt(target);
  }
}

/** Training graphs carry ai.onnx nodes the converter does not rewrite. */
export function refuseTrainingInfo(name: string, model: ModelProto): void {
  if (model.trainingInfo.length > 0) {
    throw new StudioError('UNSUPPORTED_OP', `${name} carries training information (training graphs), which the converter does not rewrite. Remove it first.`);
  }
}
