/** `deploy-studio quantize MODEL -o OUT --mode dynamic|static|fp16 …`: writes a quantized copy, never the input. */
import type { InputSpecFlags } from './input-spec-cli';
import type { Command } from 'commander';
import * as path from 'node:path';
import { StudioError } from '../../shared/api/errors';
import type { RecipeStep } from '../../shared/recipes/recipe';
import { runSinglePass } from './single-pass-cli';
import { quantizeText } from './quantize-text';
import { printErr, printJson, printOut } from './output';

export interface QuantizeCliOptions extends InputSpecFlags {
  output: string;
  mode: string;
  calibration?: string;
  calibrationLimit?: string;
  method?: string;
  percentile?: string;
  perChannel?: boolean;
  perTensor?: boolean;
  symmetric?: boolean;
  reduceRange?: boolean;
  format?: string;
  exclude?: string[];
  includeOps?: string;
  maxDrop?: string;
  relativeDrop?: boolean;
  eval?: string;
  evalLimit?: string;
  maxReverts?: string;
  errorItems?: string;
  keepIoTypes?: boolean;
  blockOps?: string;
  target?: string;
  json?: boolean;
  fidelityMetric?: string;
  minSnr?: string;
  minAgreement?: string;
  guard?: boolean;
  fusedOnly?: boolean;
}

const PASS_OF: Record<string, string> = { static: 'quantize-static', dynamic: 'quantize-dynamic', fp16: 'convert-fp16' };

function int(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new StudioError('INVALID_REQUEST', `${flag} takes a number, not "${value}".`);
  return n;
}

/**
 * Parses `--max-drop` like `deploy-studio search` does: a fraction (`0.01`) or percentage points (`1%`) of top-1; with
 * `--relative-drop`, the same figure relative to the float model's value.
 * @returns the pass options (the drop in points, or in percent of the float value)
 */
function maxDrop(value: string | undefined, relative: boolean | undefined): { maxDrop?: number; maxDropRelative?: boolean } {
  if (value === undefined) return {};
  const text = value.trim();
  const pct = text.endsWith('%');
  const n = Number(pct ? text.slice(0, -1) : text);
  if (!Number.isFinite(n) || n < 0 || (pct ? n >= 100 : n >= 1)) {
    throw new StudioError('INVALID_REQUEST', `--max-drop takes a fraction such as 0.01 or a percentage such as 1%, below 100 %; got "${value}".`);
  }
  return { maxDrop: pct ? n : n * 100, maxDropRelative: Boolean(relative) };
}

const list = (v: string | undefined) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : undefined);

