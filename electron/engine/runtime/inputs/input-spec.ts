/** A model's runtime inputs and outputs as declared, its symbolic dimensions with defaults, and binding them to sizes. */
import { StudioError } from '../../../../shared/api/errors';
import { dimKey } from '../../../../shared/api/input-spec';
import type { DeclaredDim, SymbolicDimDto } from '../../../../shared/api/runtime-api';
import { dtypeName } from '../../onnx/dtypes';
import type { LoadedModel } from '../../onnx/load';
import type { ModelProto, ValueInfoProto } from '../../onnx/proto';

/** One declared graph input or output. */
export interface DeclaredValue {
  name: string;
  dtype: string;
  shape: DeclaredDim[];
  isTensor: boolean;
}

function declared(v: ValueInfoProto): DeclaredValue {
  const t = v.type?.value;
  if (t?.case !== 'tensorType') return { name: v.name, dtype: t?.case ?? 'unknown', shape: [], isTensor: false };
  const shape = (t.value.shape?.dim ?? []).map((d): DeclaredDim => {
    if (d.value.case === 'dimValue') return Number(d.value.value);
    if (d.value.case === 'dimParam' && d.value.value) return d.value.value;
    return null;
  });
  return { name: v.name, dtype: dtypeName(t.value.elemType), shape, isTensor: true };
}

/** @returns the inputs fed at run time (graph inputs that are not initializers), in order. */
export function modelInputs(model: LoadedModel): DeclaredValue[] {
  return declaredInputs(model.proto);
}

/** @returns the inputs a model held in memory is fed at run time, in order. */
export function declaredInputs(proto: ModelProto): DeclaredValue[] {
  const graph = proto.graph;
  if (!graph) return [];
  const inits = new Set(graph.initializer.map((t) => t.name));
  return graph.input.filter((v) => !inits.has(v.name)).map(declared);
}

/** @returns the graph outputs, in order. */
export function modelOutputs(model: LoadedModel): DeclaredValue[] {
  return (model.proto.graph?.output ?? []).map(declared);
}

/** @returns the symbol of an axis: its dim_param, `<input>:<axis>` for an unnamed unknown size, or null when fixed. */
export function axisSymbol(input: DeclaredValue, axis: number): string | null {
  const d = input.shape[axis];
  if (typeof d === 'number') return null;
  return dimKey(input.name, axis, d);
}

/** The value a symbolic dimension gets when the user gives none. */
export function defaultDimValue(symbol: string): number {
  if (/height|width|^h$|^w$|img_size|image_size/i.test(symbol)) return 224;
  if (/seq|len|token|time|^t$|^s$/i.test(symbol)) return 32;
  return 1;
}

/** @returns every symbolic dimension of the inputs with its default and where it is used. */
export function symbolicDims(inputs: readonly DeclaredValue[]): SymbolicDimDto[] {
  const out = new Map<string, SymbolicDimDto>();
  for (const input of inputs) {
    input.shape.forEach((_, axis) => {
      const sym = axisSymbol(input, axis);
      if (!sym) return;
      const entry = out.get(sym) ?? { name: sym, default: defaultDimValue(sym), usedBy: [] };
      entry.usedBy.push(`${input.name}[${axis}]`);
      out.set(sym, entry);
    });
  }
  return [...out.values()];
}

/** Sizes of symbolic dimensions: the user's, then what input files showed, then defaults. */
export class DimBinding {
  private readonly fromData = new Map<string, { value: number; from: string }>();

  /**
   * @param known - the symbols the model has
   * @param user - values the user gave (`--dim name=value`)
   * @throws StudioError `INVALID_REQUEST` for a name the model does not have
   */
  constructor(
    private readonly known: readonly SymbolicDimDto[],
    private readonly user: Readonly<Record<string, number>>,
  ) {
    const names = new Set(known.map((k) => k.name));
    for (const name of Object.keys(user)) {
      if (!names.has(name)) {
        const list = known.length ? known.map((k) => k.name).join(', ') : 'none (every input size is fixed)';
        throw new StudioError('INVALID_REQUEST', `The model has no symbolic dimension "${name}". Its symbolic dimensions: ${list}.`);
      }
    }
  }

  /**
   * Records a size seen in input data.
   * @throws StudioError `INVALID_INPUT` when it contradicts the user's value or another input
   */
  bind(symbol: string, value: number, from: string): void {
    const user = this.user[symbol];
    if (user !== undefined && user !== value) {
      throw new StudioError('INVALID_INPUT', `Dimension "${symbol}" is ${value} in ${from}, but ${user} was asked for (--dim ${symbol}=${user}). Make them agree.`);
    }
    const seen = this.fromData.get(symbol);
    if (seen && seen.value !== value) {
      throw new StudioError('INVALID_INPUT', `Dimension "${symbol}" is ${value} in ${from} but ${seen.value} in ${seen.from}. Inputs sharing a dimension must agree.`);
    }
    this.fromData.set(symbol, { value, from });
  }

  /** @returns true when input data fixed the symbol's size. */
  fromInputData(symbol: string): boolean {
    return this.fromData.has(symbol);
  }

  /** @returns the size of a symbol. */
  value(symbol: string): number {
    return this.user[symbol] ?? this.fromData.get(symbol)?.value ?? this.known.find((k) => k.name === symbol)?.default ?? defaultDimValue(symbol);
  }

  /** @returns every symbol's size. */
  all(): Record<string, number> {
    return Object.fromEntries(this.known.map((k) => [k.name, this.value(k.name)]));
  }

  /** @returns the concrete shape of an input. */
  shapeOf(input: DeclaredValue): number[] {
    return input.shape.map((d, axis) => (typeof d === 'number' ? d : this.value(axisSymbol(input, axis) as string)));
  }
}

/** @returns a shape for messages: `[batch, 1, 28, 28]`. */
export function shapeText(shape: readonly DeclaredDim[]): string {
  return `[${shape.map((d) => (d === null ? '?' : String(d))).join(', ')}]`;
}
