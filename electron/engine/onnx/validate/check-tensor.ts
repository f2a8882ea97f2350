/** Tensor data consistency: a known element type, dims ≥ 0, one data field of the right kind, and as many values as the dims say. */
import { formatBytes } from '../../../../shared/format/bytes';
import { byteSize, dtypeInfo } from '../dtypes';
import { isExternal } from '../external-data';
import { DataType, type TensorProto } from '../proto';
import type { ValidateContext } from './context';
import { capital, quote, type NodeRef } from './problems';

type Field = 'raw_data' | 'float_data' | 'int32_data' | 'string_data' | 'int64_data' | 'double_data' | 'uint64_data';

const FIX_REEXPORT = 'The file is corrupt or was written by a broken tool: re-export the model, or re-save it with the exporter that made it.';

/** The typed field ONNX stores each element type in, and how many elements share one entry (packed types) or span two (complex). */
function typedField(dataType: number): { field: Field; perEntry: number } {
  switch (dataType) {
    case DataType.FLOAT:
      return { field: 'float_data', perEntry: 1 };
    case DataType.COMPLEX64:
      return { field: 'float_data', perEntry: 0.5 };
    case DataType.DOUBLE:
      return { field: 'double_data', perEntry: 1 };
    case DataType.COMPLEX128:
      return { field: 'double_data', perEntry: 0.5 };
    case DataType.INT64:
      return { field: 'int64_data', perEntry: 1 };
    case DataType.UINT32:
    case DataType.UINT64:
      return { field: 'uint64_data', perEntry: 1 };
    case DataType.STRING:
      return { field: 'string_data', perEntry: 1 };
    case DataType.INT4:
    case DataType.UINT4:
    case DataType.FLOAT4E2M1:
      return { field: 'int32_data', perEntry: 2 };
    case DataType.INT2:
    case DataType.UINT2:
      return { field: 'int32_data', perEntry: 4 };
    default:
      return { field: 'int32_data', perEntry: 1 };
  }
}

function fieldLengths(t: TensorProto): Array<[Field, number]> {
  const all: Array<[Field, number]> = [
    ['raw_data', t.rawData.length],
    ['float_data', t.floatData.length],
    ['int32_data', t.int32Data.length],
    ['string_data', t.stringData.length],
    ['int64_data', t.int64Data.length],
    ['double_data', t.doubleData.length],
    ['uint64_data', t.uint64Data.length],
  ];
  return all.filter(([, n]) => n > 0);
}

/** How a message names a tensor: an initializer of a graph, or the tensor in a node's attribute. */
function tensorText(t: TensorProto, graph: string, at?: NodeRef, attribute?: string): string {
  if (at) {
    const owner = at.node.name ? `node ${quote(at.node.name)} (${at.node.opType})` : `the ${at.node.opType} node #${at.index}`;
    const inGraph = graph === 'main' ? '' : ` in ${graph}`;
    return `${t.name ? `tensor ${quote(t.name)}, ` : 'the tensor in '}attribute "${attribute}" of ${owner}${inGraph}`;
  }
  return `${graph === 'main' ? 'initializer' : `initializer of ${graph}`} ${quote(t.name)}`;
}

function dimsText(t: TensorProto): string {
  return `[${t.dims.map(String).join(', ')}]`;
}

/**
 * Checks one stored tensor.
 * @param ctx - the validation run
 * @param t - an initializer, a sparse initializer's part, or an attribute's tensor
 * @param graph - the path of the graph storing it
 * @param at - the node whose attribute holds it
 * @param attribute - that attribute's name
 */
