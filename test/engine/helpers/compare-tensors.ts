/** Compares onnxruntime outputs with expected TensorProtos the way ONNX's backend tests do (rtol/atol, exact strings). */
import type * as ort from 'onnxruntime-node';
import { dtypeName } from '../../../electron/engine/onnx/dtypes';
import { DataType, type TensorProto } from '../../../electron/engine/onnx/proto';
import { tensorStrings, tensorValues } from '../../../electron/engine/onnx/tensor-data';
import { ortTensorType } from '../../../electron/engine/runtime/tensor-proto';

/** ONNX backend test defaults. */
export const RTOL = 1e-3;
export const ATOL = 1e-7;

/**
 * Checks an output against the expected tensor.
 * @returns undefined when they match, else a short description of the first difference
 */
export function compareWithExpected(actual: ort.Tensor, expected: TensorProto): string | undefined {
  const wantType = ortTensorType(expected.dataType);
  if (actual.type !== wantType) return `type ${actual.type}, expected ${dtypeName(expected.dataType)}`;
  const wantDims = expected.dims.map(Number);
  if (actual.dims.length !== wantDims.length || actual.dims.some((d, i) => d !== wantDims[i])) {
    return `shape [${actual.dims.join(',')}], expected [${wantDims.join(',')}]`;
  }
  if (expected.dataType === DataType.STRING) {
    const want = tensorStrings(expected);
    const got = actual.data as string[];
    const i = want.findIndex((s, k) => s !== got[k]);
    return i < 0 ? undefined : `element ${i}: "${got[i]}", expected "${want[i]}"`;
  }
  const half = expected.dataType === DataType.FLOAT16;
  const want = numbers(tensorValues(expected), half);
  const got = numbers(actual.data as ArrayLike<number | bigint>, half);
  if (expected.dataType === DataType.BOOL) {
    const i = want.findIndex((v, k) => v !== got[k]);
    return i < 0 ? undefined : `element ${i}: ${got[i]}, expected ${want[i]}`;
  }
  let worst = -1;
  for (let i = 0; i < want.length; i++) {
    if (!close(got[i], want[i])) {
      worst = i;
      break;
    }
  }
  if (worst < 0) return undefined;
  const bad = want.filter((w, k) => !close(got[k], w)).length;
  return `${bad}/${want.length} elements differ; element ${worst}: ${got[worst]}, expected ${want[worst]}`;
}

/**
 * Tells whether two onnxruntime outputs are identical, bit for bit (NaN equals NaN).
 */
export function identicalTensors(a: ort.Tensor, b: ort.Tensor): boolean {
  if (a.type !== b.type || a.dims.length !== b.dims.length || a.dims.some((d, i) => d !== b.dims[i])) return false;
  if (a.type === 'string') return (a.data as string[]).every((s, i) => s === (b.data as string[])[i]);
  const x = a.data as ArrayLike<number | bigint>;
  const y = b.data as ArrayLike<number | bigint>;
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) {
    if (x[i] !== y[i] && !(Number.isNaN(x[i]) && Number.isNaN(y[i]))) return false;
  }
  return true;
}

function close(actual: number, expected: number): boolean {
  if (Number.isNaN(expected)) return Number.isNaN(actual);
  if (!Number.isFinite(expected)) return actual === expected;
  return Math.abs(actual - expected) <= ATOL + RTOL * Math.abs(expected);
}

function numbers(values: ArrayLike<number | bigint>, half: boolean): number[] {
  const bits = half && values instanceof Uint16Array;
  const out = new Array<number>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = Number(values[i]);
    out[i] = bits ? halfToFloat(v) : v;
  }
  return out;
}

/** @returns the value of IEEE 754 half-precision bits. */
export function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >> 10) & 0x1f;
  const frac = bits & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}
