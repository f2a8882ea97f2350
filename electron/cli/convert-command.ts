/** `deploy-studio convert MODEL -o OUT --opset N [--json]`: writes the model converted to another ai.onnx opset, never over the input. */
import type { Command } from 'commander';
import { StudioError } from '../../shared/api/errors';
import { formatBytes } from '../../shared/format/bytes';
import { convertModelFile, LATEST_OPSET, OLDEST_DOWN_TARGET, type ConvertFileResult } from '../engine';
import { table } from './format';
import { printJson, printOut } from './output';

export interface ConvertCliOptions {
  output: string;
  opset?: string;
  json?: boolean;
}

/** Renders a conversion for a terminal: what was written, then each converted op type with its adapters. */
export function convertText(r: ConvertFileResult): string {
  const rep = r.report;
  const lines = [
    `wrote ${r.output} (${formatBytes(r.sizeBytesAfter)}${r.externalData ? `, weights in ${r.externalData}` : ''})`,
    rep.direction === 'none'
      ? `  already at ai.onnx opset ${rep.toOpset}: nothing to convert`
      : `  ai.onnx opset ${rep.fromOpset} → ${rep.toOpset}, IR version ${rep.irVersionBefore} → ${rep.irVersionAfter}; ${plural(rep.nodes, 'node')} in ${plural(rep.graphs, 'graph')}`,
  ];
  if (rep.ops.length > 0) {
    const rows = [['op type', 'nodes', 'versions', 'changes']];
    for (const op of rep.ops) {
      const adapters = Object.entries(op.adapters).map(([a, n]) => (n === op.nodes ? a : `${a} (${n})`));
      rows.push([op.opType, String(op.nodes), `${op.fromVersion} → ${op.becomes ? `${op.becomes} ` : ''}${op.toVersion}`, adapters.join('; ') || 'version only']);
    }
    lines.push('', table(rows));
  }
  for (const note of rep.notes) lines.push(`note: ${note}`);
  return lines.join('\n');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** @returns the --opset value as an integer in the converter's range. */
function parseOpset(value: string | undefined): number {
  if (value === undefined) return LATEST_OPSET;
  const n = Number(value);
  if (!Number.isInteger(n)) throw new StudioError('INVALID_REQUEST', `--opset takes an ai.onnx opset number (${OLDEST_DOWN_TARGET}–${LATEST_OPSET}), not "${value}".`);
  return n;
}

/** Runs the verb. */
export async function runConvert(modelPath: string, opts: ConvertCliOptions): Promise<void> {
  const result = await convertModelFile(modelPath, opts.output, parseOpset(opts.opset));
  if (opts.json) printJson(result, 2);
  else printOut(convertText(result));
}

/** Adds the `convert` verb to the program. */
export function registerConvertCommand(program: Command, fail: (err: unknown, json: boolean) => void): void {
  program
    .command('convert')
    .description('convert a model to another ai.onnx opset (what onnx.version_converter does) and write it to a new file')
    .argument('<model>', 'path to an .onnx file (never modified)')
    .requiredOption('-o, --output <file>', 'where to write the converted model')
    .option('--opset <n>', `the ai.onnx opset to convert to (${OLDEST_DOWN_TARGET}–${LATEST_OPSET}; default ${LATEST_OPSET})`)
    .option('--json', 'print one JSON object: the output, sizes and the per-op report')
    .action(async (model: string, opts: ConvertCliOptions) => {
      try {
        await runConvert(model, opts);
      } catch (err) {
        fail(err, Boolean(opts.json));
      }
    });
}
