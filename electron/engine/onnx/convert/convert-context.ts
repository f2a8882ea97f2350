/** What an opset adapter works with: one node in its graph, the conversion's target, tensor facts and small builders. */
import { create } from '@bufbuild/protobuf';
import type { ErrorCode } from '../../../../shared/api/errors';
import type { TensorFacts } from '../../analysis/infer-types';
import type { ExternalRef } from '../external-data';
import { addInitializer, insertNode } from '../ir/edits';
import type { Graph } from '../ir/graph';
import { AttributeProtoSchema, AttributeType, DataType, NodeProtoSchema, type AttributeProto, type NodeProto, type TensorProto } from '../proto';
import { buildTensor, canBuild, readNumbers, toInt64 } from './tensors';

/** Thrown by an adapter that cannot convert a node faithfully; the driver collects these and refuses the model. */
export class Refusal extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** State shared by every node of one conversion. */
export interface ConversionScope {
  /** the ai.onnx opset the model is converted to */
  target: number;
  /** the IR version the converted model will declare */
  irVersion: number;
  /** what shape inference knew about a tensor of a graph, before any edit */
  facts(graph: Graph, name: string): TensorFacts | undefined;
  external?: ReadonlyMap<TensorProto, ExternalRef>;
  /** per graph, tensors an adapter stopped reading (removed at the end when nothing else reads them) */
  detached: Map<Graph, Set<string>>;
  /** Resize nodes made from Upsample, whose scales are at least 1 by definition */
  fromUpsample: WeakSet<NodeProto>;
  /** things the user should know about a conversion that succeeded */
  notes: Set<string>;
  /** the wrapped bodies of model-local functions, which hold constants as Constant nodes (they have no initializers) */
  functionBodies: WeakSet<Graph>;
}

export type AttrValue = { i: number | bigint } | { ints: ReadonlyArray<number | bigint> } | { f: number } | { floats: readonly number[] } | { s: string };

/**
 * One version step of one node (`from` → `to`, both schema versions) with helpers for the edit.
 * @remarks Nodes an adapter adds are built for the conversion's target opset directly: the driver does not visit them.
 */
export class NodeStep {
  constructor(
    readonly scope: ConversionScope,
    readonly graph: Graph,
    readonly node: NodeProto,
    readonly from: number,
    readonly to: number,
  ) {}

  get target(): number {
    return this.scope.target;
  }

  /** `node "name" (Op)` for messages. */
  get label(): string {
    return `node "${this.node.name || '(unnamed)'}" (${this.node.opType})`;
  }

  /** Stops the conversion of this node: the model is refused with this reason. */
  refuse(reason: string, code: ErrorCode = 'CONVERSION_FAILED'): never {
    throw new Refusal(code, `${this.label}: ${reason}`);
  }

  // ------------------------------------------------------------ attributes

  attr(name: string): AttributeProto | undefined {
    return this.node.attribute.find((a) => a.name === name);
  }

  int(name: string): number | undefined;
  int(name: string, fallback: number): number;
  int(name: string, fallback?: number): number | undefined {
    const a = this.attr(name);
    return a ? Number(a.i) : fallback;
  }

  ints(name: string): number[] | undefined {
    const a = this.attr(name);
    return a ? a.ints.map(Number) : undefined;
  }

  /** The exact int64 values of an INTS attribute (Slice ends are often INT64_MAX). */
  bigInts(name: string): bigint[] | undefined {
    const a = this.attr(name);
    return a ? [...a.ints] : undefined;
  }

  float(name: string, fallback: number): number {
    const a = this.attr(name);
    return a ? a.f : fallback;
  }

  floats(name: string): number[] | undefined {
    const a = this.attr(name);
    return a ? [...a.floats] : undefined;
  }

  str(name: string): string | undefined {
    const a = this.attr(name);
    return a ? new TextDecoder().decode(a.s) : undefined;
  }

  /** Sets (replacing) an attribute. */
  set(name: string, value: AttrValue): void {
    this.remove(name);
    this.node.attribute.push(makeAttribute(name, value));
  }

