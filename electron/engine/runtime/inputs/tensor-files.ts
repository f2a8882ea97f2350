/** Reads tensor files other than numpy's: ONNX TensorProto `.pb` files and JSON arrays. */
import { fromBinary } from '@bufbuild/protobuf';
import { StudioError } from '../../../../shared/api/errors';
import { TensorProtoSchema } from '../../onnx/proto';
import { dtypeName } from '../../onnx/dtypes';
import { tensorStrings, tensorValues } from '../../onnx/tensor-data';
import type { HostTensor, NumericData, TensorDtype } from '../backend';
import { isTensorDtype, tensorFromNumbers } from '../host-tensor';

/**
 * Decodes a TensorProto file (as in the `input_0.pb` files of ONNX's test data sets).
 * @param bytes - the file's content
 * @param file - its name, for messages
 * @returns the tensor and the name stored in it (may be empty)
 * @throws StudioError `INVALID_INPUT` for other files and element types a model cannot be fed here
 */
export function parsePbTensor(bytes: Uint8Array, file: string): { name: string; tensor: HostTensor } {
  let proto;
  try {
    proto = fromBinary(TensorProtoSchema, bytes);
  } catch (err) {
    throw new StudioError('INVALID_INPUT', `${file} is not an ONNX TensorProto file (${(err as Error).message}).`);
  }
  const dtype = dtypeName(proto.dataType);
  if (!isTensorDtype(dtype)) {
    throw new StudioError('INVALID_INPUT', `${file} holds a ${dtype} tensor, which cannot be fed to a model here.`);
  }
  const dims = proto.dims.map(Number);
  if (dtype === 'string') return { name: proto.name, tensor: { dtype, dims, data: tensorStrings(proto) } };
  let data: NumericData;
  try {
    data = tensorValues(proto) as NumericData;
  } catch (err) {
    throw new StudioError('INVALID_INPUT', `${file} holds a tensor whose data does not match its dims: ${(err as Error).message}`);
  }
  return { name: proto.name, tensor: { dtype: dtype as TensorDtype, dims, data } };
}

type Nested = number | boolean | string | Nested[];
type Leaf = number | boolean | string;

function flatten(v: Nested, out: Leaf[] = []): Leaf[] {
  if (Array.isArray(v)) for (const x of v) flatten(x, out);
  else out.push(v);
  return out;
}

function shapeOf(value: Nested, file: string): number[] {
  const dims: number[] = [];
  let v: Nested = value;
  while (Array.isArray(v)) {
    dims.push(v.length);
    if (v.length === 0) break;
    v = v[0];
  }
  const check = (x: Nested, depth: number, at: string) => {
    if (depth === dims.length) {
      if (Array.isArray(x)) throw new StudioError('INVALID_INPUT', `${file}: the array is not rectangular (${at} nests deeper than the rest).`);
      return;
    }
    if (!Array.isArray(x) || x.length !== dims[depth]) {
      throw new StudioError('INVALID_INPUT', `${file}: the array is not rectangular (${at} has ${Array.isArray(x) ? x.length : 'no'} elements where ${dims[depth]} were expected).`);
    }
    x.forEach((y, i) => check(y, depth + 1, `${at}[${i}]`));
  };
  check(value, 0, 'the array');
  return dims;
}

/**
 * Decodes a JSON tensor: a nested array (`[[0.1, 0.2], …]`), `{"dims": […], "data": […]}`, or an object of those
 * keyed by input name.
 * @param text - the file's content
 * @param file - its name, for messages
 * @param inputName - which key to take from an object of several inputs
 * @param dtype - the element type the input expects (JSON has no dtype of its own)
 * @throws StudioError `INVALID_INPUT` for bad JSON, ragged arrays, or values the dtype cannot hold
 */
export function parseJsonTensor(text: string, file: string, inputName: string, dtype: TensorDtype): HostTensor {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new StudioError('INVALID_INPUT', `${file} is not valid JSON (${(err as Error).message}).`);
  }
  if (doc && typeof doc === 'object' && !Array.isArray(doc) && inputName in (doc as object) && !('data' in (doc as object))) {
    doc = (doc as Record<string, unknown>)[inputName];
  }
  let dims: number[];
  let flat: Leaf[];
  if (doc && typeof doc === 'object' && !Array.isArray(doc) && Array.isArray((doc as { data?: unknown }).data)) {
    const d = doc as { dims?: unknown; data: Nested[] };
    flat = flatten(d.data);
    dims = Array.isArray(d.dims) ? (d.dims as number[]) : [flat.length];
    if (dims.some((x) => !Number.isInteger(x) || x < 0)) throw new StudioError('INVALID_INPUT', `${file}: "dims" must be a list of sizes.`);
  } else if (Array.isArray(doc) || typeof doc === 'number' || typeof doc === 'boolean') {
    dims = shapeOf(doc as Nested, file);
    flat = flatten(doc as Nested);
  } else {
    throw new StudioError('INVALID_INPUT', `${file}: expected a (nested) array of numbers, {"dims", "data"}, or an object keyed by input name with "${inputName}".`);
  }
  const count = dims.reduce((a, b) => a * b, 1);
  if (count !== flat.length) throw new StudioError('INVALID_INPUT', `${file}: dims [${dims.join(', ')}] need ${count} values, the data has ${flat.length}.`);
  if (dtype === 'string') return { dtype, dims, data: flat.map(String) };
  const numbers = flat.map((v, i) => {
    if (typeof v === 'boolean') return v ? 1 : 0;
    if (typeof v !== 'number') throw new StudioError('INVALID_INPUT', `${file}: element ${i} is ${JSON.stringify(v)}, not a number (input "${inputName}" is ${dtype}).`);
    return v;
  });
  return tensorFromNumbers(dtype, dims, numbers, `Input "${inputName}" (${file})`);
}
