/** The state of one ONNX → TFLite conversion: ONNX values mapped to TFLite tensors with their layout. */
import { StudioError } from '../../../../shared/api/errors';
import type { Graph } from '../../onnx/ir/graph';
import { constantValueAttribute, isConstantNode } from '../../onnx/ir/graph';
import type { LoadedModel } from '../../onnx/load';
import { DataType, type AttributeProto, type NodeProto, type TensorProto } from '../../onnx/proto';
import { tensorValues } from '../../onnx/tensor-data';
import { identity, invert, isIdentity, isMemoryNoop, permuteShape, transposeData } from './layout';
import { BuiltinOperator, BuiltinOptions, TensorType, type OpOptions, type OpSpec, type TensorQuant, type TfliteModelBuilder } from './tflite-builder';
import { ReshapeOptions } from './generated/tflite/reshape-options';
import { TransposeOptions } from './generated/tflite/transpose-options';
import type { ActivationFunctionType } from './generated/tflite/activation-function-type';

/** An ONNX value as the converter holds it. */
export interface Value {
  /** the TFLite tensor, or -1 for a constant not written yet */
  tensor: number;
  /** the shape in ONNX's dimension order (batch fixed) */
  shape: number[];
  /** how the TFLite tensor is stored: its dim i is ONNX dim perm[i] */
  perm: number[];
  /** values of a float constant, in ONNX order */
  constData?: Float32Array;
  /** values of an integer constant (shapes, axes) */
  constInts?: number[];
  /** known to be ≥ 0 (after Relu): padding with zeros is as good as with -∞ for a max */
  nonNegative?: boolean;
}

/** A way to rewrite an emitted operator with a fused activation. */
export type Fuser = (act: ActivationFunctionType) => OpOptions;

/** One conversion in progress. */
export class ConvertContext {
  readonly values = new Map<string, Value>();
  /** nodes folded into an earlier one */
  readonly skip = new Set<NodeProto>();
  private readonly fusable = new Map<number, { spec: OpSpec; fuse: Fuser }>();
  private readonly layoutCache = new Map<string, Value>();

  constructor(
    readonly graph: Graph,
    readonly model: LoadedModel,
    readonly b: TfliteModelBuilder,
    readonly opset: number,
    /** quantization of ONNX tensors (int8 export); absent for float */
    readonly quantOf: (name: string) => TensorQuant | undefined = () => undefined,
  ) {}

  /** The value of an ONNX name; constants are read on first use. */
  get(name: string): Value {
    const v = this.values.get(name) ?? this.readConstant(name);
    if (!v) throw new StudioError('CONVERSION_FAILED', `Value "${name}" is used before it is produced; the model is not in topological order.`);
    return v;
  }

  /** The values of a float constant input, or undefined when the input is computed. */
  floatConst(name: string): { shape: number[]; data: Float32Array } | undefined {
    if (!name) return undefined;
    const v = this.values.get(name) ?? this.readConstant(name);
    if (!v) return undefined;
    if (v.constData) return { shape: v.shape, data: v.constData };
    if (v.constInts) return { shape: v.shape, data: Float32Array.from(v.constInts) };
    return undefined;
  }

  /** The values of an integer constant input (shapes, axes, pads), or undefined. */
  intConst(name: string): number[] | undefined {
    if (!name) return undefined;
    const v = this.values.get(name) ?? this.readConstant(name);
    return v?.constInts ?? (v?.constData ? Array.from(v.constData) : undefined);
  }

  /** Records the value of an ONNX name. */
  define(name: string, v: Value): void {
    this.values.set(name, v);
  }

  /** A new float (or, when annotated, int8) activation tensor for an ONNX name, stored in `perm` order. */
  activation(name: string, shape: number[], perm: number[]): Value {
    const quant = this.quantOf(name);
    const tensor = this.b.addTensor({ name, shape: permuteShape(shape, perm), type: quant ? TensorType.INT8 : TensorType.FLOAT32, quant });
    return { tensor, shape, perm };
  }

  /** The TFLite tensor holding a value, writing a constant's data on first use. */
  tensorOf(v: Value, name = 'const'): number {
    if (v.tensor >= 0) return v.tensor;
    const data = v.constData ?? Float32Array.from(v.constInts ?? []);
    v.tensor = this.b.addConstF32(name, permuteShape(v.shape, v.perm), transposeData(data, v.shape, v.perm));
    return v.tensor;
  }