  /** Removes an attribute; @returns it, when it was there. */
  remove(name: string): AttributeProto | undefined {
    const i = this.node.attribute.findIndex((a) => a.name === name);
    return i < 0 ? undefined : this.node.attribute.splice(i, 1)[0];
  }

  // ------------------------------------------------------------ inputs

  input(i: number): string {
    return this.node.input[i] ?? '';
  }

  /** @returns the stored tensor behind input i (initializer or Constant, here or in an enclosing graph). */
  constant(i: number): TensorProto | undefined {
    const name = this.input(i);
    return name ? this.graph.constantTensor(name) : undefined;
  }

  /** @returns the numbers of constant input i, or undefined when it is absent, computed or not numeric. */
  values(i: number): number[] | undefined {
    const t = this.constant(i);
    return t ? readNumbers(t, this.scope.external?.get(t)) : undefined;
  }

  /** Like {@link values}, refusing the node when the input is there but not a constant. */
  requireValues(i: number, what: string): number[] | undefined {
    if (!this.input(i)) return undefined;
    const v = this.values(i);
    if (!v) this.refuse(`its ${what} input "${this.input(i)}" is computed at run time; the older opset needs it as an attribute, so it must be a constant.`);
    return v;
  }

  /** Sets input i, padding skipped optional inputs with ''. */
  setInput(i: number, name: string): void {
    while (this.node.input.length < i) this.node.input.push('');
    this.node.input[i] = name;
    this.trimInputs();
    this.graph.invalidate();
  }

  /** Drops the inputs from index i on, remembering constants that may now be unused. */
  dropInputsFrom(i: number): void {
    for (const name of this.node.input.slice(i)) if (name) this.detach(name);
    this.node.input.splice(i);
    this.trimInputs();
    this.graph.invalidate();
  }

  /** Removes trailing omitted ('') inputs. */
  trimInputs(): void {
    while (this.node.input.length > 0 && this.node.input[this.node.input.length - 1] === '') this.node.input.pop();
  }

  detach(name: string): void {
    let set = this.scope.detached.get(this.graph);
    if (!set) this.scope.detached.set(this.graph, (set = new Set()));
    set.add(name);
  }

  // ------------------------------------------------------------ facts

  facts(name: string): TensorFacts | undefined {
    return name ? this.scope.facts(this.graph, name) : undefined;
  }

  rank(name: string): number | undefined {
    const f = this.facts(name);
    return f && !f.nonTensor && f.shape ? f.shape.length : undefined;
  }

  dtype(name: string): number | undefined {
    const f = this.facts(name);
    return f && !f.nonTensor && f.dtype ? f.dtype : undefined;
  }

  // ------------------------------------------------------------ building

  /** A tensor name unused anywhere in the model, derived from this node's name. */
  fresh(suffix: string): string {
    return this.graph.uniqueName(`${this.node.name || this.node.opType}_${suffix}`);
  }

  /** Adds a constant (an initializer of this graph). @returns its name */
  addConstant(suffix: string, dataType: number, dims: readonly number[], values: ReadonlyArray<number | bigint>): string {
    const tensor = buildTensor(this.fresh(suffix), dataType, dims, values);
    if (this.scope.functionBodies.has(this.graph.root)) {
      const constant = this.make('Constant', [], [tensor.name]);
      constant.attribute.push(create(AttributeProtoSchema, { name: 'value', type: AttributeType.TENSOR, t: tensor }));
      insertNode(this.graph, constant, { before: this.node });
    } else if (this.graph.parent || this.scope.irVersion >= 4) {
      this.graph.initializers.push(tensor);
      this.graph.invalidate();
    } else {
      addInitializer(this.graph, tensor);
    }
    return tensor.name;
  }

  /** An int64 vector constant (a scalar when `scalar`). */
  int64s(suffix: string, values: ReadonlyArray<number | bigint>, scalar = false): string {
    return this.addConstant(suffix, DataType.INT64, scalar ? [] : [values.length], values);
  }

