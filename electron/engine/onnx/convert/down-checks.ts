/** Down-conversion through steps that only added attributes (with defaults) or element types: what must hold for each. */
import { DataType } from '../proto';
import type { Adapter, NodeStep } from './convert-context';

/** An attribute a version introduced: its default, `null` when it has none (must be absent), or the allowed values. */
type AttrRule = number | string | null | 'ones' | { allowed: readonly string[] };

/**
 * Attributes (and attribute values) introduced by `Op@version` that the version before it does not have, from ONNX's
 * operator changelog. Steps into opset 7 and below are not listed: down-conversion stops at opset 7.
 */
const ADDED: Readonly<Record<string, Readonly<Record<string, AttrRule>>>> = {
  'ArgMax@12': { select_last_index: 0 },
  'ArgMin@12': { select_last_index: 0 },
  'Attention@25': { left_window_size: -1, right_window_size: -1 },
  'AveragePool@10': { ceil_mode: 0 },
  'AveragePool@19': { dilations: 'ones' },
  'BatchNormalization@14': { training_mode: 0 },
  'Cast@19': { saturate: 1 },
  'Cast@24': { round_mode: 'up' },
  'CastLike@19': { saturate: 1 },
  'CastLike@24': { round_mode: 'up' },
  'Constant@11': { sparse_value: null },
  'DepthToSpace@11': { mode: 'DCR' },
  'DequantizeLinear@21': { block_size: 0 },
  'DequantizeLinear@23': { output_dtype: 0 },
  'GatherND@12': { batch_dims: 0 },
  'GRU@14': { layout: 0 },
  'LSTM@14': { layout: 0 },
  'RNN@14': { layout: 0 },
  'LpPool@18': { ceil_mode: 0, dilations: 'ones' },
  'MaxPool@8': { storage_order: 0 },
  'MaxPool@10': { ceil_mode: 0, dilations: 'ones' },
  'Pad@19': { mode: { allowed: ['constant', 'reflect', 'edge'] } },
  'QuantizeLinear@19': { saturate: 1 },
  'QuantizeLinear@21': { block_size: 0, output_dtype: 0 },
  'QuantizeLinear@23': { precision: 0 },
  'Reshape@14': { allowzero: 0 },
  'Resize@18': { antialias: 0, axes: null, keep_aspect_ratio_policy: 'stretch' },
  'Resize@19': { coordinate_transformation_mode: { allowed: ['half_pixel', 'pytorch_half_pixel', 'align_corners', 'asymmetric', 'tf_crop_and_resize'] } },
  'ScatterElements@16': { reduction: 'none' },
  'ScatterElements@18': { reduction: { allowed: ['none', 'add', 'mul'] } },
  'ScatterND@16': { reduction: 'none' },
  'ScatterND@18': { reduction: { allowed: ['none', 'add', 'mul'] } },
  'Shape@15': { start: 0, end: null },
  'TopK@11': { largest: 1, sorted: 1 },
};

/** Operators that accept negative axes from opset 11 on. */
const NEGATIVE_AXES_AT_11 = new Set([
  'ArgMax', 'ArgMin', 'Compress', 'Concat', 'Flatten', 'Gather', 'Hardmax', 'LogSoftmax', 'OneHot', 'ReduceL1', 'ReduceL2',
  'ReduceLogSum', 'ReduceLogSumExp', 'ReduceMax', 'ReduceMean', 'ReduceMin', 'ReduceProd', 'ReduceSum', 'ReduceSumSquare',
  'Scan', 'Slice', 'Softmax', 'Split', 'Squeeze', 'Unsqueeze',
]);

/**
 * Checks a down step that changed no semantics: attributes the newer version added must hold their defaults (they
 * are then removed), and negative axes are made positive when going below opset 11.
 * @returns a description when something was changed
 */
export const compatibleDown: Adapter = (step: NodeStep) => {
  const changes: string[] = [];
  for (const [name, rule] of Object.entries(ADDED[`${step.node.opType}@${step.from}`] ?? {})) {
    const a = step.attr(name);
    if (!a) continue;
    if (typeof rule === 'object' && rule !== null) {
      const value = step.str(name) ?? '';
      if (!rule.allowed.includes(value)) step.refuse(`its ${name}="${value}" is new in version ${step.from} of ${step.node.opType}.`, 'UNSUPPORTED_OP');
      continue;
    }
    if (!holdsDefault(step, name, rule)) step.refuse(`it sets ${name}, which ${step.node.opType} only has from version ${step.from}.`, 'UNSUPPORTED_OP');
    step.remove(name);
    changes.push(`${name} removed`);
  }
  if (step.from === 11 && NEGATIVE_AXES_AT_11.has(step.node.opType) && positiveAxes(step)) changes.push('negative axes made positive');
  return changes.length > 0 ? changes.join(', ') : undefined;
};

