/** `deploy-studio export MODEL --format tflite -o OUT.tflite [--json]`: converts to TensorFlow Lite and checks the file. */
import type { Command } from 'commander';
import { StudioError } from '../../shared/api/errors';
import { formatBytes } from '../../shared/format/bytes';
import { exportTflite, RuntimeService, type TfliteExportResult } from '../engine';
import { table } from './format';
import { clearStatus, printJson, printOut, showStatus } from './output';

export interface ExportCliOptions {
  format: string;
  output: string;
  layout?: string;
  samples?: string;
  check?: boolean;
  json?: boolean;
}

function fixed(x: number, digits: number): string {
  return Number.isFinite(x) ? x.toExponential(digits) : String(x);
}

/** Renders an export for a terminal: the file, its operators, then the check's figures with their sample count. */
export function exportText(r: TfliteExportResult): string {
  const ops = Object.entries(r.operators).map(([op, n]) => `${op} ×${n}`).join(', ');
  const lines = [
    `wrote ${r.outPath} (${formatBytes(r.bytes)})`,
    `  inputs: ${r.inputs.map((i) => `${i.name} [${i.shape.join(', ')}] ${i.type} ${i.layout}`).join('; ')}`,
    `  outputs: ${r.outputs.map((o) => `${o.name} [${o.shape.join(', ')}] ${o.type}`).join('; ')}`,
    `  operators: ${ops}`,
  ];
  const c = r.check;
  if (!c) lines.push('check: skipped (--no-check)');
  else if (!c.ran) lines.push(`check: ${c.message}`);
  else {
    lines.push(`check: ${c.checker} vs onnxruntime on ${c.inputs}`);
    const rows = [['output', 'samples', 'max abs error', 'output range', 'relative', 'SNR (dB)', 'top-1 agreement']];
    for (const o of c.outputs) {
      rows.push([o.name, String(o.samples), fixed(o.maxAbsError, 2), o.outputRange.toPrecision(4), fixed(o.relativeMaxError, 2), Number.isFinite(o.snrDb) ? o.snrDb.toFixed(1) : 'identical', o.top1Agreement === undefined ? '—' : `${(o.top1Agreement * 100).toFixed(1)} % of ${o.samples}`]);
    }
    lines.push(table(rows));
  }
  return lines.join('\n');
}

/** Runs the verb. */
export async function runExport(modelPath: string, opts: ExportCliOptions): Promise<void> {
  if (opts.format !== 'tflite') throw new StudioError('INVALID_REQUEST', `--format ${opts.format} is not supported; the only export format is tflite.`);
  const layout = opts.layout ?? 'nchw';
  if (layout !== 'nchw' && layout !== 'nhwc') throw new StudioError('INVALID_REQUEST', `--layout takes nchw or nhwc, not "${layout}".`);
  const samples = opts.samples === undefined ? 8 : Number(opts.samples);
  if (!Number.isInteger(samples) || samples < 1) throw new StudioError('INVALID_REQUEST', `--samples takes a positive whole number, not "${opts.samples}".`);
  const runtime = new RuntimeService();
  try {
    const onProgress = opts.json ? undefined : (_f: number, stage: string): void => showStatus(`${stage}…`);
    const result = await exportTflite(runtime, { modelPath, outPath: opts.output, ioLayout: layout, samples, check: opts.check !== false }, { onProgress });
    clearStatus();
    if (opts.json) printJson(result, 2);
    else printOut(exportText(result));
  } finally {
    runtime.dispose();
  }
}

/** Adds the `export` verb to the program. */
export function registerExportCommand(program: Command, fail: (err: unknown, json: boolean) => void): void {
  program
    .command('export')
    .description('convert a model to TensorFlow Lite and check the file in Arm NN (python3-pyarmnn) against onnxruntime')
    .argument('<model>', 'path to an .onnx file (never modified)')
    .requiredOption('--format <format>', 'the target format: tflite')
    .requiredOption('-o, --output <file>', 'the new .tflite file (an existing file is never replaced)')
    .option('--layout <layout>', 'layout of 4-D inputs and outputs: nchw (as in ONNX, default) or nhwc (TFLite\'s own)')
    .option('--samples <n>', 'generated inputs the check compares on (default 8)')
    .option('--no-check', 'write the file without running it')
    .option('--json', 'print one JSON object: the file, its inputs, outputs, operators and the check\'s figures')
    .action(async (model: string, opts: ExportCliOptions) => {
      try {
        await runExport(model, opts);
      } catch (err) {
        fail(err, Boolean(opts.json));
      }
    });
}
