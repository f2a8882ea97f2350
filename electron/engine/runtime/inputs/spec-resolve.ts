/** Resolves a model's input spec: the user's sizes and values first, then guesses (marked as such) for everything else. */
import * as path from 'node:path';
import { StudioError } from '../../../../shared/api/errors';
import { dimKey, type InputRule, type InputSpec, type ResolvedAxisDto, type ResolvedInputDto } from '../../../../shared/api/input-spec';
import type { ModelProto } from '../../onnx/proto';
import type { HostTensor, TensorDtype } from '../backend';
import { floatToHalfBits, zerosTensor } from '../host-tensor';
import type { DeclaredValue } from './input-spec';
import { randomTensor } from './random';

/** Sample rate assumed for audio inputs and sample-rate scalars when nothing says otherwise. */
const AUDIO_RATE = 16000;

const isFloat = (dtype: string) => dtype === 'float32' || dtype === 'float16' || dtype === 'float64';
const isInt = (dtype: string) => /^u?int(8|16|32|64)$/.test(dtype);

/** @returns true when the model looks like it takes audio (an input or a scalar named like a sample rate or waveform). */
function looksLikeAudio(inputs: readonly DeclaredValue[]): boolean {
  return inputs.some((i) => /audio|wave|wav|pcm|speech|samples?$/i.test(i.name) || (isInt(i.dtype) && i.shape.length <= 1 && /^(sr|sample_?rate|rate|fs)$/i.test(i.name)));
}

/** @returns the guessed size of an axis and why. */
function guessAxis(input: DeclaredValue, axis: number, symbol: string, audio: boolean): { value: number; why: string } {
  const named = typeof input.shape[axis] === 'string';
  if (/batch|^n$|^b$/i.test(symbol) || (axis === 0 && input.shape.length > 1)) return { value: 1, why: 'a batch of one' };
  if (/height|width|^h$|^w$|img_size|image_size/i.test(symbol) || (input.shape.length === 4 && axis >= 2 && isFloat(input.dtype))) {
    return { value: 224, why: 'the usual image size' };
  }
  if ((audio || /sample|audio|wav|pcm|signal|waveform/i.test(symbol)) && isFloat(input.dtype) && axis === input.shape.length - 1) {
    return { value: AUDIO_RATE, why: `one second of audio at ${AUDIO_RATE} Hz` };
  }
  if (/seq|len|token|time|^t$|^s$/i.test(symbol)) return { value: 32, why: 'a short sequence' };
  // recurrent states are [layers, batch, hidden]: an unnamed middle axis is the batch
  if (!named && /state|hidden|^h0?$|^c0?$/i.test(input.name) && input.shape.length === 3 && axis === 1) return { value: 1, why: 'the batch axis of a recurrent state' };
  return { value: named ? 1 : 32, why: named ? 'no hint in its name' : 'an unnamed size; no hint' };
}

/** @returns the vocabulary size when the input indexes an embedding table (Gather on an initializer), else undefined. */
function vocabularyOf(proto: ModelProto | undefined, input: string): number | undefined {
  const graph = proto?.graph;
  if (!graph) return undefined;
  const inits = new Map(graph.initializer.map((t) => [t.name, t]));
  for (const n of graph.node) {
    if (n.opType !== 'Gather' || n.input[1] !== input) continue;
    const table = inits.get(n.input[0]);
    if (table && table.dims.length >= 1) return Number(table.dims[0]);
  }
  return undefined;
}

/** @returns how to fill an input nobody gave data or a rule for, and why. */
function guessFill(input: DeclaredValue, proto: ModelProto | undefined): { fill: ResolvedInputDto['fill']; why?: string; guessed: boolean } {
  const scalar = input.shape.length === 0 || (input.shape.length === 1 && input.shape[0] === 1);
  if (isInt(input.dtype) && scalar && /^(sr|sample_?rate|rate|fs)$/i.test(input.name)) {
    return { fill: { kind: 'value', value: AUDIO_RATE }, why: `named like a sample rate: ${AUDIO_RATE} Hz`, guessed: true };
  }
  if (isFloat(input.dtype) && /state|^h0?$|^c0?$|hidden|^h_|^c_|cache|past/i.test(input.name)) {
    return { fill: { kind: 'zeros' }, why: 'named like a recurrent state: zeros', guessed: true };
  }
  if (isInt(input.dtype) && /ids|token|index|indices/i.test(input.name)) {
    const vocab = vocabularyOf(proto, input.name);
    if (vocab) return { fill: { kind: 'range', low: 0, high: vocab - 1 }, why: `indexes an embedding table of ${vocab} rows`, guessed: true };
  }
  return { fill: { kind: 'random' }, guessed: false };
}

