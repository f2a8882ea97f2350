/** The engine's runtime: run a model, benchmark it, fetch intermediate tensors; all inference goes to the runner process. */
import * as os from 'node:os';
import * as path from 'node:path';
import type { BenchResultDto, InputSource, InputUsedDto, ResolvedSessionOptions, RunResultDto, RuntimeInfoDto, SessionOptionsDto } from '../../../shared/api/runtime-api';
import { StudioError } from '../../../shared/api/errors';
import type { InputSpec } from '../../../shared/api/input-spec';
import type { PreprocessConfig } from '../../../shared/api/preprocess';
import type { LoadedModel } from '../onnx/load';
import type { HostTensor } from './backend';
import { buildFeeds } from './inputs/build-feeds';
import { modelInputs } from './inputs/input-spec';
import { findModelExtras, readLabels } from './inputs/model-extras';
import { modelKeyPrefix, runnerModelOf, TempModels } from './model-files';
import { graphNodeMapper } from './profile-parse';
import { processModelRuntime, type ModelRuntime } from './calibration-run';
import { RunnerClient, runnerScript } from './runner/runner-client';
import type { BenchOutcome, RunnerModel, RunnerStats, RunOutcome } from './runner/runner-protocol';
import { resolveSessionOptions } from './session-options';
import { latencyStats, summarizeTensor } from './stats';

/** Progress and cancellation, from a job (or none). */
export interface Progress {
  signal?: AbortSignal;
  onProgress?: (fraction: number, stage: string) => void;
}

/** Where inputs come from and how the session is set up. */
export interface InputOptions extends Progress {
  sources?: Record<string, InputSource>;
  dims?: Record<string, number>;
  session?: SessionOptionsDto;
  targetId?: string;
  /** throws when a file may not be read (serve mode) */
  checkReadable?: (absPath: string) => void;
  /** the model's input spec (sizes and values for inputs given no data), and the folder its relative paths resolve against */
  spec?: InputSpec;
  specDir?: string;
  /** the family's preprocessing and labels (set in the studio); when left out, the files beside the model */
  family?: { preprocess: { config: PreprocessConfig; source: string } | null; labels: { names: string[]; source: string } | null };
}

/** Benchmark settings on top of the inputs and session. */
export interface BenchOptions extends InputOptions {
  runs?: number;
  seconds?: number;
  warmup?: number;
  batch?: number;
  profile?: boolean;
}

/**
 * When onnxruntime rejects inputs the studio made up, says which sizes and values were guessed and how to set them.
 * @param err - the run's error
 * @param guesses - one line per guess (from the feed builder)
 * @returns the error to throw (unchanged when nothing was guessed or the failure is not the inputs')
 */
export function explainGuesses(err: unknown, guesses: readonly string[]): unknown {
  if (!(err instanceof StudioError) || !guesses.length || !['INFERENCE_FAILED', 'INVALID_INPUT'].includes(err.code)) return err;
  const list = guesses.map((g) => `  - ${g}`).join('\n');
  return new StudioError(err.code, `${err.message}\nThe studio made up these inputs, which may be why:\n${list}\nGive the model's real sizes and values with --dim, --input-spec FILE, or the input spec editor in the Model place.`, { cause: err });
}

/** At most this many raw latencies are returned (evenly subsampled beyond). */
const MAX_LATENCIES = 5000;
const PROFILED_RUNS = 20;

/** Sessions the jobs' inference process keeps at once (calibration, error analysis and checks hold a few each). */
const JOB_SESSIONS = 16;

/** Runs models in inference processes; one per engine (built once by the composition root). */
export class RuntimeService {
  readonly temps = new TempModels();
  /** the process that serves optimization jobs (calibration, error analysis, recovery, output checks) */
  readonly jobRunner: RunnerClient;
  /** what passes use to run models held in memory, through {@link RuntimeService.jobRunner} */
  readonly models: ModelRuntime;

  /**
   * @param runner - the interactive process (run, bench, demo)
   * @param jobRunner - the optimization jobs' process
   */
  constructor(
    readonly runner: RunnerClient = new RunnerClient(),
    jobRunner?: RunnerClient,
  ) {
    this.jobRunner = jobRunner ?? new RunnerClient(runnerScript(), JOB_SESSIONS);
    this.models = processModelRuntime(this.jobRunner, () => resolveSessionOptions(undefined));
  }