export function checkTensor(ctx: ValidateContext, t: TensorProto, graph: string, at?: NodeRef, attribute?: string): void {
  const report = (code: string, message: (where: string) => string, fix = FIX_REEXPORT) => {
    const base = { severity: 'error' as const, code, message: message(capital(tensorText(t, graph, at, attribute))), fix, tensor: t.name || undefined };
    if (at) ctx.problems.addAt(at, base);
    else ctx.problems.add({ ...base, graph });
  };
  const info = dtypeInfo(t.dataType);
  if (t.dataType === DataType.UNDEFINED || info.name.startsWith('dtype(')) {
    report('TENSOR_DATA_TYPE', (w) => `The element type of ${w.charAt(0).toLowerCase()}${w.slice(1)} is ${t.dataType === 0 ? 'not set' : `unknown (${t.dataType})`}, so its data cannot be read.`);
    return;
  }
  let count = 1;
  for (const d of t.dims) {
    if (d < 0n) {
      report('TENSOR_DIMS', (w) => `${w} has a negative dimension: dims ${dimsText(t)}.`);
      return;
    }
    count *= Number(d);
  }
  const raw = t.rawData.length;
  const fields = (raw > 0 ? 1 : 0) + (t.floatData.length > 0 ? 1 : 0) + (t.int32Data.length > 0 ? 1 : 0) + (t.stringData.length > 0 ? 1 : 0) +
    (t.int64Data.length > 0 ? 1 : 0) + (t.doubleData.length > 0 ? 1 : 0) + (t.uint64Data.length > 0 ? 1 : 0);
  if (isExternal(t)) {
    if (fields > 0) {
      report('TENSOR_DATA_FIELDS', (w) => `${w} is stored in an external file but also holds ${fieldLengths(t).map(([f]) => f).join(' and ')}; which one a runtime reads is undefined.`);
    }
    checkExternalSize(ctx, t, count, report);
    return;
  }
  if (fields > 1) {
    report('TENSOR_DATA_FIELDS', (w) => `${w} holds its values twice, in ${fieldLengths(t).map(([f]) => f).join(' and ')}; runtimes read only one of them, which one is undefined.`);
    return;
  }
  if (fields === 0) {
    if (count > 0) report('TENSOR_DATA_SIZE', (w) => `${w}: dims ${dimsText(t)} say ${count} elements, the data holds none.`);
    return;
  }
  if (raw > 0) {
    if (t.dataType === DataType.STRING) {
      report('TENSOR_DATA_FIELD', (w) => `${w} is a string tensor stored in raw_data; strings belong in string_data.`);
      return;
    }
    const want = byteSize(t.dataType, count);
    if (raw !== want) {
      const holds = Math.floor((raw * 8) / info.bits);
      report('TENSOR_DATA_SIZE', (w) => `${w}: dims ${dimsText(t)} say ${count} elements (${formatBytes(want)} of ${info.name}), the data holds ${holds} (${formatBytes(raw)}).`);
    }
    return;
  }
  const [field, length] = fieldLengths(t)[0];
  const expected = typedField(t.dataType);
  if (field !== expected.field) {
    report('TENSOR_DATA_FIELD', (w) => `${w} is ${info.name} but stores its values in ${field}; ${info.name} values belong in ${expected.field} or raw_data.`);
    return;
  }
  const want = Math.ceil(count / expected.perEntry);
  if (length !== want) {
    const holds = Math.floor(length * expected.perEntry);
    report('TENSOR_DATA_SIZE', (w) => `${w}: dims ${dimsText(t)} say ${count} elements, the data holds ${holds} (${length} entries of ${field}).`);
  }
}

function checkExternalSize(
  ctx: ValidateContext,
  t: TensorProto,
  count: number,
  report: (code: string, message: (where: string) => string, fix?: string) => void,
): void {
  const ref = ctx.external?.get(t);
  if (!ref || t.dataType === DataType.STRING) return;
  const want = byteSize(t.dataType, count);
  const lengthGiven = t.externalData.some((e) => e.key === 'length');
  if (lengthGiven ? ref.length !== want : ref.length < want) {
    report(
      'TENSOR_DATA_SIZE',
      (w) => `${w}: dims ${dimsText(t)} say ${count} elements (${formatBytes(want)}), the external data ${quote(ref.location)} holds ${formatBytes(ref.length)}${lengthGiven ? '' : ' to the end of the file'}.`,
      `The external data file does not belong to this model or is truncated: copy ${quote(ref.location)} again from where the model came from, or re-export the model.`,
    );
  }
}
