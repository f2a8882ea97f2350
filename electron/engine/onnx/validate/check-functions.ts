/** Model-local functions: their bodies follow the graph and node rules (names, reads, operators at the function's opsets). */
import { create } from '@bufbuild/protobuf';
import { GraphProtoSchema, ValueInfoProtoSchema, type ModelProto } from '../proto';
import { checkGraph } from './check-graph';
import type { ValidateContext } from './context';
import type { Scope } from './definitions';

/** A function body sees nothing but its inputs. */
const NOTHING_OUTSIDE: Scope = { has: () => false };

/**
 * Checks the body of every function the model defines.
 * @param ctx - the model's validation run
 * @param model - the model
 */
export function checkFunctions(ctx: ValidateContext, model: ModelProto): void {
  for (const fn of model.functions) {
    const body = create(GraphProtoSchema, {
      name: fn.name,
      node: fn.node,
      input: fn.input.map((name) => create(ValueInfoProtoSchema, { name })),
      output: fn.output.map((name) => create(ValueInfoProtoSchema, { name })),
    });
    checkGraph(ctx.forFunction(model, fn), body, `function ${fn.domain ? `${fn.domain}.` : ''}${fn.name}`, NOTHING_OUTSIDE);
  }
}
