/** `deploy-studio compare MODEL [MODEL…] --data D`: accuracy and alternated latency of models side by side, with reports. */
import { settingsLabel } from '../../shared/api/runtime-dto';
import type { CompareResultDto } from '../../shared/api/evaluate-dto';
import { StudioError } from '../../shared/api/errors';
import { accuracyDelta, ms, pct, ratioDelta, snr } from '../../shared/evaluate/compare-format';
import { formatBytes } from '../../shared/format/bytes';
import { formatCount } from '../../shared/format/count';
import { compareModels, type DatasetOptions, familyConfigDirs, formatOfPath, loadModelFile, readPreprocessConfig, runtimeFor, writeReport } from '../engine';
import { createCliEngine, runCliJob } from './cli-engine';
import { table } from './format';
import { intOption } from './runtime-cli';
import { printErr, printJson, printOut } from './output';

/** Options shared by `compare` and `search`. */
export interface DataFlags {
  data: string;
  preprocess?: string;
  labels?: string;
  limit?: string;
  seed?: string;
  target?: string;
  threads?: string;
  rounds?: string;
  seconds?: string;
  json?: boolean;
}

export interface CompareFlags extends DataFlags {
  report?: string;
  csv?: string;
  markdown?: string;
  batch?: string;
  memory?: boolean;
}

/** @returns a positive number option, or a clear error naming the flag. */
export function secondsOption(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!(n > 0 && n <= 3600)) throw new StudioError('INVALID_REQUEST', `${flag} must be a number of seconds between 0 and 3600, got "${value}".`);
  return n;
}

/** @returns reader options from the flags (`--seed` makes `--limit` a seeded random choice). */
export function datasetFlags(opts: DataFlags): DatasetOptions {
  return {
    path: opts.data,
    preprocess: opts.preprocess ? readPreprocessConfig(opts.preprocess) : undefined,
    preprocessSource: opts.preprocess,
    labelsPath: opts.labels,
    limit: intOption('--limit', opts.limit),
    sampling: opts.seed !== undefined ? 'random' : 'first',
    seed: intOption('--seed', opts.seed, 0),
  };
}

/** @returns the figures the JSON output promises, per model (raw latencies left out). */
export function jsonRows(result: CompareResultDto): Array<Record<string, unknown>> {
  return result.rows.map((r) => ({
    name: r.name,
    model: r.modelPath,
    reference: r.isReference,
    accuracyTop1: r.accuracyTop1,
    accuracyTop5: r.accuracyTop5,
    agreementTop1: r.agreementTop1,
    snrDb: r.snrDb,
    cosine: r.cosine,
    maxAbsError: r.maxAbsError,
    meanAbsError: r.meanAbsError,
    expectedMatched: r.expectedMatched,
    latencyMs: r.latencyMs,
    throughput: r.throughput,
    sizeBytes: r.sizeBytes,
    peakRssBytes: r.peakRssBytes,
    macs: r.macs,
    params: r.params,
    delta: r.delta,
    confusion: r.confusion,
    confusionClasses: r.confusionClasses,
  }));
}

/** @returns the human-readable table of a comparison. */
export function compareTable(result: CompareResultDto): string {
  const head = ['model', 'top-1', 'Δ top-1', 'top-5', 'agree', 'SNR', 'p50', 'p90', 'p99', 'Δ p50', 'size', 'Δ size', 'peak mem', 'params', 'MACs'];
  const rows = result.rows.map((r) => [
    r.isReference ? `${r.name} (ref)` : r.name,
    pct(r.accuracyTop1),
    r.isReference ? '—' : accuracyDelta(r.delta.accuracyTop1),
    pct(r.accuracyTop5),
    pct(r.agreementTop1),
    snr(r),
    ms(r.latencyMs.p50),
    ms(r.latencyMs.p90),
    ms(r.latencyMs.p99),
    r.isReference ? '—' : ratioDelta(r.delta.latencyP50Ratio),
    formatBytes(r.sizeBytes),
    r.isReference ? '—' : ratioDelta(r.delta.sizeRatio),
    r.peakRssBytes ? formatBytes(r.peakRssBytes) : '—',
    formatCount(r.params),
    formatCount(r.macs),
  ]);
  return table([head, ...rows]);
}

/** @returns a line per skip reason, for stderr. */
export function skipLines(result: CompareResultDto): string[] {
  return result.dataset.skipped.reasons.map((r) => `skipped ${r.count} × ${r.reason} (e.g. ${r.examples[0]?.item}: ${r.examples[0]?.detail})`);
}

/** Runs the verb. */
export async function runCompare(models: string[], opts: CompareFlags): Promise<void> {
  if (!models.length) throw new StudioError('INVALID_REQUEST', 'Give at least one model to compare.');
  for (const [flag, file] of [
    ['--report', opts.report],
    ['--csv', opts.csv],
    ['--markdown', opts.markdown],
  ] as const) {
    if (file && formatOfPath(file) && formatOfPath(file) !== { '--report': 'html', '--csv': 'csv', '--markdown': 'md' }[flag]) {
      throw new StudioError('INVALID_REQUEST', `${flag} ${file}: the extension does not match the format of ${flag}.`);
    }
  }
  const loaded = models.map((m) => loadModelFile(m));
  const data = datasetFlags(opts);
  const engine = createCliEngine({ quiet: opts.json });
  // the families' preprocessing and labels (`deploy-studio preprocess`, the Model place) come before files beside the models
  data.configDirs = [...new Set([...loaded.flatMap((m) => familyConfigDirs(engine, m.path).dirs), ...(data.configDirs ?? [])])];
  try {
    const seen = new Map<string, number>();
    const entries = loaded.map((m) => {
      const n = (seen.get(m.fileName) ?? 0) + 1;
      seen.set(m.fileName, n);
      return { model: m, name: n > 1 ? `${m.fileName} (${n})` : m.fileName };
    });
    const result = await runCliJob(engine, 'compare', `Compare ${loaded.length} models`, (job) =>
      compareModels(
        entries,
        {
          data,
          targetId: opts.target,
          session: opts.threads !== undefined ? { intraOpThreads: intOption('--threads', opts.threads, 0) } : undefined,
          timingRounds: intOption('--rounds', opts.rounds, 5),
          timingSeconds: secondsOption('--seconds', opts.seconds),
          timingBatch: intOption('--batch', opts.batch),
          memory: opts.memory,
          signal: job.signal,
          onProgress: (f, stage) => job.progress(f, stage),
          log: (line) => job.log(line),
        },
      ),
    );
    const written: string[] = [];
    if (opts.report) written.push(writeReport(opts.report, 'html', result).path);
    if (opts.csv) written.push(writeReport(opts.csv, 'csv', result).path);
    if (opts.markdown) written.push(writeReport(opts.markdown, 'md', result).path);
    if (opts.json) {
      const { rows: _rows, ...rest } = result;
      printJson({ ...rest, rows: jsonRows(result), reports: written }, 2);
      return;
    }
    for (const line of [...skipLines(result), ...result.warnings]) printErr(`warning: ${line}`);
    const d = result.dataset;
    printOut(
      `${result.evaluated} items of ${d.path} (${d.subset}); latency from ${result.timingRounds} alternated rounds, batch ${result.timingBatch}, ${settingsLabel({ ...result.sessionOptions, targetId: result.targetId })}\n${compareTable(result)}`,
    );
    for (const w of written) printOut(`wrote ${w}`);
  } finally {
    runtimeFor(engine).dispose();
  }
}
