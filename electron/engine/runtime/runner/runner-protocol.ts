/**
 * The calls the inference runner process serves over the RPC channel (shared/rpc), and what they answer. Each call is
 * sent with its `op` as the method and itself as the params (structured clone: typed arrays cross as they are).
 */
import type { ProfileDto } from '../../../../shared/api/runtime-api';
import type { BackendSessionOptions, HostTensor, ValueMeta } from '../backend';

/** A model file the runner loads; `key` changes when the file's content may have changed. */
export interface RunnerModel {
  key: string;
  path: string;
  /** the file name users know it by (for messages) */
  name: string;
}

/** The calls the runner serves (one at a time, in order; `stats` answers at once). */
export type RunnerCall =
  | { op: 'meta'; model: RunnerModel; options: BackendSessionOptions }
  | {
      op: 'run';
      model: RunnerModel;
      options: BackendSessionOptions;
      feeds: Record<string, HostTensor>;
      outputs?: string[];
      /** large outputs are written to files in this folder instead of crossing the IPC channel (bulk-tensors.ts) */
      bulkDir?: string;
    }
  | {
      op: 'bench';
      model: RunnerModel;
      options: BackendSessionOptions;
      feeds: Record<string, HostTensor>;
      runs?: number;
      seconds?: number;
      warmup: number;
      /** profile this many extra runs in a separate profiling session; its files go to `dir` */
      profile?: { runs: number; dir: string };
    }
  | {
      op: 'time';
      /** the models, each with its own options and inputs (sessions come from the cache: warm after earlier runs) */
      models: Array<{ model: RunnerModel; options: BackendSessionOptions; feeds: Record<string, HostTensor> }>;
      warmup: number;
      rounds: number;
      /** stop after this many seconds once `minRounds` ran */
      seconds?: number;
      minRounds?: number;
    }
  | { op: 'release'; modelKey?: string }
  | { op: 'stats' };

/** The event topic the runner announces itself on once it can take calls ({@link RunnerReady}). */
export const RUNNER_READY = 'runner:ready';

/** What the runner announces at start. */
export interface RunnerReady {
  pid: number;
  backend: string;
  version: string;
}

/** What a session looks like from outside. */
export interface SessionMeta {
  inputs: ValueMeta[];
  outputs: ValueMeta[];
  /** 0 when a cached session was used */
  createMs: number;
  cached: boolean;
}

/** The result of a `run` call. */
export interface RunOutcome {
  session: SessionMeta;
  outputs: Record<string, HostTensor>;
  ms: number;
}

/** The result of a `bench` call: raw latencies; statistics are computed by the engine. */
export interface BenchOutcome {
  session: SessionMeta;
  firstRunMs: number;
  latencies: number[];
  measuredMs: number;
  peakRssBytes: number;
  profile: ProfileDto | null;
  pid: number;
}

/** The result of a `time` call: per model, every timed run in order (milliseconds). */
export interface TimeOutcome {
  latencies: number[][];
  measuredMs: number;
  peakRssBytes: number;
  pid: number;
}

/** The runner's process and cache state. */
export interface RunnerStats {
  pid: number;
  rssBytes: number;
  sessions: number;
}
