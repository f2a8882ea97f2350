/**
 * `deploy-studio run MODEL [--input name=file …] [--dim name=value] [--labels file] [--top K] [--json]`: one inference;
 * with `--task KIND` or `--render OUT.png`, the input file is run as a task (run-task-command.ts).
 */
import * as path from 'node:path';
import type { RunResultDto, TensorSummaryDto } from '../../shared/api/runtime-api';
import { familyRunSettings, loadModelFile, readPreprocessConfig, RuntimeService } from '../engine';
import { createCliEngine } from './cli-engine';
import { useTargetProfiles } from './targets-command';
import { table } from './format';
import { readInputSpecFlags, type InputSpecFlags } from './input-spec-cli';
import { cliJob, intOption, parseInputs } from './runtime-cli';
import { printJson, printOut } from './output';
import { runTaskVerb, type TaskFlags } from './run-task-command';

export interface RunOptions extends InputSpecFlags, TaskFlags {
  input?: string[];
  dim?: string[];
  labels?: string;
  preprocess?: string;
  top?: string;
  threads?: string;
  target?: string;
  json?: boolean;
}

/** Formats a number for a table: 4 significant digits, no exponent for ordinary magnitudes. */
export function num(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v !== 0 && (Math.abs(v) >= 1e6 || Math.abs(v) < 1e-3)) return v.toExponential(3);
  return Number(v.toPrecision(4)).toString();
}

/** @returns milliseconds with sensible precision. */
export function ms(v: number): string {
  return `${v.toFixed(v < 1 ? 3 : v < 100 ? 2 : 1)} ms`;
}

function outputLines(o: TensorSummaryDto): string[] {
  const lines = [`  ${o.name}  ${o.dtype}  [${o.shape.join(', ')}]`];
  if (o.stats) {
    const s = o.stats;
    const bad = s.nanCount || s.infCount ? `  NaN ${s.nanCount}  Inf ${s.infCount}` : '';
    lines.push(`    min ${num(s.min)}  max ${num(s.max)}  mean ${num(s.mean)}  std ${num(s.std)}${bad}`);
  }
  lines.push(`    first values: ${o.preview.map((v) => (typeof v === 'number' ? num(v) : JSON.stringify(v))).join(', ')}${o.elementCount > o.preview.length ? ', …' : ''}`);
  if (o.top) {
    lines.push(`    top ${o.top.length}${o.softmaxApplied ? ' (softmax of the scores)' : ''}:`);
    lines.push(
      table(
        o.top.map((t, i) => [`${i + 1}.`, t.label ?? `class ${t.index}`, `${(t.probability * 100).toFixed(2)} %`, `score ${num(t.score)}`, `index ${t.index}`]),
        '      ',
      ),
    );
  }
  return lines;
}

/** Renders a run for a terminal. */
export function runText(r: RunResultDto): string {
  const session = r.sessionCached ? 'cached session' : `session created in ${ms(r.sessionCreateMs)}`;
  const dims = Object.entries(r.dims);
  return [
    `${r.fileName}: ran in ${ms(r.latencyMs)} (${session})`,
    ...(dims.length ? [`  dims: ${dims.map(([k, v]) => `${k}=${v}`).join(', ')}`] : []),
    'Inputs',
    table(r.inputs.map((i) => [i.name, i.dtype, `[${i.shape.join(', ')}]`, i.source])),
    'Outputs',
    ...r.outputs.flatMap(outputLines),
    ...(r.labelsPath ? [`labels: ${r.labelsPath}`] : []),
  ].join('\n');
}

/** Runs the verb. */
export async function runRun(modelPath: string, opts: RunOptions): Promise<void> {
  const audioFile = opts.input?.length === 1 && /\.(wav|wave|flac)$/i.test(opts.input[0]) && !opts.input[0].includes('=');
  if (opts.task || opts.render || audioFile) return runTaskVerb(modelPath, opts);
  if (opts.target) useTargetProfiles();
  const loaded = loadModelFile(modelPath);
  // the family's preprocessing and labels (`deploy-studio preprocess`, the Model place), unless --preprocess gives one
  const family = familyRunSettings(createCliEngine({ quiet: true }), loaded);
  if (opts.preprocess) family.preprocess = { config: readPreprocessConfig(path.resolve(opts.preprocess)), source: path.resolve(opts.preprocess) };
  const runtime = new RuntimeService();
  const job = cliJob(Boolean(opts.json));
  try {
    const threads = intOption('--threads', opts.threads, 0);
    const result = await runtime.run(loaded, {
      sources: parseInputs(opts.input, loaded),
      ...readInputSpecFlags(opts),
      session: threads !== undefined ? { intraOpThreads: threads } : undefined,
      targetId: opts.target,
      topK: intOption('--top', opts.top),
      labelsPath: opts.labels ? path.resolve(opts.labels) : undefined,
      family,
      signal: job.signal,
      onProgress: job.onProgress,
    });
    job.done();
    if (opts.json) printJson(result, 2);
    else printOut(runText(result));
  } finally {
    job.done();
    runtime.dispose();
  }
}
