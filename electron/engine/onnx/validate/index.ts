/**
 * The model validator: the ONNX checker's rules that matter for safety and clarity, as a list of problems (severity,
 * rule, where, what to do) computed when a model is opened. An `error` means onnxruntime refuses the model or its data
 * is corrupt; a `warning` that it may work but is unusual or refused elsewhere; an `info` is a suggestion.
 */
import type { ExternalRef } from '../external-data';
import type { ModelProto, TensorProto } from '../proto';
import { checkFunctions } from './check-functions';
import { checkGraph } from './check-graph';
import { checkModelHeader } from './check-model';
import { reportDomains } from './check-node';
import { ValidateContext } from './context';
import type { ModelProblem } from './problems';

export type { ModelProblem } from './problems';
export { MAX_IR_VERSION, MAX_OPSET, RUNTIME_VERSION } from './runtime-limits';
export { SCHEMA_ONNX_VERSION } from './op-schemas';

/** What the validator may use besides the model. */
export interface ValidateOptions {
  /** external data references (from `LoadedModel.external`): their lengths are checked against the dims */
  external?: ReadonlyMap<TensorProto, ExternalRef>;
  /** the model's file name, used in the commands fixes suggest */
  fileName?: string;
}

/**
 * Validates a decoded model.
 * @param model - the model (not modified)
 * @param options - external data references and the file name
 * @returns the problems found, errors first; empty for a clean model
 * @remarks Linear in the size of the graph and never reads tensor data, so it runs on every open.
 */
export function validateModel(model: ModelProto, options: ValidateOptions = {}): ModelProblem[] {
  const ctx = new ValidateContext(model, options.external, options.fileName);
  checkModelHeader(ctx, model);
  if (model.graph) checkGraph(ctx, model.graph, 'main');
  if (model.functions.length > 0) checkFunctions(ctx, model);
  reportDomains(ctx);
  return ctx.problems.result();
}

/** @returns true when one of the problems makes the model unusable. */
export function hasErrors(problems: readonly ModelProblem[]): boolean {
  return problems.some((p) => p.severity === 'error');
}
