/** `deploy-studio bench MODEL [--runs N | --seconds S] [--warmup N] [--threads N] [--batch N] [--profile] [--json]`. */
import type { BenchResultDto, ProfileDto } from '../../shared/api/runtime-api';
import { StudioError } from '../../shared/api/errors';
import { loadModelFile, RuntimeService } from '../engine';
import { useTargetProfiles } from './targets-command';
import { formatBytes } from '../../shared/format/bytes';
import { table } from './format';
import { ms, num } from './run-command';
import { readInputSpecFlags, type InputSpecFlags } from './input-spec-cli';
import { cliJob, intOption, parseInputs } from './runtime-cli';
import { printJson, printOut } from './output';

export interface BenchOptions extends InputSpecFlags {
  runs?: string;
  seconds?: string;
  warmup?: string;
  threads?: string;
  interThreads?: string;
  graphOpt?: string;
  batch?: string;
  profile?: boolean;
  target?: string;
  input?: string[];
  dim?: string[];
  json?: boolean;
}

const LEVELS = ['disabled', 'basic', 'extended', 'all'] as const;

function pct(share: number): string {
  return `${(share * 100).toFixed(1)} %`;
}

/** Renders a profile as two sorted tables: op types, then the slowest nodes. */
export function profileText(p: ProfileDto, topNodes = 25): string {
  return [
    `Profile: mean of ${p.runs} runs, ${ms(p.totalMs)} of node time per run`,
    table([['op type', 'nodes', 'ms/run', 'share'], ...p.opTypes.map((o) => [o.opType, String(o.nodes), o.meanMs.toFixed(3), pct(o.share)])]),
    `Slowest nodes${p.nodes.length > topNodes ? ` (${topNodes} of ${p.nodes.length})` : ''}`,
    table([
      ['node', 'op', 'ms/run', 'share', 'model node'],
      ...p.nodes.slice(0, topNodes).map((n) => [n.name, n.opType, n.meanMs.toFixed(3), pct(n.share), n.graphNode ?? '-']),
    ]),
  ].join('\n');
}

/** Renders a benchmark for a terminal. */
export function benchText(r: BenchResultDto): string {
  const o = r.sessionOptions;
  const threads = `intra-op threads ${o.intraOpThreads ?? 'default'}, inter-op ${o.interOpThreads ?? 'default'}`;
  const l = r.latencyMs;
  return [
    `Benchmark of ${r.fileName}: batch ${r.batch}, ${r.runs} runs in ${r.measuredSeconds.toFixed(2)} s after 1 + ${r.warmup} warm-up`,
    `  session: ${threads}, graph optimization ${o.graphOptimizationLevel}, ${o.executionMode}, ${o.executionProviders.join(', ')}${r.targetId ? `, target ${r.targetId}` : ''}${o.origin ? ` (${o.origin})` : ''}`,
    `  inputs: ${r.inputs.map((i) => `${i.name} ${i.dtype} [${i.shape.join(', ')}] ${i.source}`).join('; ')}`,
    table([
      ['session creation', ms(r.sessionCreateMs)],
      ['first run', ms(r.firstRunMs)],
      ['latency p50 / p90 / p99', `${num(l.p50)} / ${num(l.p90)} / ${num(l.p99)} ms`],
      ['mean ± std', `${num(l.mean)} ± ${num(l.std)} ms (CV ${pct(r.coefficientOfVariation)})`],
      ['min / max', `${num(l.min)} / ${num(l.max)} ms`],
      ['throughput', `${num(r.throughput)} inferences/s`],
      ['peak RSS', `${formatBytes(r.peakRssBytes)} (inference process ${r.runnerPid})`],
    ]),
    ...(r.profile ? ['', profileText(r.profile)] : []),
  ].join('\n');
}

/** Runs the verb. */
export async function runBench(modelPath: string, opts: BenchOptions): Promise<void> {
  const seconds = opts.seconds === undefined ? undefined : Number(opts.seconds);
  if (seconds !== undefined && !(seconds > 0 && seconds <= 3600)) throw new StudioError('INVALID_REQUEST', `--seconds must be a number in (0, 3600], got "${opts.seconds}".`);
  if (opts.graphOpt && !(LEVELS as readonly string[]).includes(opts.graphOpt)) {
    throw new StudioError('INVALID_REQUEST', `--graph-opt must be one of ${LEVELS.join(', ')}, got "${opts.graphOpt}".`);
  }
  if (opts.target) useTargetProfiles();
  const loaded = loadModelFile(modelPath);
  const runtime = new RuntimeService();
  const job = cliJob(Boolean(opts.json));
  try {
    const intra = intOption('--threads', opts.threads, 0);
    const inter = intOption('--inter-threads', opts.interThreads, 0);
    const result = await runtime.benchmark(loaded, {
      sources: parseInputs(opts.input, loaded),
      ...readInputSpecFlags(opts),
      session: {
        ...(intra !== undefined ? { intraOpThreads: intra } : {}),
        ...(inter !== undefined ? { interOpThreads: inter } : {}),
        ...(opts.graphOpt ? { graphOptimizationLevel: opts.graphOpt as (typeof LEVELS)[number] } : {}),
      },
      targetId: opts.target,
      runs: intOption('--runs', opts.runs),
      seconds,
      warmup: intOption('--warmup', opts.warmup, 0),
      batch: intOption('--batch', opts.batch),
      profile: Boolean(opts.profile),
      signal: job.signal,
      onProgress: job.onProgress,
    });
    job.done();
    if (opts.json) printJson(result, 2);
    else printOut(benchText(result));
  } finally {
    job.done();
    runtime.dispose();
  }
}
