/** `deploy-studio prune MODEL -o OUT --method magnitude|channel --sparsity X …`: writes a pruned copy, never the input. */
import type { InputSpecFlags } from './input-spec-cli';
import type { Command } from 'commander';
import * as path from 'node:path';
import { StudioError } from '../../shared/api/errors';
import type { RecipeStep } from '../../shared/recipes/recipe';
import { runSinglePass } from './single-pass-cli';
import type { ChannelPruneReport, MagnitudePruneReport } from '../../shared/prune/prune-report';
import { formatBytes } from '../../shared/format/bytes';
import { formatCount } from '../../shared/format/count';
import { roundingText } from '../../shared/prune/rounding-text';
import { table } from './format';
import { printErr, printJson, printOut } from './output';

export interface PruneCliOptions extends InputSpecFlags {
  output: string;
  method: string;
  sparsity?: string;
  calibration?: string;
  samples?: string;
  recover?: boolean;
  criterion?: string;
  global?: boolean | string;
  nm?: string;
  skip?: string[];
  roundTo?: string;
  foldBn?: boolean;
  minWeights?: string;
  target?: string;
  json?: boolean;
}

function number(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new StudioError('INVALID_REQUEST', `${flag} takes a number, not "${value}".`);
  return n;
}

/** @returns the sparsity as a fraction: `0.3`, `30%` and `30` all mean 30 %. */
function fraction(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = number(value.replace(/%$/, ''), '--sparsity') as number;
  return value.endsWith('%') || n > 1 ? n / 100 : n;
}

/** Turns the flags into the pass step (its options are validated by the pass's schema). */
export function pruneStep(o: PruneCliOptions): RecipeStep {
  const sparsity = fraction(o.sparsity);
  const calibration = o.calibration ? { path: path.resolve(o.calibration), ...(o.samples ? { limit: number(o.samples, '--samples') } : {}) } : undefined;
  const skip = o.skip?.flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean) ?? [];
  if (o.method === 'magnitude') {
    if (o.recover || o.criterion || o.roundTo) throw new StudioError('INVALID_REQUEST', '--recover, --criterion and --round-to apply to --method channel only.');
    return {
      pass: 'prune-magnitude',
      options: { ...(sparsity !== undefined ? { sparsity } : {}), global: Boolean(o.global), ...(o.nm ? { nm: o.nm } : {}), skip, ...(o.minWeights ? { minWeights: number(o.minWeights, '--min-weights') } : {}), ...(calibration ? { calibration } : {}) },
    };
  }
  if (o.method === 'channel') {
    if (o.nm) throw new StudioError('INVALID_REQUEST', '--nm applies to --method magnitude only.');
    const measure = typeof o.global === 'string' ? o.global : 'channels';
    return {
      pass: 'prune-channels',
      options: {
        ...(sparsity !== undefined ? { sparsity } : {}),
        global: Boolean(o.global),
        target: measure,
        skip,
        recover: Boolean(o.recover),
        foldBatchNorm: o.foldBn !== false,
        ...(o.criterion ? { criterion: o.criterion } : {}),
        ...(o.roundTo ? { roundTo: number(o.roundTo, '--round-to') } : {}),
        ...(calibration ? { calibration } : {}),
      },
    };
  }
  throw new StudioError('INVALID_REQUEST', `--method takes "channel" or "magnitude", not "${o.method}".`);
}

function channelText(r: ChannelPruneReport): string[] {
  const pct = (a: number, b: number) => `${((100 * a) / Math.max(1, b)).toFixed(1)} %`;
  const lines = [
    `channels ${r.channelsBefore} → ${r.channelsAfter} (${pct(r.channelsBefore - r.channelsAfter, r.channelsBefore)} removed)`,
    `params   ${formatCount(r.paramsBefore)} → ${formatCount(r.paramsAfter)} (${pct(r.paramsAfter, r.paramsBefore)})`,
    `MACs     ${formatCount(r.macsBefore)} → ${formatCount(r.macsAfter)} (${pct(r.macsAfter, r.macsBefore)})`,
  ];
  const e = r.error;
  const fmt = (m: typeof e.before) => `SNR ${m.snrDb === null ? '∞' : m.snrDb.toFixed(1)} dB, cosine ${m.cosine.toFixed(4)}${m.agreementTop1 === null ? '' : `, top-1 agreement ${(100 * m.agreementTop1).toFixed(1)} %`}`;
  lines.push(`error on ${e.data}: ${fmt(e.before)}${e.after ? `\n  after recovery: ${fmt(e.after)}` : ''}`);
  if (r.rounding) {
    const t = roundingText(r.rounding);
    lines.push(t.headline, `  the multiple: ${t.why}`);
  }
  if (r.blocked.length) lines.push('kept intact:', table(r.blocked.map((b) => [b.node, b.op, b.reason])));
  return lines;
}