/** Turns the flags into the pass step (the pass's schema validates the rest). */
export function quantizeStep(o: QuantizeCliOptions): RecipeStep {
  const pass = PASS_OF[o.mode];
  if (!pass) throw new StudioError('INVALID_REQUEST', `--mode takes static, dynamic or fp16, not "${o.mode}".`);
  const exclude = o.exclude?.flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
  if (o.mode === 'fp16') {
    for (const [flag, v] of Object.entries({ '--calibration': o.calibration, '--method': o.method, '--format': o.format, '--max-drop': o.maxDrop })) {
      if (v !== undefined) throw new StudioError('INVALID_REQUEST', `${flag} applies to int8 quantization, not to --mode fp16.`);
    }
    return { pass, options: { ...(o.keepIoTypes === false ? { keepIoTypes: false } : {}), ...(o.blockOps ? { blockOps: list(o.blockOps) } : {}), ...(exclude ? { exclude } : {}) } };
  }
  if (o.perChannel && o.perTensor) throw new StudioError('INVALID_REQUEST', 'Give either --per-channel or --per-tensor, not both.');
  const options: Record<string, unknown> = {
    ...(o.calibration ? { calibration: path.resolve(o.calibration) } : {}),
    ...(o.calibrationLimit ? { calibrationLimit: int(o.calibrationLimit, '--calibration-limit') } : {}),
    ...(o.perChannel ? { perChannel: true } : o.perTensor ? { perChannel: false } : {}),
    ...(o.reduceRange !== undefined ? { reduceRange: o.reduceRange } : {}),
    ...(exclude ? { exclude } : {}),
    ...(o.includeOps ? { includeOps: list(o.includeOps) } : {}),
    ...(o.errorItems ? { errorItems: int(o.errorItems, '--error-items') } : {}),
    ...maxDrop(o.maxDrop, o.relativeDrop),
    ...(o.eval ? { eval: o.eval === 'random' ? 'random' : path.resolve(o.eval) } : {}),
    ...(o.evalLimit ? { evalLimit: int(o.evalLimit, '--eval-limit') } : {}),
    ...(o.maxReverts ? { maxReverts: int(o.maxReverts, '--max-reverts') } : {}),
  };
  if (o.mode === 'static') {
    Object.assign(options, {
      ...(o.format ? { format: o.format.toLowerCase() } : {}),
      ...(o.method ? { method: o.method } : {}),
      ...(o.percentile ? { percentile: int(o.percentile, '--percentile') } : {}),
      ...(o.symmetric ? { symmetric: true } : {}),
      ...(o.fidelityMetric ? { fidelityMetric: o.fidelityMetric } : {}),
      ...(o.minSnr ? { minSnrDb: int(o.minSnr, '--min-snr') } : {}),
      ...(o.minAgreement ? { minAgreement: int(o.minAgreement.replace(/%$/, ''), '--min-agreement') } : {}),
      ...(o.guard === false ? { guard: false } : {}),
      ...(o.fusedOnly !== undefined ? { fusedOnly: o.fusedOnly } : {}),
    });
  } else if (o.format || o.method || o.symmetric || o.percentile || o.fidelityMetric || o.minSnr || o.minAgreement) {
    throw new StudioError('INVALID_REQUEST', '--format, --method, --percentile, --symmetric and the fidelity guard\'s flags apply to --mode static; dynamic quantization computes activation ranges at run time.');
  }
  return { pass, options };
}

/** Runs the verb. */
export async function runQuantize(modelPath: string, o: QuantizeCliOptions): Promise<void> {
  const step = quantizeStep(o);
  const { source, run } = await runSinglePass(modelPath, step, o, 'quantize', 'Quantize');
  const report = (run.reports[step.pass] ?? {}) as Record<string, unknown>;
  const sizeBytesBefore = source.fileSizeBytes + source.externalDataBytes;
  const keptFloat = ((report.keptFloat as Array<{ node: string }> | undefined) ?? []).map((k) => k.node);
  if (o.json) {
    const result = {
      output: run.outPath,
      mode: o.mode,
      pass: step.pass,
      target: o.target ?? null,
      sizeBytesBefore,
      sizeBytesAfter: run.sizeBytes,
      sizeRatio: run.sizeBytes / Math.max(1, sizeBytesBefore),
      quantizedNodeCount: report.quantizedNodeCount ?? report.convertedNodeCount ?? 0,
      keptFloat,
      status: report.status ?? 'ok',
      ...(report.fidelity ? { fidelity: report.fidelity } : {}),
      errorTable: report.errorTable ?? [],
      report,
      warnings: run.warnings,
    };
    printJson(result, 2);
    return;
  }
  for (const w of run.warnings) printErr(`warning: ${w}`);
  printOut(quantizeText(run.outPath, sizeBytesBefore, run.sizeBytes, report));
}

