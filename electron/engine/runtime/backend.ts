/** The inference backend interface (house style 3): passes and evaluation see this, never onnxruntime-node itself. */
import type { TensorArray } from '../onnx/tensor-data';

/** Element type names, as onnxruntime and numpy print them. */
export type TensorDtype =
  | 'float32'
  | 'float64'
  | 'float16'
  | 'int8'
  | 'uint8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'uint64'
  | 'bool'
  | 'string';

/** The typed arrays numeric tensors are held in (the same set the ONNX tensor reader returns). */
export type NumericData = TensorArray;

/**
 * A tensor that crosses process boundaries as is (structured clone): float16 as its raw bits in a Uint16Array, bool
 * as a Uint8Array of 0/1.
 */
export interface HostTensor {
  dtype: TensorDtype;
  dims: number[];
  data: NumericData | string[];
}

/** Session options of the backend (resolved: target profile and user choices already merged). */
export interface BackendSessionOptions {
  intraOpThreads?: number;
  interOpThreads?: number;
  graphOptimizationLevel?: 'disabled' | 'basic' | 'extended' | 'all';
  executionMode?: 'sequential' | 'parallel';
  executionProviders?: string[];
  /** write a profile of every run; {@link BackendSession.endProfiling} returns its file */
  enableProfiling?: boolean;
  /** path prefix of the profile file */
  profileFilePrefix?: string;
}

/** Declared type of a session input or output. */
export interface ValueMeta {
  name: string;
  isTensor: boolean;
  dtype: string;
  shape: Array<number | string | null>;
}

/** Feeds converted once for the backend, so timing loops measure only the run. */
export interface PreparedFeeds {
  readonly backend: string;
}

/** One loaded model, ready to run. */
export interface BackendSession {
  readonly inputs: readonly ValueMeta[];
  readonly outputs: readonly ValueMeta[];
  /** Converts host tensors to the backend's own (done once before a loop of runs). */
  prepare(feeds: Record<string, HostTensor>): PreparedFeeds;
  /**
   * Runs the model.
   * @param feeds - from {@link BackendSession.prepare}
   * @param outputNames - outputs to fetch (default: all)
   * @returns the outputs as host tensors (views over the backend's buffers, no copy)
   */
  run(feeds: PreparedFeeds, outputNames?: readonly string[]): Promise<Record<string, HostTensor>>;
  /** Runs the model and drops the outputs (benchmark loops: nothing but the backend's own run is timed). */
  runDiscarding(feeds: PreparedFeeds): Promise<void>;
  /** Ends profiling; @returns the profile file's path, when profiling was on. */
  endProfiling(): string | undefined;
  /** Frees the native session. */
  release(): Promise<void>;
}

/** A runtime that can load models from files. */
export interface InferenceBackend {
  readonly name: string;
  readonly version: string;
  /**
   * Loads a model.
   * @param modelPath - the `.onnx` file (external data resolved beside it)
   * @param options - resolved session options
   */
  createSession(modelPath: string, options: BackendSessionOptions): Promise<BackendSession>;
}
