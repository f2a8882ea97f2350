/** What every rule of the validator reads: the model's opsets and functions, external data, and the findings so far. */
import type { ExternalRef } from '../external-data';
import type { FunctionProto, ModelProto, TensorProto } from '../proto';
import type { OpLookup } from './op-schemas';
import { ProblemList, type NodeRef } from './problems';

/** The default operator domain, which models write as `''` or `'ai.onnx'`. */
export function normalDomain(domain: string): string {
  return domain === 'ai.onnx' ? '' : domain;
}

/** Nodes of one domain the model imports no opset for, or that nothing implements. */
export interface DomainUse {
  ops: Map<string, number>;
  first: NodeRef;
}

/** The state of one validation run. */
export class ValidateContext {
  readonly problems: ProblemList;
  readonly irVersion: number;
  /** imported opset by domain (`''` for ai.onnx); the first import wins when a domain is imported twice */
  readonly opsets = new Map<string, number>();
  /** model-local functions, as `domain\0name` */
  readonly functions = new Set<string>();
  /** nodes of domains without an opset import */
  readonly unimported: Map<string, DomainUse>;
  /** nodes of imported domains that neither ONNX nor onnxruntime defines */
  readonly unknownDomains: Map<string, DomainUse>;
  /** the imported ai.onnx opset */
  readonly defaultOpset: number | undefined;
  /** lookups of ai.onnx operators found at that opset, by name (one map lookup per node) */
  readonly defaultOps = new Map<string, OpLookup>();
  /** how a fix names the model in a command line */
  readonly modelArg: string;

  /**
   * @param model - the decoded model (or, for a function body, the model with the function's opset imports)
   * @param external - external data references by tensor, when the model was loaded from a file
   * @param fileName - the model's file name, used in suggested commands
   * @param shared - the run whose findings this context adds to (a function body's context shares its model's)
   */
  constructor(
    model: Pick<ModelProto, 'irVersion' | 'opsetImport' | 'functions'>,
    readonly external: ReadonlyMap<TensorProto, ExternalRef> | undefined,
    fileName: string | undefined,
    shared?: ValidateContext,
  ) {
    this.problems = shared?.problems ?? new ProblemList();
    this.unimported = shared?.unimported ?? new Map();
    this.unknownDomains = shared?.unknownDomains ?? new Map();
    this.irVersion = Number(model.irVersion);
    for (const o of model.opsetImport) {
      const d = normalDomain(o.domain);
      if (!this.opsets.has(d)) this.opsets.set(d, Number(o.version));
    }
    this.defaultOpset = this.opsets.get('');
    for (const f of model.functions) this.functions.add(`${normalDomain(f.domain)}\u0000${f.name}`);
    this.modelArg = fileName && /^[\w.+-]+$/.test(fileName) ? fileName : 'MODEL';
  }

  /**
   * The context for a model-local function's body: its own opset imports (the model's when it lists none), the
   * same findings.
   */
  forFunction(model: ModelProto, fn: FunctionProto): ValidateContext {
    const opsetImport = fn.opsetImport.length > 0 ? fn.opsetImport : model.opsetImport;
    return new ValidateContext({ irVersion: model.irVersion, opsetImport, functions: model.functions }, this.external, this.modelArg, this);
  }

  /** @returns the suggested command that converts the model to `opset`. */
  convertCommand(opset: number): string {
    const out = this.modelArg === 'MODEL' ? 'OUT' : this.modelArg.replace(/(\.onnx)?$/, `-opset${opset}.onnx`);
    return `deploy-studio convert ${this.modelArg} -o ${out} --opset ${opset}`;
  }

  /** Counts a node of a domain that needs a domain-level finding. */
  noteDomain(map: Map<string, DomainUse>, domain: string, ref: NodeRef): void {
    const use = map.get(domain) ?? { ops: new Map<string, number>(), first: ref };
    use.ops.set(ref.node.opType, (use.ops.get(ref.node.opType) ?? 0) + 1);
    map.set(domain, use);
  }
}