function holdsDefault(step: NodeStep, name: string, rule: Exclude<AttrRule, { allowed: readonly string[] }>): boolean {
  if (rule === null) return false;
  if (rule === 'ones') return (step.ints(name) ?? []).every((v) => v === 1);
  if (typeof rule === 'string') return step.str(name) === rule;
  return step.int(name) === rule;
}

function positiveAxes(step: NodeStep): boolean {
  const op = step.node.opType;
  if (op === 'Scan') {
    const negative = ['scan_input_axes', 'scan_output_axes'].find((n) => (step.ints(n) ?? []).some((v) => v < 0));
    if (negative) step.refuse(`its negative ${negative} need the ranks of its body's values, which versions before 11 do not take.`);
    return false;
  }
  let changed = false;
  for (const name of ['axis', 'axes']) {
    const values = name === 'axis' ? (step.attr(name) ? [step.int(name, 0)] : undefined) : step.ints(name);
    if (!values || values.every((v) => v >= 0)) continue;
    const inputRank = step.rank(step.input(0));
    if (inputRank === undefined) step.refuse(`its negative ${name} needs the input's rank, which is unknown, for versions before 11.`);
    // OneHot's axis and Unsqueeze's axes count dimensions of the output, which has more of them
    const rank = op === 'OneHot' ? inputRank + 1 : op === 'Unsqueeze' ? inputRank + values.length : inputRank;
    const fixed = values.map((v) => (v < 0 ? v + rank : v));
    step.set(name, name === 'axis' ? { i: fixed[0] } : { ints: fixed });
    changed = true;
  }
  return changed;
}

/** Element types and the opset that introduced them. */
const TYPE_SINCE: ReadonlyArray<[number, number]> = [
  [DataType.BFLOAT16, 13],
  [DataType.FLOAT8E4M3FN, 19],
  [DataType.FLOAT8E4M3FNUZ, 19],
  [DataType.FLOAT8E5M2, 19],
  [DataType.FLOAT8E5M2FNUZ, 19],
  [DataType.UINT4, 21],
  [DataType.INT4, 21],
  [DataType.FLOAT4E2M1, 23],
  [DataType.FLOAT8E8M0, 24],
  [DataType.UINT2, 25],
  [DataType.INT2, 25],
];

/** Refuses a node of a down-conversion whose tensors have an element type the target opset does not know. */
export function checkElementTypes(step: NodeStep): void {
  for (const name of [...step.node.input, ...step.node.output]) {
    const dtype = step.dtype(name);
    const since = TYPE_SINCE.find(([t]) => t === dtype)?.[1];
    if (since !== undefined && since > step.target) {
      step.refuse(`tensor "${name}" has an element type that exists only from opset ${since}.`, 'UNSUPPORTED_OP');
    }
  }
}

const T = DataType;

/**
 * Element types (other than the new families in {@link TYPE_SINCE}) that `Op@version` accepts and the version before it
 * does not, from ONNX's operator changelog.
 */
