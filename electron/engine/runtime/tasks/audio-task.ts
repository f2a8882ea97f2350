/** The audio task: a WAV file resampled to the model's rate, run whole or chunk by chunk with the state fed back. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { StudioError } from '../../../../shared/api/errors';
import type { InputSpec } from '../../../../shared/api/input-spec';
import type { AudioResult, AudioSegmentDto, TaskOptions } from '../../../../shared/tasks/task-types';
import type { LoadedModel } from '../../onnx/load';
import type { HostTensor } from '../backend';
import { countElements, valueAt } from '../host-tensor';
import { modelInputs, type DeclaredValue } from '../inputs/input-spec';
import { makeInputTensor, resolveInputs } from '../inputs/spec-resolve';
import type { RuntimeService } from '../runtime-service';
import { decodeWav, envelope, resample } from './audio-file';
import { audioLikeInput } from './guess-task';

const STATE_NAME = /state|^h$|^c$|hidden|cell|^h0$|^c0$/i;
const RATE_NAME = /^(sr|sample_?rate|sampling_?rate)$/i;
const MAX_CHUNKS = 20_000;
const DEFAULT_STREAM_CHUNK = 512;
const WAVEFORM_COLUMNS = 1200;
/** speech-detector conventions (silero's defaults): gaps shorter than this merge, segments shorter are dropped */
const MIN_GAP_S = 0.2;
const MIN_SEGMENT_S = 0.1;

/** @returns the output a state input is fed from: `hn` for `h`, `stateN` for `state`, `x_out` for `x_in`, else the same shape. */
function stateOutputFor(input: string, outputs: Record<string, HostTensor>, shape: readonly number[]): string | undefined {
  const names = Object.keys(outputs);
  const base = input.replace(/_?in$/i, '');
  const named = names.find((n) => n !== input && (n.toLowerCase() === `${input.toLowerCase()}n` || n === `${base}_out` || n === `${base}out` || n.toLowerCase() === `${base.toLowerCase()}_n`));
  return named ?? names.find((n) => outputs[n].dims.length === shape.length && outputs[n].dims.every((d, i) => d === shape[i]) && STATE_NAME.test(n));
}

/** @returns runs of frames at or above the threshold, as time segments (short gaps merged, short blips dropped). */
export function activeSegments(frames: readonly number[], frameSeconds: number, threshold: number): AudioSegmentDto[] {
  const raw: Array<[number, number]> = [];
  let start = -1;
  frames.forEach((v, i) => {
    if (v >= threshold && start < 0) start = i;
    if (v < threshold && start >= 0) {
      raw.push([start, i]);
      start = -1;
    }
  });
  if (start >= 0) raw.push([start, frames.length]);
  const merged: Array<[number, number]> = [];
  for (const r of raw) {
    const last = merged[merged.length - 1];
    if (last && (r[0] - last[1]) * frameSeconds < MIN_GAP_S) last[1] = r[1];
    else merged.push([...r]);
  }
  return merged
    .filter(([a, b]) => (b - a) * frameSeconds >= MIN_SEGMENT_S)
    .map(([a, b]) => ({ startSeconds: a * frameSeconds, endSeconds: b * frameSeconds, meanScore: frames.slice(a, b).reduce((s, v) => s + v, 0) / (b - a) }));
}

/** @returns one value a step along the output's longest axis (the mean over its other axes). */
function perFrame(t: HostTensor): number[] {
  const dims = t.dims;
  if (!dims.length) return [valueAt(t, 0)];
  const axis = dims.reduce((best, d, i) => (d > dims[best] ? i : best), 0);
  const inner = dims.slice(axis + 1).reduce((a, b) => a * b, 1);
  const outer = dims.slice(0, axis).reduce((a, b) => a * b, 1);
  const len = dims[axis];
  const out: number[] = [];
  for (let s = 0; s < len; s++) {
    let sum = 0;
    for (let o = 0; o < outer; o++) for (let k = 0; k < inner; k++) sum += valueAt(t, (o * len + s) * inner + k);
    out.push(sum / (outer * inner));
  }
  return out;
}

function audioTensor(input: DeclaredValue, samples: Float32Array): HostTensor {
  const dims = input.shape.length === 1 ? [samples.length] : input.shape.length === 2 ? [1, samples.length] : [1, 1, samples.length];
  return { dtype: 'float32', dims, data: samples };
}

/** What an audio run needs. */
export interface AudioRunRequest {
  inputPath: string;
  options: TaskOptions;
  spec?: InputSpec;
  metadata: Readonly<Record<string, string>>;
  targetId?: string;
  signal?: AbortSignal;
  onProgress?: (fraction: number, stage: string) => void;
}

/**
 * Runs an audio model on a WAV file: whole when its audio axis is free and it has no state, else chunk by chunk (the
 * chunk from the input spec or the model's fixed size) with each state output fed back to its input.
 * @throws StudioError `INVALID_INPUT` for a model without an audio-shaped input or a file that is not WAV
 */