  /** The value stored in another order: a constant is rewritten, an activation gets a TRANSPOSE (once). */
  inLayout(v: Value, perm: number[], name: string): Value {
    if (v.perm.join() === perm.join()) return v;
    if (v.constData || v.constInts) return { ...v, tensor: -1, perm };
    const key = `${v.tensor}:${perm.join()}`;
    const cached = this.layoutCache.get(key);
    if (cached) return cached;
    // TFLite dim i of the result is ONNX dim perm[i], found at TFLite dim invert(v.perm)[perm[i]] of the source.
    const inv = invert(v.perm);
    const tperm = perm.map((p) => inv[p]);
    const out = this.activation(`${name}/${isIdentity(perm) ? 'to_nchw' : 'to_nhwc'}`, v.shape, perm);
    if (isMemoryNoop(permuteShape(v.shape, v.perm), tperm)) {
      this.reshapeOp(v.tensor, out.tensor, permuteShape(v.shape, perm));
    } else {
      const permT = this.b.addConstI32(`${name}/perm`, [tperm.length], tperm);
      this.emit({ op: BuiltinOperator.TRANSPOSE, inputs: [v.tensor, permT], outputs: [out.tensor], options: { type: BuiltinOptions.TransposeOptions, write: (b) => TransposeOptions.createTransposeOptions(b) } });
    }
    const result = { ...out, nonNegative: v.nonNegative };
    this.layoutCache.set(key, result);
    return result;
  }

  /** The value in ONNX order (identity layout). */
  plain(v: Value, name: string): Value {
    return this.inLayout(v, identity(v.shape.length), name);
  }

  /** Emits a RESHAPE of `input` to `shape` (TFLite order) into `output`. */
  reshapeOp(input: number, output: number, shape: number[]): void {
    const shapeT = this.b.addConstI32('shape', [shape.length], shape);
    this.emit({
      op: BuiltinOperator.RESHAPE,
      inputs: [input, shapeT],
      outputs: [output],
      options: { type: BuiltinOptions.ReshapeOptions, write: (b) => ReshapeOptions.createReshapeOptions(b, ReshapeOptions.createNewShapeVector(b, shape)) },
    });
  }

  /** Appends an operator; `fuse` lets a following Relu/Relu6 fold into it. */
  emit(spec: OpSpec, fuse?: Fuser): void {
    this.b.addOp(spec);
    if (fuse && spec.outputs.length === 1) this.fusable.set(spec.outputs[0], { spec, fuse });
  }

  /** Folds an activation into the operator that produced `input`, when that is safe; returns whether it did. */
  tryFuse(inputName: string, input: Value, act: ActivationFunctionType): boolean {
    const entry = this.fusable.get(input.tensor);
    if (!entry || this.consumers(inputName).length !== 1 || this.graph.isOutput(inputName) || this.quantOf(inputName)) return false;
    entry.spec.options = entry.fuse(act);
    this.fusable.delete(input.tensor);
    return true;
  }

  /** The nodes reading an ONNX value. */
  consumers(name: string): readonly NodeProto[] {
    return this.graph.consumers(name);
  }

  private readConstant(name: string): Value | undefined {
    const init = this.graph.initializer(name);
    if (init) return this.constValue(name, init);
    const producer = this.graph.producer(name);
    if (producer && isConstantNode(producer)) {
      const t = constantValueAttribute(producer)?.t;
      if (t) return this.constValue(name, t);
    }
    return undefined;
  }

  private constValue(name: string, t: TensorProto): Value {
    const shape = t.dims.map(Number);
    const raw = tensorValues(t, this.model.external.get(t));
    const isInt = t.dataType === DataType.INT64 || t.dataType === DataType.INT32;
    const v: Value = isInt
      ? { tensor: -1, shape, perm: identity(shape.length), constInts: Array.from(raw as ArrayLike<number | bigint>, Number) }
      : { tensor: -1, shape, perm: identity(shape.length), constData: raw instanceof Float32Array ? raw : Float32Array.from(raw as ArrayLike<number>, Number) };
    this.values.set(name, v);
    return v;
  }
}

/** An integer attribute. */
export function attrInt(node: NodeProto, name: string, fallback: number): number {
  const a = findAttr(node, name);
  return a ? Number(a.i) : fallback;
}

/** A float attribute. */
export function attrFloat(node: NodeProto, name: string, fallback: number): number {
  const a = findAttr(node, name);
  return a ? a.f : fallback;
}

/** An integer list attribute. */
export function attrInts(node: NodeProto, name: string): number[] | undefined {
  const a = findAttr(node, name);
  return a ? a.ints.map(Number) : undefined;
}

/** A string attribute. */
export function attrString(node: NodeProto, name: string, fallback: string): string {
  const a = findAttr(node, name);
  return a ? new TextDecoder().decode(a.s) : fallback;
}

function findAttr(node: NodeProto, name: string): AttributeProto | undefined {
  return node.attribute.find((a) => a.name === name);
}

/** A negative axis counted from the end. */
export function normAxis(axis: number, rank: number): number {
  return axis < 0 ? axis + rank : axis;
}
