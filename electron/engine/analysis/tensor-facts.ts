/** Turns what a model states (value_info types, initializers, Constant attributes) into tensor facts. */
import type { ExternalRef } from '../onnx/external-data';
import { DataType, type NodeProto, type TensorProto, type TypeProto } from '../onnx/proto';
import { elementCount, tensorValues } from '../onnx/tensor-data';
import { substituteDim, type Dim } from './dims';
import { MAX_FOLDED_ELEMENTS, type TensorFacts } from './infer-types';

/** dtypes whose stored values read as plain numbers (not raw float16 bits). */
const NUMERIC_VALUES = new Set<number>([
  DataType.FLOAT,
  DataType.DOUBLE,
  DataType.INT64,
  DataType.INT32,
  DataType.INT16,
  DataType.INT8,
  DataType.UINT8,
  DataType.UINT16,
  DataType.UINT32,
  DataType.UINT64,
  DataType.BOOL,
]);

/**
 * Facts of a declared type (a graph input, output or value_info).
 * @param type - the ONNX type
 * @param dims - sizes given for symbolic dims
 */
export function typeFacts(type: TypeProto | undefined, dims: Readonly<Record<string, number>>): TensorFacts | undefined {
  const v = type?.value;
  if (!v || v.case === undefined) return undefined;
  if (v.case === 'tensorType' || v.case === 'sparseTensorType') {
    const shape = v.value.shape
      ? v.value.shape.dim.map((d): Dim => {
          if (d.value.case === 'dimValue') return Number(d.value.value);
          if (d.value.case === 'dimParam' && d.value.value) return substituteDim(d.value.value, dims);
          return null;
        })
      : null;
    return { dtype: v.value.elemType, shape };
  }
  return { dtype: 0, shape: null, nonTensor: v.case.replace('Type', '') };
}

/**
 * Facts of a stored tensor, with its values when it is small and numeric.
 * @param t - the tensor
 * @param external - its external-data reference, when it has one
 */
export function storedFacts(t: TensorProto, external?: ExternalRef): TensorFacts {
  const shape = t.dims.map(Number);
  const facts: TensorFacts = { dtype: t.dataType, shape };
  let count: number;
  try {
    count = elementCount(t);
  } catch {
    return facts;
  }
  if (count > MAX_FOLDED_ELEMENTS || !NUMERIC_VALUES.has(t.dataType)) return facts;
  try {
    const values = tensorValues(t, external);
    facts.value = Array.from(values as ArrayLike<number | bigint>, (x) => Number(x));
  } catch {
    // values unreadable (bad sizes): shape facts still hold
  }
  return facts;
}

/** Facts of a Constant node's output (value, value_int(s), value_float(s), value_string(s)). */
export function constantFacts(node: NodeProto, external: ReadonlyMap<TensorProto, ExternalRef> | undefined): TensorFacts | undefined {
  for (const a of node.attribute) {
    switch (a.name) {
      case 'value':
        return a.t ? storedFacts(a.t, external?.get(a.t)) : undefined;
      case 'sparse_value':
        return a.sparseTensor?.values ? { dtype: a.sparseTensor.values.dataType, shape: a.sparseTensor.dims.map(Number) } : undefined;
      case 'value_int':
        return { dtype: DataType.INT64, shape: [], value: [Number(a.i)] };
      case 'value_ints':
        return { dtype: DataType.INT64, shape: [a.ints.length], value: a.ints.map(Number) };
      case 'value_float':
        return { dtype: DataType.FLOAT, shape: [], value: [a.f] };
      case 'value_floats':
        return { dtype: DataType.FLOAT, shape: [a.floats.length], value: [...a.floats] };
      case 'value_string':
        return { dtype: DataType.STRING, shape: [] };
      case 'value_strings':
        return { dtype: DataType.STRING, shape: [a.strings.length] };
    }
  }
  return undefined;
}

/** @returns true when facts give a rank and every dim (a number or a symbol). */
export function isComplete(f: TensorFacts | undefined): boolean {
  return Boolean(f && !f.nonTensor && f.dtype && f.shape && f.shape.every((d) => d !== null));
}

/**
 * Fills what inference left open from declared facts (the model's value_info): unknown rank, unknown dims, dtype.
 * @returns the completed facts and whether the declaration contributed
 */
export function fillFrom(inferred: TensorFacts | undefined, declared: TensorFacts | undefined): { facts: TensorFacts | undefined; used: boolean } {
  if (!declared || declared.nonTensor) return { facts: inferred, used: false };
  if (!inferred) return { facts: declared, used: true };
  let used = false;
  let shape = inferred.shape;
  if (!shape && declared.shape) {
    shape = declared.shape;
    used = true;
  } else if (shape && declared.shape && declared.shape.length === shape.length) {
    shape = shape.map((d, i) => {
      if (d !== null || declared.shape![i] === null) return d;
      used = true;
      return declared.shape![i];
    });
  }
  const dtype = inferred.dtype || declared.dtype;
  if (!inferred.dtype && declared.dtype) used = true;
  return { facts: { ...inferred, dtype, shape }, used };
}