function ruleFill(rule: InputRule, baseDir: string): ResolvedInputDto['fill'] | null {
  if (rule.value !== undefined) return { kind: 'value', value: rule.value };
  if (rule.range) return { kind: 'range', low: rule.range[0], high: rule.range[1] };
  if (rule.zeros) return { kind: 'zeros' };
  if (rule.file) return { kind: 'file', file: path.resolve(baseDir, rule.file) };
  return null;
}

/** The inputs as they will be made, every size concrete, and one line per guess. */
export interface ResolvedInputs {
  inputs: ResolvedInputDto[];
  guesses: string[];
  /** every symbolic/unnamed dimension's size, by {@link dimKey} */
  dims: Record<string, number>;
}

/**
 * Resolves every input's sizes and fill.
 * @param inputs - the model's declared inputs
 * @param spec - the user's spec (sizes, values, ranges, files), when there is one
 * @param userDims - `--dim NAME=N` / `--dim INPUT:AXIS=N` (over the spec)
 * @param o - the model (for vocabulary sizes) and the folder relative spec files resolve against
 * @throws StudioError `INVALID_REQUEST` for a spec naming an input or dimension the model does not have, or a shape of
 * the wrong rank or contradicting a fixed size
 */
export function resolveInputs(
  inputs: readonly DeclaredValue[],
  spec: InputSpec | undefined,
  userDims: Readonly<Record<string, number>> = {},
  o: { proto?: ModelProto; baseDir?: string } = {},
): ResolvedInputs {
  const names = new Set(inputs.map((i) => i.name));
  for (const name of Object.keys(spec?.inputs ?? {})) {
    if (!names.has(name)) throw new StudioError('INVALID_REQUEST', `The input spec names "${name}", which is not an input of the model. Its inputs: ${[...names].join(', ') || 'none'}.`);
  }
  const dimsGiven: Record<string, number> = {};
  const keys = new Set<string>();
  for (const input of inputs) input.shape.forEach((d, axis) => typeof d !== 'number' && keys.add(dimKey(input.name, axis, d)));
  for (const [k, v] of Object.entries({ ...(spec?.dims ?? {}), ...userDims })) {
    const key = k.includes('.') && !keys.has(k) && keys.has(k.replace(/\.(\d+)$/, ':$1')) ? k.replace(/\.(\d+)$/, ':$1') : k;
    if (!keys.has(key)) {
      const list = keys.size ? [...keys].join(', ') : 'none (every input size is fixed)';
      throw new StudioError('INVALID_REQUEST', `The model has no symbolic dimension "${k}". Its symbolic dimensions: ${list}. Set one with --dim NAME=N, or --dim INPUT:AXIS=N for an unnamed one.`);
    }
    dimsGiven[key] = v;
  }
  const audio = looksLikeAudio(inputs);
  const guesses: string[] = [];
  const dims: Record<string, number> = {};
  const resolved = inputs.map((input): ResolvedInputDto => {
    const rule = spec?.inputs[input.name];
    if (rule?.shape && rule.shape.length !== input.shape.length) {
      throw new StudioError('INVALID_REQUEST', `The input spec gives "${input.name}" the shape [${rule.shape.join(', ')}], but the model declares ${input.shape.length} dimensions ([${input.shape.map((d) => d ?? '?').join(', ')}]).`);
    }
    const axes = input.shape.map((d, axis): ResolvedAxisDto => {
      if (typeof d === 'number') {
        if (rule?.shape && rule.shape[axis] !== d) {
          throw new StudioError('INVALID_REQUEST', `The input spec gives "${input.name}" size ${rule.shape[axis]} on axis ${axis}, but the model fixes it at ${d}.`);
        }
        return { axis, symbol: null, value: d, origin: 'model' };
      }
      const symbol = dimKey(input.name, axis, d);
      if (dimsGiven[symbol] !== undefined) return { axis, symbol, value: dimsGiven[symbol], origin: 'spec' };
      if (rule?.shape) return { axis, symbol, value: rule.shape[axis], origin: 'spec' };
      if (dims[symbol] !== undefined) return { axis, symbol, value: dims[symbol], origin: 'guess', why: 'shared with another input' };
      const g = guessAxis(input, axis, symbol, audio);
      guesses.push(`dimension ${symbol} (${input.name}[${axis}]) = ${g.value}, a guess (${g.why}); set it with --dim ${symbol}=N or an input spec`);
      return { axis, symbol, value: g.value, origin: 'guess', why: g.why };
    });
    for (const a of axes) if (a.symbol) dims[a.symbol] ??= a.value;
    const fromRule = rule ? ruleFill(rule, o.baseDir ?? process.cwd()) : null;
    if (fromRule) return { name: input.name, dtype: input.dtype, declared: input.shape, axes, fill: fromRule, fillOrigin: 'spec' };
    const g = guessFill(input, o.proto);
    if (g.guessed) guesses.push(`input ${input.name}: ${describeFill(g.fill)}, a guess (${g.why}); set it in an input spec ({"inputs": {"${input.name}": {"value": …}}})`);
    return { name: input.name, dtype: input.dtype, declared: input.shape, axes, fill: g.fill, fillOrigin: g.guessed ? 'guess' : 'model', ...(g.why ? { fillWhy: g.why } : {}) };
  });
  return { inputs: resolved, guesses, dims };
}

