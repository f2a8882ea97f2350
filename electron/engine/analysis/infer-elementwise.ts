/** Shape rules of elementwise ops (unary, broadcasting binary and variadic, comparisons, Where, Cast) with value folding. */
import { DataType } from '../onnx/proto';
import { addDims, broadcastShapes, divDims, mulDims, productDims, type Dim } from './dims';
import { INT_TYPES, MAX_FOLDED_ELEMENTS, type InferRule, type TensorFacts } from './infer-types';

/** Ops whose single output has the first input's shape and dtype. */
export const UNARY_OPS = [
  'Relu', 'LeakyRelu', 'Sigmoid', 'HardSigmoid', 'HardSwish', 'Tanh', 'Exp', 'Log', 'Sqrt', 'Reciprocal', 'Neg', 'Abs',
  'Ceil', 'Floor', 'Round', 'Sign', 'Erf', 'Sin', 'Cos', 'Tan', 'Asin', 'Acos', 'Atan', 'Sinh', 'Cosh', 'Asinh', 'Acosh',
  'Atanh', 'Softplus', 'Softsign', 'Selu', 'Elu', 'Celu', 'Gelu', 'Mish', 'ThresholdedRelu', 'Clip', 'Not', 'Identity',
  'Shrink', 'BitwiseNot', 'Softmax', 'LogSoftmax', 'Hardmax', 'LRN', 'CumSum', 'Trilu', 'ReverseSequence', 'EyeLike',
  'ScatterND', 'ScatterElements', 'Scatter', 'MeanVarianceNormalization', 'InstanceNormalization', 'LpNormalization',
  'Swish', 'FastGelu', 'BiasGelu', 'QuickGelu', 'Dropout', 'PRelu',
] as const;

/** Ops broadcasting two or more inputs to one output of the first input's dtype. */
export const BROADCAST_OPS = ['Add', 'Sub', 'Mul', 'Div', 'Pow', 'Mod', 'BitShift', 'BitwiseAnd', 'BitwiseOr', 'BitwiseXor', 'Sum', 'Mean', 'Max', 'Min', 'And', 'Or', 'Xor'] as const;

/** Comparison ops: broadcast, bool output. */
export const COMPARE_OPS = ['Equal', 'Greater', 'Less', 'GreaterOrEqual', 'LessOrEqual'] as const;

type Num = (a: number, b: number) => number;

const INT_BINARY: Partial<Record<string, Num>> = {
  Add: (a, b) => a + b,
  Sub: (a, b) => a - b,
  Mul: (a, b) => a * b,
  Div: (a, b) => Math.trunc(a / b),
  Mod: (a, b) => a - Math.floor(a / b) * b,
  Max: Math.max,
  Min: Math.min,
  Pow: (a, b) => a ** b,
};

const FLOAT_BINARY: Partial<Record<string, Num>> = { ...INT_BINARY, Div: (a, b) => a / b, Mod: (a, b) => a % b };

const COMPARE: Partial<Record<string, Num>> = {
  Equal: (a, b) => Number(a === b),
  Greater: (a, b) => Number(a > b),
  Less: (a, b) => Number(a < b),
  GreaterOrEqual: (a, b) => Number(a >= b),
  LessOrEqual: (a, b) => Number(a <= b),
};

const UNARY_VALUE: Partial<Record<string, (a: number) => number>> = {
  Neg: (a) => -a,
  Abs: Math.abs,
  Floor: Math.floor,
  Ceil: Math.ceil,
  Round: (a) => Math.round(a),
  Sqrt: Math.sqrt,
  Relu: (a) => Math.max(0, a),
  Not: (a) => Number(!a),
  Sign: Math.sign,
  Reciprocal: (a) => 1 / a,
  Identity: (a) => a,
};

/** Symbolic arithmetic on dims, for shape expressions such as `batch * 16`. */
function symbolic(op: string, a: Dim, b: Dim): Dim {
  if (op === 'Mul') return mulDims(a, b);
  if (op === 'Div') return divDims(a, b);
  if (op === 'Add') return addDims(a, b);
  if (op === 'Sub' && b === 0) return a;
  if ((op === 'Equal' || op === 'Max' || op === 'Min') && a === b && a !== null) return op === 'Equal' ? 1 : a;
  return null;
}

/** @returns the element of a value at a broadcast output position, for flat values of equal length or scalars. */
function at(value: Dim[], i: number): Dim {
  return value.length === 1 ? value[0] : value[i];
}