  /**
   * A scalar constant of the element type of tensor `like`; when that type is unknown, a float32 constant cast to it
   * with CastLike (opset 15 and later).
   */
  scalarLike(suffix: string, value: number, like: string): string {
    const dtype = this.dtype(like);
    if (dtype !== undefined && canBuild(dtype)) return this.addConstant(suffix, dtype, [], [value]);
    if (this.target < 15) this.refuse(`the element type of "${like}" is unknown, so the ${suffix} value cannot be typed for opset ${this.target}.`);
    const f = this.addConstant(`${suffix}_f32`, DataType.FLOAT, [], [value]);
    return this.add('CastLike', [f, like], suffix);
  }

  /** Inserts a node of the default domain before this one. @returns the name of its (first) output */
  add(opType: string, inputs: string[], suffix: string, attrs: Record<string, AttrValue> = {}, outputs?: string[]): string {
    const outs = outputs ?? [this.fresh(suffix)];
    insertNode(this.graph, this.make(opType, inputs, outs, attrs), { before: this.node });
    return outs[0];
  }

  /**
   * Inserts a node of the default domain right after this one (or after `after`), typically producing a name this
   * node gave up with {@link renameOutput}.
   */
  addAfter(opType: string, inputs: string[], outputs: string[], attrs: Record<string, AttrValue> = {}, after: NodeProto = this.node): NodeProto {
    const node = this.make(opType, inputs, outputs, attrs);
    this.graph.nodes.splice(this.graph.nodes.indexOf(after) + 1, 0, node);
    this.graph.invalidate();
    return node;
  }

  /** A node of the default domain with a unique name (not inserted). */
  make(opType: string, inputs: string[], outputs: string[], attrs: Record<string, AttrValue> = {}): NodeProto {
    return create(NodeProtoSchema, {
      opType,
      domain: '',
      name: this.graph.uniqueNodeName(`${this.node.name || this.node.opType}_${opType}`),
      input: inputs,
      output: outputs,
      attribute: Object.entries(attrs).map(([k, v]) => makeAttribute(k, v)),
    });
  }

  /**
   * Gives output i of this node a new name, so a node inserted after it can produce the original name (which keeps
   * graph outputs, readers and value_info as they were).
   * @returns the new name
   */
  renameOutput(i: number, suffix: string): string {
    const fresh = this.fresh(suffix);
    this.node.output[i] = fresh;
    this.graph.invalidate();
    return fresh;
  }

  /** Unsqueeze written for the target opset (axes attribute before 13, input after). */
  unsqueeze(input: string, axes: readonly number[], suffix: string): string {
    if (this.target >= 13) return this.add('Unsqueeze', [input, this.int64s(`${suffix}_axes`, axes)], suffix);
    return this.add('Unsqueeze', [input], suffix, { axes: { ints: axes } });
  }

  /** @returns true when the output is read by a node or a subgraph, or is a graph output. */
  isUsed(name: string): boolean {
    if (!name) return false;
    return this.graph.consumers(name).length > 0 || this.graph.implicitUsers(name).length > 0 || this.graph.isOutput(name);
  }
}

/** Builds an attribute from a tagged value. */
export function makeAttribute(name: string, value: AttrValue): AttributeProto {
  if ('i' in value) return create(AttributeProtoSchema, { name, type: AttributeType.INT, i: toInt64(value.i) });
  if ('ints' in value) return create(AttributeProtoSchema, { name, type: AttributeType.INTS, ints: value.ints.map(toInt64) });
  if ('f' in value) return create(AttributeProtoSchema, { name, type: AttributeType.FLOAT, f: value.f });
  if ('floats' in value) return create(AttributeProtoSchema, { name, type: AttributeType.FLOATS, floats: [...value.floats] });
  return create(AttributeProtoSchema, { name, type: AttributeType.STRING, s: new TextEncoder().encode(value.s) });
}

/** What an adapter does to a node for one version step; @returns a short description, or undefined if nothing changed. */
export type Adapter = (step: NodeStep) => string | undefined;
