/** The mutable model IR: a ModelProto, its main Graph and opset lookup; the proto stays the storage. */
import { clone, create } from '@bufbuild/protobuf';
import { StudioError } from '../../../../shared/api/errors';
import { ModelProtoSchema, OperatorSetIdProtoSchema, type ModelProto, type TensorProto } from '../proto';
import { forEachTensor } from '../walk';
import { Graph } from './graph';

/** The default ONNX operator domain, written as `''` or `'ai.onnx'`. */
const DEFAULT_DOMAINS = new Set(['', 'ai.onnx']);

/**
 * A model open for editing.
 * @remarks Edits change the wrapped ModelProto in place (unknown fields, doc strings and metadata survive); a pass
 * that must leave its input alone works on {@link ModelIR.clone}.
 */
export class ModelIR {
  readonly proto: ModelProto;
  readonly graph: Graph;

  /**
   * @param proto - a decoded model (kept, not copied)
   * @throws StudioError `INVALID_MODEL` when the model has no graph (a functions-only library)
   */
  constructor(proto: ModelProto) {
    if (!proto.graph) {
      throw new StudioError('INVALID_MODEL', 'The model has no graph (it only holds functions); there is nothing to run or edit.');
    }
    this.proto = proto;
    this.graph = new Graph(proto.graph, { irVersion: Number(proto.irVersion) });
  }

  get irVersion(): number {
    return Number(this.proto.irVersion);
  }

  /**
   * The opset version the model imports for a domain.
   * @param domain - `''` (or `'ai.onnx'`) for the default operators, e.g. `'com.microsoft'` for contrib ops
   * @returns the version, or undefined when the domain is not imported
   */
  opset(domain = ''): number | undefined {
    const entry = this.proto.opsetImport.find((o) => sameDomain(o.domain, domain));
    return entry ? Number(entry.version) : undefined;
  }

  /**
   * Sets (or adds) the imported opset version of a domain.
   * @param domain - the operator domain
   * @param version - the version to import
   */
  setOpset(domain: string, version: number): void {
    const entry = this.proto.opsetImport.find((o) => sameDomain(o.domain, domain));
    if (entry) entry.version = BigInt(version);
    else this.proto.opsetImport.push(create(OperatorSetIdProtoSchema, { domain, version: BigInt(version) }));
  }

  /** @returns the ModelProto with every edit applied (the stored object itself, ready for encodeModel or saveModel). */
  toProto(): ModelProto {
    return this.proto;
  }

  /**
   * A deep copy to edit without touching this model.
   * @remarks Copies every weight's bytes. External tensors stay external; carry a loaded model's references over to
   * the copy with {@link mapClonedTensors}.
   */
  clone(): ModelIR {
    return new ModelIR(clone(ModelProtoSchema, this.proto));
  }
}

/**
 * Carries a per-tensor map (such as `LoadedModel.external`) from a model to its deep copy.
 * @param original - the model the map is keyed on
 * @param copy - a structurally identical copy (from {@link ModelIR.clone} or protobuf's `clone`)
 * @param map - entries keyed by the original's TensorProto objects
 * @returns the same entries keyed by the copy's TensorProto objects
 */
export function mapClonedTensors<V>(original: ModelProto, copy: ModelProto, map: ReadonlyMap<TensorProto, V>): Map<TensorProto, V> {
  const originals: TensorProto[] = [];
  forEachTensor(original, (t) => originals.push(t));
  const out = new Map<TensorProto, V>();
  let i = 0;
  forEachTensor(copy, (t) => {
    const value = map.get(originals[i++]);
    if (value !== undefined) out.set(t, value);
  });
  return out;
}

function sameDomain(a: string, b: string): boolean {
  return a === b || (DEFAULT_DOMAINS.has(a) && DEFAULT_DOMAINS.has(b));
}
