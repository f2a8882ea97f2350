/** Result DTOs of the runtime methods (run, benchmark, profiling, demo): plain serializable objects. */
import type { PreprocessConfig } from './preprocess';

/** One dimension of a declared shape: a size, a symbolic name, or null when unknown. */
export type DeclaredDim = number | string | null;

/** A symbolic dimension the user may set, with the value used when they do not. */
export interface SymbolicDimDto {
  name: string;
  default: number;
  /** the inputs (and axes) it appears in, e.g. `input[0]` */
  usedBy: string[];
}

export interface InputSpecEntry {
  name: string;
  dtype: string;
  shape: DeclaredDim[];
  /** the input the preprocess config (or an image-like shape) says images can feed */
  acceptsImages: boolean;
}

/** What a model needs as inputs, and the demo helpers found beside it. */
export interface InputSpecDto {
  modelId: string;
  fileName: string;
  inputs: InputSpecEntry[];
  outputs: Array<{ name: string; dtype: string; shape: DeclaredDim[] }>;
  dims: SymbolicDimDto[];
  /** `preprocess.json` beside the model, parsed */
  preprocess: PreprocessConfig | null;
  preprocessPath: string | null;
  /** `labels.txt` beside the model */
  labels: string[] | null;
  labelsPath: string | null;
  /** true when an `images/` folder of sample images sits beside the model */
  hasDemoImages: boolean;
}

/** The session options that were used (from the engine's one resolver); null means onnxruntime's default. */
export interface ResolvedSessionOptions {
  intraOpThreads: number | null;
  interOpThreads: number | null;
  graphOptimizationLevel: 'disabled' | 'basic' | 'extended' | 'all';
  executionMode: 'sequential' | 'parallel';
  executionProviders: string[];
  /** the target profile applied, when one was */
  targetId?: string | null;
  /** where the thread count came from (`2 intra-op threads: one per physical core of this host`) */
  origin?: string;
  /** who chose the thread count: this host's default, the target profile, or the user */
  threadsFrom?: 'host' | 'target' | 'user';
}

/**
 * One line naming the settings a figure was measured with, the same on every screen and report.
 * @returns e.g. `2 threads, cpu, optimization all` (`, target raspberry-pi-5` when a profile was applied)
 */
export function settingsLabel(o: ResolvedSessionOptions): string {
  const threads = o.intraOpThreads === null ? 'onnxruntime default threads' : `${o.intraOpThreads} thread${o.intraOpThreads === 1 ? '' : 's'}`;
  const mode = o.executionMode === 'parallel' ? ', parallel' : '';
  const target = o.targetId ? `, target ${o.targetId}` : '';
  return `${threads}, ${o.executionProviders.join('+')}, optimization ${o.graphOptimizationLevel}${mode}${target}`;
}

/** One input as it was fed. */
export interface InputUsedDto {
  name: string;
  dtype: string;
  shape: number[];
  /** e.g. `random (seed 0)`, `zeros`, `file x.npy`, `image bag.png` */
  source: string;
}

export interface TopClassDto {
  index: number;
  label: string | null;
  /** the raw output value */
  score: number;
  /** softmax of the scores, or the score itself when the output already holds probabilities */
  probability: number;
}

export interface TensorStatsDto {
  min: number;
  max: number;
  mean: number;
  std: number;
  nanCount: number;
  infCount: number;
}

/** One output, summarised (values never cross the boundary in bulk). */
export interface TensorSummaryDto {
  name: string;
  dtype: string;
  shape: number[];
  elementCount: number;
  /** null for string and bool outputs */
  stats: TensorStatsDto | null;
  /** the first values, in order */
  preview: Array<number | string>;
  /** top classes of the first batch item, for outputs shaped like class scores ([C] or [N, C]) */
  top: TopClassDto[] | null;
  softmaxApplied: boolean;
}

export interface RunResultDto {
  /** sizes and values the studio guessed (each with the flag that sets it); empty when nothing was guessed */
  inputGuesses: string[];
  fileName: string;
  modelPath: string;
  inputs: InputUsedDto[];
  outputs: TensorSummaryDto[];
  /** wall time of the run itself */
  latencyMs: number;
  /** time to create the session; 0 when a cached session was used */
  sessionCreateMs: number;
  sessionCached: boolean;
  sessionOptions: ResolvedSessionOptions;
  dims: Record<string, number>;
  labelsPath: string | null;
}

export interface LatencyStatsDto {
  p50: number;
  p90: number;
  p99: number;
  mean: number;
  std: number;
  min: number;
  max: number;
}

export interface ProfileNodeDto {
  name: string;
  opType: string;
  provider: string;
  /** mean time per run, milliseconds */
  meanMs: number;
  /** share of all node time, 0..1 */
  share: number;
  /** the model's node this time belongs to (onnxruntime renames fused and re-laid-out nodes), when known */
  graphNode: string | null;
}

export interface ProfileOpTypeDto {
  opType: string;
  nodes: number;
  meanMs: number;
  share: number;
}

/** onnxruntime's profile, averaged over the profiled runs. */
export interface ProfileDto {
  runs: number;
  /** mean node time per run (sum over nodes) */
  totalMs: number;
  nodes: ProfileNodeDto[];
  opTypes: ProfileOpTypeDto[];
}

export interface BenchResultDto {
  /** sizes and values the studio guessed (each with the flag that sets it); empty when nothing was guessed */
  inputGuesses: string[];
  fileName: string;
  modelPath: string;
  sessionOptions: ResolvedSessionOptions;
  targetId: string | null;
  batch: number;
  inputs: InputUsedDto[];
  dims: Record<string, number>;
  sessionCreateMs: number;
  firstRunMs: number;
  warmup: number;
  runs: number;
  /** wall time of the measured runs */
  measuredSeconds: number;
  latencyMs: LatencyStatsDto;
  /** std / mean of the latencies */
  coefficientOfVariation: number;
  /** inferences per second at the batch size (batch × runs / measured time) */
  throughput: number;
  /** peak resident memory of the process that ran the benchmark, bytes */
  peakRssBytes: number;
  /** every measured latency, in run order */
  latenciesMs: number[];
  profile: ProfileDto | null;
  /** the inference process */
  runnerPid: number;
}

/** A sample image beside a model, with a small thumbnail. */
export interface DemoImageDto {
  path: string;
  fileName: string;
  /** the class folder it sits in, when it has one */
  className: string | null;
  /** a PNG data URL, at most 64 px on its longer side */
  dataUrl: string;
}

export interface ClassifyResultDto {
  modelId: string;
  fileName: string;
  imageName: string;
  inputName: string;
  inputShape: number[];
  outputName: string;
  top: TopClassDto[];
  softmaxApplied: boolean;
  /** one run: no statistics behind it (the bench panel times many runs) */
  latencyMs: number;
  preprocessMs: number;
  sessionCreateMs: number;
  /** the settings the run used (the runtime's one resolver) */
  sessionOptions: ResolvedSessionOptions;
  /** what the model sees after preprocessing, as a PNG data URL (grayscale/RGB, before mean/std) */
  modelViewDataUrl: string;
  /** where the preprocess config came from: a file path, `request`, or `derived from the input shape` */
  preprocessSource: string;
}

export interface RuntimeInfoDto {
  backend: string;
  /** the inference process, when one runs */
  runnerPid: number | null;
  /** how many times an inference process was started */
  runnerStarts: number;
  cachedSessions: number;
  /** the process that serves optimization jobs (calibration, error analysis, recovery), when one runs */
  jobRunnerPid: number | null;
  jobRunnerStarts: number;
}