/** Adds `quantize` to the program. */
export function registerQuantizeCommand(program: Command, fail: (err: unknown, json: boolean) => void): void {
  program
    .command('quantize')
    .description('quantize a model: static int8 (calibrated QDQ), dynamic int8, or fp16; writes a new file')
    .argument('<model>', 'path to an .onnx file (never modified)')
    .requiredOption('-o, --output <file>', 'where to write the quantized model')
    .option('--mode <mode>', 'static (int8, calibrated), dynamic (int8 weights, activations at run time) or fp16', 'static')
    .option('--calibration <data>', 'calibration data: images in class folders, a .npy file or ONNX test_data_set_* folders (random data with a warning when left out)')
    .option('--calibration-limit <n>', 'calibration items to read at most (default 512)')
    .option('--method <m>', 'static: minmax, percentile, entropy (KL) or mse (default from the target; this host: mse)')
    .option('--percentile <p>', 'static, percentile method: the percentile kept (default 99.999)')
    .option('--per-channel', 'one scale per output channel of the weights (default)')
    .option('--per-tensor', 'one scale per weight tensor')
    .option('--symmetric', 'static: symmetric activations (keeps Relu/Clip as separate ops)')
    .option('--reduce-range', '7-bit weights (default for U8S8 on x86 without VNNI)')
    .option('--no-reduce-range', 'full 8-bit weights')
    .option('--format <f>', 'static: s8s8, u8s8 or u8u8 (default from the target)')
    .option('--exclude <nodes>', 'node names or /regex/ to keep in float, comma-separated or repeated', (v: string, prev: string[] = []) => [...prev, v])
    .option('--include-ops <ops>', 'op types to quantize, comma-separated')
    .option('--max-drop <x>', 'accuracy-aware: the largest top-1 drop, a fraction (0.01) or points (1%)')
    .option('--relative-drop', 'accuracy-aware: --max-drop is relative to the float model\'s value')
    .option('--eval <data>', 'accuracy-aware: validation data (labelled: top-1; else agreement with float; "random" for random inputs)')
    .option('--eval-limit <n>', 'validation items read at most (default 1000)')
    .option('--max-reverts <n>', 'accuracy-aware: nodes reverted to float at most (default 40)')
    .option('--fidelity-metric <m>', 'static: the fidelity guard\'s metric: auto (agreement for class scores, SNR for dense maps and sequences), top1, agreement, top5 or snr (default auto)')
    .option('--min-snr <dB>', 'static: the guard\'s minimum output SNR in dB (default 20)')
    .option('--min-agreement <pct>', 'static: the guard\'s minimum top-1/top-5 agreement in percent (default 97)')
    .option('--fused-only', 'static: leave in float the Add/Mul/Pool/Concat nodes whose neighbours stay float (default off: measured slower here)')
    .option('--no-fused-only', 'static: quantize every supported op, even where it only adds conversions')
    .option('--no-guard', 'static: skip the fidelity guard (no evaluation, no nodes kept in float for it)')
    .option('--error-items <n>', 'items compared float vs quantized for the error table (default 32; 0 skips it)')
    .option('--no-keep-io-types', 'fp16: make the model inputs and outputs float16 too')
    .option('--block-ops <ops>', 'fp16: op types kept in float32, comma-separated (replaces the default list)')
    .option('--target <id>', 'the target profile whose defaults apply')
    .option('--json', 'print one JSON object')
    .option('--input-spec <file>', 'sizes and values of the inputs for generated data (JSON: {"inputs": {"NAME": {"shape", "value", "range", "file"}}})')
    .option('--preprocess <file>', 'how calibration images become the input (default: the family\u2019s, set with `preprocess`, else preprocess.json beside the model)')
    .option('--labels <file>', 'class names of calibration image folders (default: the family\u2019s, else labels.txt beside the model)')
    .option('-d, --dim <name=value>', 'size of a symbolic dimension (NAME=N) or of an unnamed one (INPUT:AXIS=N); repeatable', (v: string, prev: string[] = []) => [...prev, v])
    .action(async (model: string, opts: QuantizeCliOptions) => {
      try {
        await runQuantize(model, opts);
      } catch (err) {
        fail(err, Boolean(opts.json));
      }
    });
}
