/** `deploy-studio distill STUDENT --teacher T --data D -o OUT …`: trains the student to match the teacher; writes a new file. */
import type { Command } from 'commander';
import * as path from 'node:path';
import { StudioError } from '../../shared/api/errors';
import { formatBytes } from '../../shared/format/bytes';
import { formatCount } from '../../shared/format/count';
import type { RecipeStep } from '../../shared/recipes/recipe';
import type { DistillReport } from '../engine';
import { supportedGradOps } from '../engine';
import { table } from './format';
import { printErr, printJson, printOut } from './output';
import { runSinglePass } from './single-pass-cli';

export interface DistillCliOptions {
  output: string;
  teacher: string;
  data: string;
  labels?: string;
  val?: string;
  valLabels?: string;
  limit?: string;
  epochs?: string;
  lr?: string;
  batch?: string;
  temperature?: string;
  alpha?: string;
  optimizer?: string;
  seed?: string;
  json?: boolean;
}

function num(value: string | undefined, flag: string, integer = false): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n))) throw new StudioError('INVALID_REQUEST', `${flag} takes ${integer ? 'a whole number' : 'a number'}, not "${value}".`);
  return n;
}

/** Turns the flags into the `distill` step (its options are validated by the pass's schema). */
export function distillStep(o: DistillCliOptions): RecipeStep {
  const opt = (k: string, v: unknown) => (v === undefined ? {} : { [k]: v });
  return {
    pass: 'distill',
    options: {
      teacher: path.resolve(o.teacher),
      data: { path: path.resolve(o.data), ...opt('labelsPath', o.labels && path.resolve(o.labels)), ...opt('limit', num(o.limit, '--limit', true)) },
      ...(o.val ? { val: { path: path.resolve(o.val), ...opt('labelsPath', o.valLabels && path.resolve(o.valLabels)) } } : {}),
      ...opt('epochs', num(o.epochs, '--epochs', true)),
      ...opt('learningRate', num(o.lr, '--lr')),
      ...opt('batch', num(o.batch, '--batch', true)),
      ...opt('temperature', num(o.temperature, '--temperature')),
      ...opt('alpha', num(o.alpha, '--alpha')),
      ...opt('optimizer', o.optimizer),
      ...opt('seed', num(o.seed, '--seed', true)),
    },
  };
}

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(2)} %`);

/** Renders the report for a terminal: the epochs with loss and validation, and the epoch kept. */
export function distillText(r: DistillReport): string[] {
  const s = r.settings;
  const lines = [
    `trained ${formatCount(r.trainable.params)} weights in ${r.trainable.tensors} tensors on ${formatCount(r.trainItems)} items: ${s.epochs} epochs, batch ${s.batch}, ${s.optimizer.kind} lr ${s.optimizer.learningRate}, temperature ${s.temperature}${s.alpha ? `, labels weight ${s.alpha}` : ', no labels'}`,
  ];
  const rows = [['epoch', 'loss', 'items/s', 'val top-1', 'val agreement', 'val items']];
  if (r.before) rows.push(['before', '', '', pct(r.before.top1), pct(r.before.agreement), String(r.before.items)]);
  for (const e of r.epochs) rows.push([`${e.epoch}${e.epoch === r.keptEpoch ? ' (kept)' : ''}`, e.trainLoss.toFixed(4), String(Math.round(e.itemsPerSecond)), pct(e.val?.top1 ?? null), pct(e.val?.agreement ?? null), String(e.val?.items ?? '')]);
  lines.push(table(rows));
  if (r.before && r.before.items < 100) lines.push(`note: validation on ${r.before.items} items only: its figures are noisy.`);
  return lines;
}

/** Runs the verb. */
export async function runDistill(modelPath: string, o: DistillCliOptions): Promise<void> {
  const step = distillStep(o);
  const { run } = await runSinglePass(modelPath, step, o, 'distill', 'Distil');
  const report = run.reports.distill as DistillReport & { teacher: string };
  if (o.json) {
    printJson({ output: run.outPath, sizeBytes: run.sizeBytes, ...report, warnings: run.warnings }, 2);
    return;
  }
  for (const w of run.warnings) printErr(`warning: ${w}`);
  printOut([`wrote ${run.outPath} (${formatBytes(run.sizeBytes)}), distilled from ${report.teacher}`, ...distillText(report)].join('\n'));
}

/** Adds `distill` to the program. */
export function registerDistillCommand(program: Command, fail: (err: unknown, json: boolean) => void): void {
  program
    .command('distill')
    .description(`train a model (a pruned or converted variant) to match a teacher's outputs on your data; writes a new file. Trains through: ${supportedGradOps().join(', ')}`)
    .argument('<student>', 'the model to train (never modified)')
    .requiredOption('--teacher <model>', 'the model whose outputs the student learns (usually the original)')
    .requiredOption('--data <path>', 'training data: a folder of images (class folders) or a .npy file; labels are not needed')
    .requiredOption('-o, --output <file>', 'where to write the trained student')
    .option('--labels <file>', 'class indices (.npy) for .npy training data, used with --alpha')
    .option('--val <path>', 'held-out validation data, checked after each epoch; the best epoch is kept')
    .option('--val-labels <file>', 'class indices (.npy) for .npy validation data')
    .option('--limit <n>', 'train on at most n items (a seeded random choice)')
    .option('--epochs <n>', 'passes over the training data (default 5)')
    .option('--lr <x>', 'learning rate (default 0.003, cosine decay)')
    .option('--batch <n>', 'items per step (default 64)')
    .option('--temperature <t>', 'softening temperature (default 4)')
    .option('--alpha <a>', 'weight of the cross-entropy with labels (default 0: the teacher alone)')
    .option('--optimizer <name>', 'adam or sgd (default adam)')
    .option('--seed <n>', 'shuffling seed (default 1)')
    .option('--json', 'print one JSON object: the output, the epochs and the validation figures')
    .action(async (model: string, opts: DistillCliOptions) => {
      try {
        await runDistill(model, opts);
      } catch (err) {
        fail(err, Boolean(opts.json));
      }
    });
}