const ADDED_TYPES: Readonly<Record<string, readonly number[]>> = {
  'Add@14': [T.INT16, T.INT8, T.UINT16, T.UINT8],
  'Cast@9': [T.STRING],
  'Clip@12': [T.INT16, T.INT32, T.INT64, T.INT8, T.UINT16, T.UINT32, T.UINT64, T.UINT8],
  'Constant@9': [T.BOOL, T.COMPLEX128, T.COMPLEX64, T.INT16, T.INT32, T.INT64, T.INT8, T.STRING, T.UINT16, T.UINT32, T.UINT64, T.UINT8],
  'CumSum@14': [T.FLOAT16],
  'DequantizeLinear@19': [T.FLOAT, T.FLOAT16],
  'DequantizeLinear@21': [T.INT16, T.UINT16],
  'Div@14': [T.INT16, T.INT8, T.UINT16, T.UINT8],
  'Dropout@10': [T.BOOL],
  'Equal@11': [T.DOUBLE, T.FLOAT, T.FLOAT16, T.INT16, T.INT8, T.UINT16, T.UINT32, T.UINT64, T.UINT8],
  'Equal@19': [T.STRING],
  'Flatten@9': [T.BOOL, T.COMPLEX128, T.COMPLEX64, T.INT16, T.INT32, T.INT64, T.INT8, T.STRING, T.UINT16, T.UINT32, T.UINT64, T.UINT8],
  'Gemm@9': [T.INT32, T.INT64, T.UINT32, T.UINT64],
  'Greater@9': [T.INT16, T.INT32, T.INT64, T.INT8, T.UINT16, T.UINT32, T.UINT64, T.UINT8],
  'GroupNormalization@21': [T.DOUBLE, T.FLOAT, T.FLOAT16],
  'IsInf@20': [T.FLOAT16],
  'Less@9': [T.INT16, T.INT32, T.INT64, T.INT8, T.UINT16, T.UINT32, T.UINT64, T.UINT8],
  'MatMul@9': [T.INT32, T.INT64, T.UINT32, T.UINT64],
  'Max@12': [T.INT16, T.INT32, T.INT64, T.INT8, T.UINT16, T.UINT32, T.UINT64, T.UINT8],
  'MaxPool@8': [T.INT64],
  'MaxPool@12': [T.INT8, T.UINT8],
  'Min@12': [T.INT16, T.INT32, T.INT64, T.INT8, T.UINT16, T.UINT32, T.UINT64, T.UINT8],
  'Mul@14': [T.INT16, T.INT8, T.UINT16, T.UINT8],
  'PRelu@9': [T.INT32, T.INT64, T.UINT32, T.UINT64],
  'Pad@11': [T.INT16, T.INT32, T.INT64, T.INT8, T.UINT16, T.UINT32, T.UINT64, T.UINT8],
  'Pad@13': [T.BOOL, T.COMPLEX128, T.COMPLEX64, T.STRING],
  'Pow@12': [T.INT16, T.INT32, T.INT64, T.INT8, T.UINT16, T.UINT32, T.UINT64, T.UINT8],
  'QLinearMatMul@21': [T.FLOAT, T.FLOAT16],
  'QuantizeLinear@19': [T.FLOAT16],
  'QuantizeLinear@21': [T.INT16, T.UINT16],
  'ReduceMax@12': [T.INT8, T.UINT8],
  'ReduceMax@20': [T.BOOL],
  'ReduceMin@12': [T.INT8, T.UINT8],
  'ReduceMin@20': [T.BOOL],
  'Relu@14': [T.INT16, T.INT32, T.INT64, T.INT8],
  'Sub@14': [T.INT16, T.INT8, T.UINT16, T.UINT8],
  'TopK@11': [T.INT16, T.INT32, T.INT8, T.UINT16, T.UINT32, T.UINT64, T.UINT8],
};

/** Sequence and optional values that `Op@version` accepts and the version before it does not. */
const ADDED_KINDS: Readonly<Record<string, string>> = {
  'Identity@14': 'sequence',
  'Identity@16': 'optional',
  'If@13': 'sequence',
  'If@16': 'optional',
  'Loop@13': 'sequence',
  'Loop@16': 'optional',
};

/** Refuses a down step when one of the node's values has a type the older version does not accept. */
export function checkAddedTypes(step: NodeStep): void {
  const key = `${step.node.opType}@${step.from}`;
  const kind = ADDED_KINDS[key];
  for (const name of kind ? [...step.node.input, ...step.node.output] : []) {
    if (step.facts(name)?.nonTensor === kind) step.refuse(`"${name}" is ${kind === 'optional' ? 'an' : 'a'} ${kind}, which ${step.node.opType} takes only from version ${step.from}.`, 'UNSUPPORTED_OP');
  }
  const added = ADDED_TYPES[key];
  if (!added) return;
  for (const name of [...step.node.input, ...step.node.output]) {
    const dtype = step.dtype(name);
    if (dtype !== undefined && added.includes(dtype)) {
      step.refuse(`tensor "${name}" has an element type ${step.node.opType} accepts only from version ${step.from}.`, 'UNSUPPORTED_OP');
    }
  }
}

/** Quantize/DequantizeLinear before 13 take only per-tensor (scalar) scales. */
export const perTensorQuantization: Adapter = (step: NodeStep) => {
  const rank = step.rank(step.input(1));
  if (rank !== 0 && !(rank === 1 && step.facts(step.input(1))?.shape?.[0] === 1)) {
    step.refuse('its scale is not known to be a single value; versions before 13 quantize per tensor only.');
  }
  return compatibleDown(step);
};

/** Max/Min/Sum/Mean before 8 do not broadcast: every input must have the same known shape. */
export const sameShapeInputs: Adapter = (step: NodeStep) => {
  const shapes = step.node.input.map((n) => step.facts(n)?.shape);
  const first = JSON.stringify(shapes[0]);
  if (!shapes[0] || shapes.some((s) => !s || JSON.stringify(s) !== first || s.some((d) => typeof d !== 'number'))) {
    step.refuse('versions before 8 do not broadcast, and its inputs are not known to share one shape.');
  }
  return undefined;
};

/** MaxPool before 8 has no Indices output. */
export const maxPoolWithoutIndices: Adapter = (step: NodeStep) => {
  if (step.node.output[1]) step.refuse('it outputs Indices, which versions before 8 do not have.', 'UNSUPPORTED_OP');
  return compatibleDown(step);
};