  /**
   * Runs a model once on given feeds (the entry point passes and evaluation use).
   * @param loaded - the model
   * @param feeds - one tensor per input
   * @param options - session options, a target, outputs to fetch, cancellation
   * @returns the outputs and timings
   */
  async runFeeds(
    loaded: LoadedModel,
    feeds: Record<string, HostTensor>,
    options: Progress & { session?: SessionOptionsDto; targetId?: string; outputs?: string[]; model?: RunnerModel } = {},
  ): Promise<RunOutcome & { sessionOptions: ResolvedSessionOptions }> {
    const { options: backendOptions, resolved } = await resolveSessionOptions(options.session, options.targetId);
    const model = options.model ?? runnerModelOf(loaded);
    const outcome = await this.runner.call<RunOutcome>(
      { op: 'run', model, options: backendOptions, feeds, ...(options.outputs ? { outputs: options.outputs } : {}) },
      { what: `the run of ${loaded.fileName}`, signal: options.signal, onProgress: options.onProgress },
    );
    return { ...outcome, sessionOptions: resolved };
  }

  /**
   * Runs a model and returns any tensors of its main graph, not only its outputs: a temporary copy of the model gets
   * them as extra outputs (the user's file is never touched).
   * @param loaded - the model
   * @param feeds - one tensor per input
   * @param tensorNames - main-graph tensor names (node outputs, inputs)
   * @returns the requested tensors and the model's outputs, by name
   * @throws StudioError `INVALID_REQUEST` for a name the main graph does not define
   */
  async runWithIntermediates(
    loaded: LoadedModel,
    feeds: Record<string, HostTensor>,
    tensorNames: readonly string[],
    options: Progress & { session?: SessionOptionsDto; targetId?: string } = {},
  ): Promise<Record<string, HostTensor>> {
    const model = await this.temps.withOutputs(loaded, tensorNames);
    const inputs = new Set(Object.keys(feeds));
    const fetched = tensorNames.filter((n) => !inputs.has(n));
    const outputs = [...new Set([...(loaded.proto.graph?.output.map((o) => o.name) ?? []), ...fetched])];
    const result = await this.runFeeds(loaded, feeds, { ...options, model, outputs });
    const out: Record<string, HostTensor> = { ...result.outputs };
    for (const n of tensorNames) if (inputs.has(n)) out[n] = feeds[n];
    return out;
  }

  /**
   * Runs a model once on inputs from sources (random, zeros, files, images) and summarises the outputs.
   * @param options - inputs, dims, session options; `topK` and `labelsPath` for class-score outputs
   */
  async run(loaded: LoadedModel, options: InputOptions & { topK?: number; labelsPath?: string }): Promise<RunResultDto> {
    options.onProgress?.(0.05, 'preparing inputs');
    const extras = findModelExtras(loaded.path);
    const built = await buildFeeds({
      inputs: modelInputs(loaded),
      sources: options.sources,
      dims: options.dims,
      preprocess: options.family ? options.family.preprocess : extras.preprocess && extras.preprocessPath ? { config: extras.preprocess, source: extras.preprocessPath } : null,
      checkReadable: options.checkReadable,
      spec: options.spec,
      specDir: options.specDir,
      proto: loaded.proto,
    });
    const fallback = options.family ? { names: options.family.labels?.names ?? null, source: options.family.labels?.source ?? null } : { names: extras.labels, source: extras.labelsPath };
    const labelsPath = options.labelsPath ?? fallback.source;
    const labels = options.labelsPath ? readLabels(options.labelsPath) : fallback.names;
    options.onProgress?.(0.2, 'running');
    const r = await this.runFeeds(loaded, built.feeds, { ...options, onProgress: undefined }).catch((err: unknown) => {
      throw explainGuesses(err, built.guesses);
    });
    const k = options.topK ?? 5;
    return {
      fileName: loaded.fileName,
      modelPath: loaded.path,
      inputs: built.used,
      outputs: Object.entries(r.outputs).map(([name, t]) => summarizeTensor(name, t, k, labels)),
      latencyMs: r.ms,
      sessionCreateMs: r.session.createMs,
      sessionCached: r.session.cached,
      sessionOptions: r.sessionOptions,
      dims: built.dims,
      labelsPath: labels ? (labelsPath ?? null) : null,
      inputGuesses: built.guesses,
    };
  }