/** @returns a fill in words: `value 16000`, `zeros`, `random in [0, 999]`. */
export function describeFill(fill: ResolvedInputDto['fill']): string {
  switch (fill.kind) {
    case 'value':
      return Array.isArray(fill.value) ? `values [${fill.value.slice(0, 4).join(', ')}${fill.value.length > 4 ? ', …' : ''}]` : `value ${fill.value}`;
    case 'zeros':
      return 'zeros';
    case 'range':
      return `random in [${fill.low}, ${fill.high}]`;
    case 'file':
      return `file ${fill.file}`;
    default:
      return 'random';
  }
}

/**
 * Makes one input's tensor from its resolved fill (not for `file` fills: those are read by the feed builder).
 * @param r - the resolved input
 * @param seed - the random seed (random and range fills)
 * @param dims - the concrete shape (the resolved one, or with another batch size)
 */
export function makeInputTensor(r: ResolvedInputDto, seed: number, dims: number[] = r.axes.map((a) => a.value)): HostTensor {
  const dtype = r.dtype as TensorDtype;
  const f = r.fill;
  if (f.kind === 'zeros') return zerosTensor(dtype, dims, `Input "${r.name}"`);
  if (f.kind === 'value') {
    const t = zerosTensor(dtype, dims, `Input "${r.name}"`);
    const values = Array.isArray(f.value) ? f.value : [f.value ?? 0];
    if (Array.isArray(f.value) && f.value.length !== t.data.length) {
      throw new StudioError('INVALID_REQUEST', `The input spec gives "${r.name}" ${f.value.length} values, but its shape [${dims.join(', ')}] holds ${t.data.length}.`);
    }
    const data = t.data as unknown as { length: number; [i: number]: number | bigint };
    const big = dtype === 'int64' || dtype === 'uint64';
    for (let i = 0; i < data.length; i++) {
      const v = values[i % values.length];
      data[i] = big ? BigInt(Math.trunc(v)) : dtype === 'float16' ? floatToHalfBits(v) : v;
    }
    return t;
  }
  if (f.kind === 'range') return randomTensor(dtype, dims, { seed, low: f.low, high: f.high, name: r.name });
  return randomTensor(dtype, dims, { seed, name: r.name });
}