function magnitudeText(r: MagnitudePruneReport): string[] {
  return [
    `sparsity ${(100 * r.sparsityAchieved).toFixed(2)} % of ${formatCount(r.weightsConsidered)} weights (asked ${(100 * r.sparsityRequested).toFixed(1)} %${r.nm ? `, ${r.nm}` : ''})`,
    `compressed ${formatBytes(r.compressedBytesBefore)} → ${formatBytes(r.compressedBytesAfter)} (deflate); dense size unchanged at ${formatBytes(r.denseBytesAfter)}`,
    'Zeros pay off in a compressed package, not in dense kernels: latency is unchanged.',
  ];
}

/** Runs the verb. */
export async function runPrune(modelPath: string, o: PruneCliOptions): Promise<void> {
  const step = pruneStep(o);
  const { run } = await runSinglePass(modelPath, step, o, 'prune', 'Prune');
  const report = run.reports[step.pass] as ChannelPruneReport | MagnitudePruneReport;
  if (o.json) {
    printJson({ output: run.outPath, sizeBytes: run.sizeBytes, pass: step.pass, target: o.target ?? null, ...report, warnings: run.warnings }, 2);
    return;
  }
  for (const w of run.warnings) printErr(`warning: ${w}`);
  const lines = report.method === 'channel' ? channelText(report) : magnitudeText(report);
  printOut([`wrote ${run.outPath} (${formatBytes(run.sizeBytes)})`, ...lines].join('\n'));
}

/** Adds `prune` to the program. */
export function registerPruneCommand(program: Command, fail: (err: unknown, json: boolean) => void): void {
  program
    .command('prune')
    .description('prune a model: zero small weights (magnitude) or remove whole channels (channel); writes a new file')
    .argument('<model>', 'path to an .onnx file (never modified)')
    .requiredOption('-o, --output <file>', 'where to write the pruned model')
    .option('--method <method>', 'channel (structured: removes work) or magnitude (zeros: smaller compressed package)', 'channel')
    .option('--sparsity <x>', 'fraction to remove: 0.3, 30 or 30% (channels per group, or weights)')
    .option('--calibration <data>', 'images (class folders), a .npy file or ONNX test_data_set_* folders')
    .option('--samples <n>', 'calibration samples to read at most (default 128)')
    .option('--recover', 'channel: re-fit the layers after the cut by least squares on the calibration data')
    .option('--criterion <c>', 'channel importance: l1, l2 (default) or activation (needs --calibration)')
    .option('--global [measure]', 'rank over the whole model; channel: measure channels (default), params or macs')
    .option('--nm <n:m>', 'magnitude: an N:M pattern, e.g. 2:4')
    .option('--skip <layers>', 'node names (or patterns with *), comma-separated or repeated, to leave alone', (v: string, prev: string[] = []) => [...prev, v])
    .option('--round-to <n>', "channel: keep channel counts a multiple of n (default: the target's channel multiple, e.g. 16 with AVX-512; 1 turns rounding off)")
    .option('--no-fold-bn', 'channel: do not fold BatchNormalization into the layer before it')
    .option('--min-weights <n>', 'magnitude: leave layers with fewer weights dense')
    .option('--target <id>', 'the target profile the variant is made for')
    .option('--json', 'print one JSON object')
    .option('--input-spec <file>', 'sizes and values of the inputs for generated data (JSON: {"inputs": {"NAME": {"shape", "value", "range", "file"}}})')
    .option('--preprocess <file>', 'how calibration images become the input (default: the family\u2019s, set with `preprocess`, else preprocess.json beside the model)')
    .option('--labels <file>', 'class names of calibration image folders (default: the family\u2019s, else labels.txt beside the model)')
    .option('-d, --dim <name=value>', 'size of a symbolic dimension (NAME=N) or of an unnamed one (INPUT:AXIS=N); repeatable', (v: string, prev: string[] = []) => [...prev, v])
    .action(async (model: string, opts: PruneCliOptions) => {
      try {
        await runPrune(model, opts);
      } catch (err) {
        fail(err, Boolean(opts.json));
      }
    });
}
