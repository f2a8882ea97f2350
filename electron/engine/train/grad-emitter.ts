/** Writes the nodes and constants of a gradient graph: fresh names, small constants, and the common reductions. */
import { create } from '@bufbuild/protobuf';
import { AttributeProtoSchema, AttributeType, DataType, type AttributeProto, type NodeProto, type TensorProto } from '../onnx/proto';
import { floatTensor, intAttr, makeNode, makeTensor } from '../optimize/quantize/proto-build';

/** An ints attribute. */
export function intsAttr(name: string, values: readonly number[]): AttributeProto {
  return create(AttributeProtoSchema, { name, type: AttributeType.INTS, ints: values.map((v) => BigInt(v)) });
}

/** A float attribute. */
export function floatAttrOf(name: string, value: number): AttributeProto {
  return create(AttributeProtoSchema, { name, type: AttributeType.FLOAT, f: value });
}

/** A string attribute. */
export function strAttr(name: string, value: string): AttributeProto {
  return create(AttributeProtoSchema, { name, type: AttributeType.STRING, s: new TextEncoder().encode(value) });
}

/** A tensor attribute (ConstantOfShape's value). */
export function tensorAttr(name: string, value: TensorProto): AttributeProto {
  return create(AttributeProtoSchema, { name, type: AttributeType.TENSOR, t: value });
}

/**
 * Collects the nodes and initializers a gradient graph adds, with names that cannot clash with the model's own
 * (every name starts with a prefix no exporter uses).
 */
export class GradEmitter {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];
  private next = 0;
  private readonly consts = new Map<string, string>();

  constructor(private readonly prefix = '__grad') {}

  /** @returns a name no other tensor has. */
  fresh(hint: string): string {
    return `${this.prefix}/${hint.replace(/[^A-Za-z0-9_.]/g, '_').slice(-40)}/${this.next++}`;
  }

  /**
   * Adds one node.
   * @returns its output names
   */
  op(opType: string, inputs: string[], attrs: AttributeProto[] = [], outputs = 1, hint = opType): string[] {
    const outs = Array.from({ length: outputs }, () => this.fresh(hint));
    this.nodes.push(makeNode(opType, inputs, outs, this.fresh(`${hint}_node`), attrs));
    return outs;
  }

  /** Adds a one-output node; @returns its output. */
  op1(opType: string, inputs: string[], attrs: AttributeProto[] = [], hint = opType): string {
    return this.op(opType, inputs, attrs, 1, hint)[0];
  }

  /** @returns an int64 vector constant (shared between uses). */
  ints(values: readonly number[]): string {
    const key = `i:${values.join(',')}`;
    let name = this.consts.get(key);
    if (!name) {
      name = this.fresh('const_i64');
      this.initializers.push(makeTensor(name, DataType.INT64, [values.length], BigInt64Array.from(values.map((v) => BigInt(v)))));
      this.consts.set(key, name);
    }
    return name;
  }

  /** @returns a float32 scalar constant (shared between uses). */
  scalar(value: number): string {
    const key = `f:${value}`;
    let name = this.consts.get(key);
    if (!name) {
      name = this.fresh('const_f32');
      this.initializers.push(floatTensor(name, [value]));
      this.consts.set(key, name);
    }
    return name;
  }

  /** @returns a float32 tensor constant of the given shape. */
  tensor(values: Float32Array, dims: readonly number[], hint = 'const'): string {
    const name = this.fresh(hint);
    this.initializers.push(makeTensor(name, DataType.FLOAT, dims, values));
    return name;
  }

  /** Sums several gradient contributions (one is returned as it is). */
  sum(parts: readonly string[]): string {
    return parts.length === 1 ? parts[0] : this.op1('Sum', [...parts], [], 'grad_sum');
  }

  /** ReduceSum over axes, keeping or dropping them (opset 13+: axes as an input). */
  reduceSum(x: string, axes: readonly number[], keepdims: boolean): string {
    return this.op1('ReduceSum', [x, this.ints(axes)], [intAttr('keepdims', keepdims ? 1 : 0)], 'reduce_sum');
  }

  /** Reshapes `x` to the runtime shape of `like`. */
  reshapeLike(x: string, like: string): string {
    return this.op1('Reshape', [x, this.op1('Shape', [like])], [], 'reshape_like');
  }

  /**
   * The gradient of a broadcast operand: sums `grad` (shaped like the op's output) over the axes the operand was
   * broadcast along, then gives it the operand's shape.
   * @param grad - gradient of the output
   * @param gradShape - the output's shape (from the shape probe)
   * @param target - the operand's tensor name
   * @param targetShape - the operand's shape
   */
  reduceTo(grad: string, gradShape: readonly number[], target: string, targetShape: readonly number[]): string {
    const lead = gradShape.length - targetShape.length;
    const axes: number[] = [];
    for (let i = 0; i < gradShape.length; i++) {
      if (i < lead) axes.push(i);
      else if (targetShape[i - lead] === 1 && gradShape[i] !== 1) axes.push(i);
    }
    if (!axes.length && lead === 0) return grad;
    const reduced = axes.length ? this.reduceSum(grad, axes, true) : grad;
    return this.reshapeLike(reduced, target);
  }
}

export { intAttr };