/**
 * Folds an elementwise op over known values (scalars broadcast; equal-length flat values pair up).
 * @returns the folded elements, or undefined when sizes do not allow it
 */
function foldValues(inputs: Array<TensorFacts | undefined>, shape: Dim[] | null, fn: (vals: Dim[]) => Dim): Dim[] | undefined {
  if (!shape || inputs.some((f) => !f?.value)) return undefined;
  const n = productDims(shape);
  if (typeof n !== 'number' || n > MAX_FOLDED_ELEMENTS) return undefined;
  const values = inputs.map((f) => f!.value!);
  if (values.some((v) => v.length !== 1 && v.length !== n)) return undefined;
  const out: Dim[] = [];
  for (let i = 0; i < n; i++) out.push(fn(values.map((v) => at(v, i))));
  return out;
}

/** The rule of a unary op. */
export const unaryRule: InferRule = (ctx) => {
  const x = ctx.inputs[0];
  if (!x) return [];
  const fn = UNARY_VALUE[ctx.node.opType];
  const value =
    fn && x.value ? x.value.map((v) => (typeof v === 'number' ? fn(v) : ctx.node.opType === 'Identity' ? v : null)) : undefined;
  const out: TensorFacts = { dtype: x.dtype, shape: x.shape, ...(value ? { value } : {}) };
  if (ctx.node.opType === 'Dropout') return [out, { dtype: DataType.BOOL, shape: x.shape }];
  return [out];
};

/** The rule of a broadcasting binary or variadic op. */
export const broadcastRule: InferRule = (ctx) => {
  const present = ctx.inputs.filter((_, i) => ctx.has(i));
  if (present.length === 0 || present.some((f) => !f)) {
    return [{ dtype: present.find((f) => f)?.dtype ?? 0, shape: null }];
  }
  const facts = present as TensorFacts[];
  const shape = broadcastShapes(facts.map((f) => f.shape));
  const op = ctx.node.opType;
  const dtype = facts[0].dtype;
  const compare = COMPARE[op];
  const table = INT_TYPES.has(dtype) ? INT_BINARY : FLOAT_BINARY;
  const fn = compare ?? table[op];
  let value: Dim[] | undefined;
  if (fn && facts.length <= 2 + (op === 'Max' || op === 'Min' || op === 'Sum' ? 8 : 0)) {
    value = foldValues(facts, shape, (vals) => {
      if (vals.every((v): v is number => typeof v === 'number')) {
        return vals.slice(1).reduce<number>((acc, v) => fn(acc, v), vals[0]);
      }
      return vals.length === 2 ? symbolic(op === 'Sum' ? 'Add' : op, vals[0], vals[1]) : null;
    });
  }
  return [{ dtype: compare ? DataType.BOOL : dtype, shape, ...(value ? { value } : {}) }];
};

/** The rule of a comparison op (bool output). */
export const compareRule: InferRule = (ctx) => broadcastRule(ctx);

/** Where(cond, x, y): three-way broadcast, dtype of x. */
export const whereRule: InferRule = (ctx) => {
  const [c, x, y] = ctx.inputs;
  const shape = broadcastShapes([c?.shape ?? null, x?.shape ?? null, y?.shape ?? null]);
  const value = c && x && y ? foldValues([c, x, y], shape, ([cv, xv, yv]) => (typeof cv === 'number' ? (cv ? xv : yv) : null)) : undefined;
  return [{ dtype: x?.dtype ?? y?.dtype ?? 0, shape, ...(value ? { value } : {}) }];
};

/** Cast / CastLike: same shape, the target dtype; integer values are truncated. */
export const castRule: InferRule = (ctx) => {
  const x = ctx.inputs[0];
  const to = ctx.node.opType === 'CastLike' ? (ctx.inputs[1]?.dtype ?? 0) : ctx.attrs.int('to', 0);
  if (!x) return [{ dtype: to, shape: null }];
  let value = x.value;
  if (value && INT_TYPES.has(to)) value = value.map((v) => (typeof v === 'number' ? (to === DataType.BOOL ? Number(v !== 0) : Math.trunc(v)) : v));
  return [{ dtype: to, shape: x.shape, ...(value ? { value } : {}) }];
};

/** IsNaN / IsInf: same shape, bool. */
export const boolUnaryRule: InferRule = (ctx) => [{ dtype: DataType.BOOL, shape: ctx.inputs[0]?.shape ?? null }];
