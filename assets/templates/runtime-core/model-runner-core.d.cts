// Types of the model runner core (model-runner-core.cjs), for the TypeScript app that embeds it.

export interface TensorMeta {
  name: string;
  dtype: string;
  shape: Array<number | string | null> | null;
}

export interface PreprocessConfig {
  layout?: 'NCHW' | 'NHWC';
  channels?: 'grayscale' | 'rgb' | 'bgr';
  resize?: { width: number; height: number; mode?: 'stretch' | 'cover' | 'contain' | 'shorter' };
  crop?: { width: number; height: number };
  scale?: number;
  mean?: number[];
  std?: number[];
  inputName?: string;
}

/** runner-config.json: everything the runner knows about the model. */
export interface RunnerConfig {
  modelName: string;
  modelFile: string;
  inputs: TensorMeta[];
  outputs: TensorMeta[];
  imageInput: string | null;
  classifierOutput: string | null;
  preprocess: PreprocessConfig | null;
  labels: string[] | null;
  /** session settings; `intraOpThreads` null or absent: one per physical core of the machine the runner runs on */
  session?: { intraOpThreads: number | null; interOpThreads: number | null; graphOptimizationLevel: string; executionMode: string } | null;
}

export interface RankedClass {
  index: number;
  label: string;
  score: number;
  probability: number;
}

export interface OutputPreview {
  name: string;
  dtype: string;
  dims: number[];
  preview: number[];
}

export interface RunResult {
  top: RankedClass[] | null;
  outputs: OutputPreview[];
  latencyMs: number;
  preprocessMs: number;
  input: { name: string; dims: number[] };
}

export interface LatencyStats {
  runs: number;
  p50: number;
  p90: number;
  p99: number;
  mean: number;
  std: number;
  min: number;
  max: number;
  /** coefficient of variation: std / mean */
  cv: number;
}

export interface BenchmarkResult {
  input: { name: string; dims: number[] };
  /** every timed run, milliseconds */
  latencies: number[];
  stats: LatencyStats;
}

export interface Runner {
  info: RunnerConfig & { sessionMs: number; onnxruntimeVersion: string; sessionOptions: SessionOptions };
  runImage(bytes: Uint8Array, k?: number): Promise<RunResult>;
  runNpy(bytes: Uint8Array, k?: number): Promise<RunResult>;
  /** Times the session on one input (prepared once): warm-up, then `runs` timed runs of the session alone. */
  benchmark(bytes: Uint8Array, options?: { runs?: number; warmup?: number; warmupMs?: number }): Promise<BenchmarkResult>;
  release(): Promise<void>;
}

export declare class RunnerError extends Error {}

/** The onnxruntime session options the runner uses. */
export interface SessionOptions {
  graphOptimizationLevel: string;
  executionMode: string;
  intraOpNumThreads: number;
  interOpNumThreads: number;
}

export declare function createRunner(dir: string): Promise<Runner>;
export declare function sessionOptions(session: RunnerConfig['session']): SessionOptions;
export declare function preprocessImage(
  bytes: Uint8Array,
  pre: PreprocessConfig,
  dtype?: 'float32' | 'float16' | 'float64' | 'uint8',
): Promise<{ data: Float32Array | Float64Array | Uint16Array | Uint8Array; dims: number[]; dtype: string }>;
export declare function parseNpy(bytes: Uint8Array): { dtype: string; shape: number[]; data: ArrayLike<number | bigint> };
export declare function topK(values: ArrayLike<number>, k: number, labels: string[] | null): RankedClass[];
export declare function probabilities(values: ArrayLike<number>): number[];
export declare function floatToHalfBits(value: number): number;