  /**
   * Benchmarks a model: session creation, first run, warm-up, then timed runs (and a profiled pass when asked).
   * @param options - inputs, runs or seconds, warm-up, batch, threads, profiling
   */
  async benchmark(loaded: LoadedModel, options: BenchOptions): Promise<BenchResultDto> {
    options.onProgress?.(0, 'preparing inputs');
    const extras = findModelExtras(loaded.path);
    const built = await buildFeeds({
      inputs: modelInputs(loaded),
      sources: options.sources,
      dims: options.dims,
      batch: options.batch,
      preprocess: options.family ? options.family.preprocess : extras.preprocess && extras.preprocessPath ? { config: extras.preprocess, source: extras.preprocessPath } : null,
      checkReadable: options.checkReadable,
      spec: options.spec,
      specDir: options.specDir,
      proto: loaded.proto,
    });
    const { options: backendOptions, resolved } = await resolveSessionOptions(options.session, options.targetId);
    const warmup = options.warmup ?? 5;
    const outcome = await this.runner.call<BenchOutcome>(
      {
        op: 'bench',
        model: runnerModelOf(loaded),
        options: backendOptions,
        feeds: built.feeds,
        ...(options.runs !== undefined ? { runs: options.runs } : {}),
        ...(options.seconds !== undefined ? { seconds: options.seconds } : {}),
        warmup,
        ...(options.profile ? { profile: { runs: Math.min(PROFILED_RUNS, Math.max(1, options.runs ?? PROFILED_RUNS)), dir: path.join(os.tmpdir(), `deploy-studio-profiles-${process.pid}`) } } : {}),
      },
      { what: `the benchmark of ${loaded.fileName}`, signal: options.signal, onProgress: options.onProgress },
    ).catch((err: unknown) => {
      throw explainGuesses(err, built.guesses);
    });
    return { ...this.benchResult(loaded, options, built.used, built.dims, resolved, warmup, outcome), inputGuesses: built.guesses };
  }

  /** Releases a closed model's sessions and temporary copies. */
  async release(loaded: LoadedModel): Promise<void> {
    const keys = [modelKeyPrefix(loaded), ...this.temps.forget(loaded)];
    if (this.runner.pid === undefined) return;
    for (const modelKey of keys) await this.runner.call({ op: 'release', modelKey }, { what: 'releasing sessions' }).catch(() => undefined);
  }

  /** @returns the runner's process and cache state. */
  async info(): Promise<RuntimeInfoDto> {
    const stats = this.runner.pid === undefined ? undefined : await this.runner.call<RunnerStats>({ op: 'stats' }, { what: 'a status query' }).catch(() => undefined);
    return {
      backend: 'onnxruntime-node',
      runnerPid: stats?.pid ?? null,
      runnerStarts: this.runner.starts,
      cachedSessions: stats?.sessions ?? 0,
      jobRunnerPid: this.jobRunner.pid ?? null,
      jobRunnerStarts: this.jobRunner.starts,
    };
  }

  /** Stops the inference processes and deletes temporary files. */
  dispose(): void {
    this.runner.dispose();
    this.jobRunner.dispose();
    this.temps.dispose();
  }

  private benchResult(
    loaded: LoadedModel,
    options: BenchOptions,
    inputs: InputUsedDto[],
    dims: Record<string, number>,
    sessionOptions: ResolvedSessionOptions,
    warmup: number,
    o: BenchOutcome,
  ): Omit<BenchResultDto, 'inputGuesses'> {
    const stats = latencyStats(o.latencies);
    const batch = options.batch ?? Math.max(1, inputs[0]?.shape[0] ?? 1);
    const step = Math.max(1, Math.ceil(o.latencies.length / MAX_LATENCIES));
    const mapNode = graphNodeMapper(loaded.proto.graph?.node ?? []);
    const profile = o.profile && { ...o.profile, nodes: o.profile.nodes.map((n) => ({ ...n, graphNode: mapNode(n.name) })) };
    return {
      fileName: loaded.fileName,
      modelPath: loaded.path,
      sessionOptions,
      targetId: options.targetId ?? null,
      batch,
      inputs,
      dims,
      sessionCreateMs: o.session.createMs,
      firstRunMs: o.firstRunMs,
      warmup,
      runs: o.latencies.length,
      measuredSeconds: o.measuredMs / 1000,
      latencyMs: stats,
      coefficientOfVariation: stats.mean > 0 ? stats.std / stats.mean : 0,
      throughput: o.measuredMs > 0 ? (batch * o.latencies.length) / (o.measuredMs / 1000) : 0,
      peakRssBytes: o.peakRssBytes,
      latenciesMs: step === 1 ? o.latencies : o.latencies.filter((_, i) => i % step === 0),
      profile,
      runnerPid: o.pid,
    };
  }
}
