/** The code under fuzz: decode → external data checks → summary with the model validator → IR → structural checks → topological order. */
import { fromProto } from '../../electron/engine/onnx/load';
import { decodeModel } from '../../electron/engine/onnx/codec';
import { ModelIR } from '../../electron/engine/onnx/ir/model-ir';
import { validateGraph } from '../../electron/engine/onnx/ir/validate';
import { summarize } from '../../electron/engine/analysis/summary';
import { StudioError } from '../../shared/api/errors';

/** ok carries the rules of the problems the validator found: `errors` of error severity, `codes` of any. */
export type Outcome = { kind: 'ok'; errors: string[]; codes: string[] } | { kind: 'refused'; code: string } | { kind: 'crash'; error: string };

/**
 * Runs every parser stage on the bytes as if a user opened them from `modelPath`.
 * @returns ok, a clear refusal (a StudioError), or a crash (anything else thrown)
 */
export function openLikeAUser(bytes: Uint8Array, modelPath: string): Outcome {
  try {
    const proto = decodeModel(bytes, 'fuzzed.onnx');
    const loaded = fromProto(proto, modelPath, bytes.length);
    const summary = summarize(loaded);
    if (proto.graph) {
      const ir = new ModelIR(proto);
      validateGraph(ir.graph);
      ir.graph.topologicalOrder();
    }
    return { kind: 'ok', errors: summary.problems.filter((p) => p.severity === 'error').map((p) => p.code), codes: summary.problems.map((p) => p.code) };
  } catch (err) {
    if (err instanceof StudioError) return { kind: 'refused', code: err.code };
    return { kind: 'crash', error: err instanceof Error ? `${err.name}: ${err.message}\n${err.stack?.split('\n').slice(1, 4).join('\n')}` : String(err) };
  }
}
