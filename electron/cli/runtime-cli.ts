/** Shared parts of `run` and `bench`: parsing `--input`/`--dim`, resolving unnamed input files, progress and Ctrl-C. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { StudioError } from '../../shared/api/errors';
import type { InputSource } from '../../shared/api/runtime-api';
import { type LoadedModel, modelInputs, parseNpz, parsePbTensor } from '../engine';
import { clearStatus, showStatus, stderrIsTerminal } from './output';

/** commander collector for repeatable options. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** @returns a positive integer option, or a clear error naming the flag. */
export function intOption(flag: string, value: string | undefined, min = 1): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new StudioError('INVALID_REQUEST', `${flag} must be a whole number ≥ ${min}, got "${value}".`);
  return n;
}

/**
 * Parses `--dim name=value` options.
 * @throws StudioError `INVALID_REQUEST` for malformed ones
 */
export function parseDims(specs: readonly string[] = []): Record<string, number> {
  const out: Record<string, number> = {};
  for (const spec of specs) {
    const m = /^(.+)=(\d+)$/.exec(spec);
    if (!m || Number(m[2]) < 1) throw new StudioError('INVALID_REQUEST', `--dim expects name=value with a positive size (e.g. --dim batch=1), got "${spec}".`);
    out[m[1]] = Number(m[2]);
  }
  return out;
}

function sourceOf(value: string): InputSource {
  if (value === 'zeros') return { kind: 'zeros' };
  const r = /^random(?::(\d+))?$/.exec(value);
  if (r) return r[1] !== undefined ? { kind: 'random', seed: Number(r[1]) } : { kind: 'random' };
  return { kind: 'file', path: path.resolve(value) };
}

/** Names an unnamed input file: the model's only input, or the names stored in a `.npz`/`.pb`/JSON object. */
function namesInFile(file: string, inputNames: readonly string[]): string[] {
  if (inputNames.length === 1) return [inputNames[0]];
  const ext = path.extname(file).toLowerCase();
  const base = path.basename(file);
  try {
    if (ext === '.npz') return [...parseNpz(fs.readFileSync(file), base).keys()].filter((k) => inputNames.includes(k));
    if (ext === '.pb') {
      const { name } = parsePbTensor(fs.readFileSync(file), base);
      return inputNames.includes(name) ? [name] : [];
    }
    if (ext === '.json') {
      const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
      if (doc && typeof doc === 'object' && !Array.isArray(doc)) return Object.keys(doc).filter((k) => inputNames.includes(k));
    }
  } catch {
    return [];
  }
  return [];
}

/**
 * Parses `--input name=file` (or `name=zeros`, `name=random[:seed]`, or a bare file whose names are inside it).
 * @throws StudioError `INVALID_REQUEST` when a bare file cannot be matched to an input
 */
export function parseInputs(specs: readonly string[] = [], model: LoadedModel): Record<string, InputSource> {
  const inputNames = modelInputs(model).map((i) => i.name);
  const out: Record<string, InputSource> = {};
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    const named = eq > 0 && inputNames.includes(spec.slice(0, eq));
    if (eq > 0 && (named || !fs.existsSync(spec))) {
      out[spec.slice(0, eq)] = sourceOf(spec.slice(eq + 1));
      continue;
    }
    const names = namesInFile(spec, inputNames);
    if (names.length === 0) {
      throw new StudioError(
        'INVALID_REQUEST',
        `Cannot tell which input ${path.basename(spec)} feeds: the model has inputs ${inputNames.join(', ')}. Write --input NAME=${spec}.`,
      );
    }
    for (const n of names) out[n] = sourceOf(spec);
  }
  return out;
}

/**
 * Wires Ctrl-C to cancellation and prints progress on an interactive stderr.
 * @returns the signal, a progress callback and a function that undoes both
 */
export function cliJob(quiet: boolean): { signal: AbortSignal; onProgress: (f: number, stage: string) => void; done: () => void } {
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  const tty = stderrIsTerminal() && !quiet;
  let last = '';
  return {
    signal: controller.signal,
    onProgress: (f, stage) => {
      if (!tty) return;
      const line = `${Math.round(f * 100)}% ${stage}`;
      if (line !== last) showStatus(line);
      last = line;
    },
    done: () => {
      process.removeListener('SIGINT', onSigint);
      if (tty && last) clearStatus();
    },
  };
}