export async function runAudioTask(runtime: RuntimeService, loaded: LoadedModel, req: AudioRunRequest): Promise<AudioResult> {
  const inputs = modelInputs(loaded);
  const audioIn = audioLikeInput(inputs) ?? inputs.find((i) => i.dtype.startsWith('float') && i.shape.length <= 2);
  if (!audioIn) throw new StudioError('INVALID_INPUT', `${loaded.fileName} has no input shaped like audio samples ([samples] or [batch, samples]). Choose another task with --task.`);
  const decoded = decodeWav(fs.readFileSync(req.inputPath), path.basename(req.inputPath));
  const resolved = resolveInputs(inputs, req.spec, {}, { proto: loaded.proto, baseDir: loaded.dir });
  const rateIn = resolved.inputs.find((r) => RATE_NAME.test(r.name));
  const notes: string[] = [];
  const specRate = rateIn && rateIn.fillOrigin === 'spec' && typeof rateIn.fill.value === 'number' ? rateIn.fill.value : undefined;
  const metaRate = Number(req.metadata.sample_rate ?? req.metadata.sampleRate ?? NaN);
  const rate = req.options.sampleRate ?? specRate ?? (Number.isFinite(metaRate) ? metaRate : undefined) ?? 16000;
  if (req.options.sampleRate === undefined && specRate === undefined && !Number.isFinite(metaRate)) notes.push('sample rate 16000 Hz assumed (set it with the task options or the input spec)');
  const samples = resample(decoded.samples, decoded.sampleRate, rate);
  if (decoded.sampleRate !== rate) notes.push(`resampled from ${decoded.sampleRate} Hz to ${rate} Hz`);
  const audioAxis = resolved.inputs.find((r) => r.name === audioIn.name)!.axes[audioIn.shape.length - 1];
  const states = inputs.filter((i) => i !== audioIn && STATE_NAME.test(i.name));
  const streaming = states.length > 0 || audioAxis.origin === 'model' || audioAxis.origin === 'spec';
  const chunk = streaming ? (audioAxis.origin === 'guess' ? DEFAULT_STREAM_CHUNK : audioAxis.value) : samples.length;
  if (streaming && audioAxis.origin === 'guess') notes.push(`chunks of ${chunk} samples assumed (set the size of "${audioIn.name}" in the input spec)`);
  const others: Record<string, HostTensor> = {};
  for (const r of resolved.inputs) {
    if (r.name === audioIn.name) continue;
    if (RATE_NAME.test(r.name)) {
      const t = makeInputTensor({ ...r, fill: { kind: 'value', value: rate } }, 0);
      others[r.name] = t;
    } else if (states.some((s) => s.name === r.name)) others[r.name] = makeInputTensor({ ...r, fill: { kind: 'zeros' } }, 0);
    else others[r.name] = makeInputTensor(r, 0);
  }
  const chunks = Math.max(1, Math.ceil(samples.length / chunk));
  if (chunks > MAX_CHUNKS) throw new StudioError('INVALID_INPUT', `${path.basename(req.inputPath)} needs ${chunks} chunks of ${chunk} samples, more than the ${MAX_CHUNKS} the demo runs. Use a shorter file.`);
  const frames: number[] = [];
  let latency = 0;
  let outputName = '';
  for (let c = 0; c < chunks; c++) {
    if (req.signal?.aborted) throw new StudioError('JOB_CANCELLED', 'The audio run was cancelled.');
    const piece = new Float32Array(chunk);
    piece.set(samples.subarray(c * chunk, Math.min(samples.length, (c + 1) * chunk)));
    const r = await runtime.runFeeds(loaded, { ...others, [audioIn.name]: audioTensor(audioIn, streaming ? piece : samples) }, { targetId: req.targetId });
    latency += r.ms;
    const [name, out] = Object.entries(r.outputs).find(([n]) => !states.some((s) => stateOutputFor(s.name, r.outputs, others[s.name].dims) === n)) ?? Object.entries(r.outputs)[0];
    outputName = name;
    if (streaming) frames.push(countElements(out.dims) === 1 ? valueAt(out, 0) : perFrame(out).reduce((a, b) => a + b, 0) / perFrame(out).length);
    else frames.push(...perFrame(out));
    for (const s of states) {
      const from = stateOutputFor(s.name, r.outputs, others[s.name].dims);
      if (from) others[s.name] = r.outputs[from];
    }
    if (c % 16 === 0) req.onProgress?.(0.1 + (0.85 * c) / chunks, `chunk ${c + 1} of ${chunks}`);
  }
  const durationSeconds = samples.length / rate;
  const frameSeconds = streaming ? chunk / rate : durationSeconds / Math.max(1, frames.length);
  const activeThreshold = req.options.activeThreshold ?? 0.5;
  const inRange = frames.every((v) => v >= 0 && v <= 1);
  if (!inRange) notes.push('the per-frame values are not probabilities (outside 0..1); segments use the threshold as is');
  if (states.length) notes.push(`streaming: state ${states.map((s) => `"${s.name}"`).join(', ')} fed back after each chunk`);
  return {
    kind: 'audio',
    fileName: loaded.fileName,
    inputName: audioIn.name,
    inputFile: path.basename(req.inputPath),
    sourceWidth: decoded.samples.length,
    sourceHeight: 1,
    latencyMs: latency,
    runs: chunks,
    notes,
    outputName,
    sampleRate: rate,
    sourceSampleRate: decoded.sampleRate,
    durationSeconds,
    waveform: envelope(samples, WAVEFORM_COLUMNS),
    frames,
    frameSeconds,
    mode: streaming ? 'streaming' : 'whole',
    chunkSamples: streaming ? chunk : null,
    activeThreshold,
    segments: activeSegments(frames, frameSeconds, activeThreshold),
  };
}
