/**
 * `deploy-studio preprocess MODEL [--show] [--set FILE | --preset P] [--imagenet-crop] [--labels FILE] [--clear] [--json]`:
 * the preprocessing and labels a model's family runs with (the Model place's editor, for pipelines).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { StudioError } from '../../shared/api/errors';
import { parseLabelsText } from '../../shared/api/labels';
import type { PreprocessConfig } from '../../shared/api/preprocess';
import type { PreprocessStateDto } from '../../shared/api/preprocess-api';
import { NORMALIZATION_PRESETS, withImagenetGeometry, withNormalization, type NormalizationPreset } from '../../shared/api/preprocess-presets';
import { readPreprocessConfig } from '../engine';
import { createCliEngine } from './cli-engine';
import { printJson, printOut } from './output';

/** The verb's options. */
export interface PreprocessFlags {
  set?: string;
  preset?: string;
  imagenetCrop?: boolean;
  labels?: string;
  clear?: boolean;
  clearLabels?: boolean;
  json?: boolean;
}

const ORIGIN = { family: 'set in the studio', file: 'a file beside the model', guess: 'a guess from the input shape', none: 'none' } as const;

/** @returns the state as lines for the terminal. */
export function preprocessText(s: PreprocessStateDto): string {
  const p = s.preprocess;
  const lines = [`preprocessing: ${ORIGIN[s.preprocessOrigin]}${s.preprocessSource && s.preprocessOrigin !== 'guess' ? ` (${s.preprocessSource})` : ''}`];
  if (p) {
    const size = p.resize ? `resize ${p.resize.mode} ${p.resize.width}×${p.resize.height}` : 'no resize';
    lines.push(`  ${p.layout}, ${p.channels}, ${size}${p.crop ? `, centre crop ${p.crop.width}×${p.crop.height}` : ''}`);
    lines.push(`  (pixel / ${p.scale} - mean ${JSON.stringify(p.mean ?? [0])}) / std ${JSON.stringify(p.std ?? [1])}`);
  }
  if (s.preprocessOrigin === 'guess') lines.push(`  ${s.guessWhy}`);
  if (s.preprocessFileError) lines.push(`  ignored: ${s.preprocessFileError}`);
  const out = s.classOutput ? ` (output "${s.classOutput.name}": ${s.classOutput.classes ?? '?'} classes${s.labelsMatch === false ? ', does not match' : ''})` : '';
  lines.push(`labels: ${s.labels ? `${s.labels.length}, ${ORIGIN[s.labelsOrigin]}${out}` : 'none'}`);
  return lines.join('\n');
}

function readLabelsFile(file: string): string[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new StudioError('FILE_NOT_FOUND', `The labels file ${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}).`);
  }
  try {
    return parseLabelsText(text);
  } catch (err) {
    throw new StudioError('INVALID_INPUT', `${file}: ${(err as Error).message}`);
  }
}

/** Runs the verb. */
export async function runPreprocess(model: string, o: PreprocessFlags): Promise<void> {
  if (o.set && o.preset) throw new StudioError('INVALID_REQUEST', 'Give --set FILE or --preset NAME, not both.');
  if (o.clear && (o.set || o.preset)) throw new StudioError('INVALID_REQUEST', '--clear forgets the saved preprocessing: give it without --set or --preset.');
  const preset = o.preset ? NORMALIZATION_PRESETS.find((p) => p.id === o.preset) : undefined;
  if (o.preset && !preset) throw new StudioError('INVALID_REQUEST', `Unknown --preset ${o.preset}: use ${NORMALIZATION_PRESETS.map((p) => p.id).join(', ')}.`);
  const engine = createCliEngine({ quiet: true });
  const { modelId } = await engine.call('openModel', { path: path.resolve(model) });
  let state = await engine.call('getPreprocessState', { modelId });
  let preprocess: PreprocessConfig | null | undefined;
  if (o.set) preprocess = readPreprocessConfig(path.resolve(o.set));
  else if (o.clear) preprocess = null;
  else if (preset || o.imagenetCrop) {
    const base = state.preprocess ?? state.guess;
    if (!base) throw new StudioError('INVALID_INPUT', state.guessWhy);
    preprocess = preset ? withNormalization(base, preset.id as NormalizationPreset['id']) : base;
    if (o.imagenetCrop) {
      const s = state.imageInput?.shape ?? [];
      const [h, w] = base.layout === 'NHWC' ? [s[1], s[2]] : [s[2], s[3]];
      if (typeof h !== 'number' || typeof w !== 'number') throw new StudioError('INVALID_REQUEST', '--imagenet-crop needs an input of fixed height and width: give --set FILE with a crop instead.');
      preprocess = withImagenetGeometry(preprocess, { width: w, height: h });
    }
  }
  const labels = o.labels ? readLabelsFile(path.resolve(o.labels)) : o.clearLabels ? null : undefined;
  if (preprocess !== undefined || labels !== undefined) state = await engine.call('setPreprocessState', { modelId, ...(preprocess !== undefined ? { preprocess } : {}), ...(labels !== undefined ? { labels } : {}) });
  if (o.json) printJson(state, 2);
  else printOut(preprocessText(state));
}

/**
 * Adds `preprocess`.
 * @param fail - prints an error the CLI's way and sets the exit code
 */
export function registerPreprocessCommand(program: Command, fail: (err: unknown, json: boolean) => void): void {
  program
    .command('preprocess')
    .description('show or set the preprocessing and labels a model and its variants run with (Demo, run, compare, calibration, package)')
    .argument('<model>', 'path to an .onnx file')
    .option('--set <file>', 'a preprocessing config: {"layout", "channels", "resize": {"width", "height", "mode"}, "crop", "scale", "mean", "std"}')
    .option('--preset <name>', `pixel values: ${NORMALIZATION_PRESETS.map((p) => `${p.id} (${p.label})`).join(', ')}; size and layout stay as they are (or as guessed)`)
    .option('--imagenet-crop', 'resize the shorter side to size × 256/224, then centre-crop the input size')
    .option('--labels <file>', 'class names: .txt (one a line) or .json (a list, {"0": "name"} or {"name": 0})')
    .option('--clear', 'forget the saved preprocessing (a preprocess.json beside the model, else the guess, applies again)')
    .option('--clear-labels', 'forget the saved labels')
    .option('--json', 'print the state as JSON')
    .action(async (model: string, opts: PreprocessFlags) => {
      try {
        await runPreprocess(model, opts);
      } catch (err) {
        fail(err, Boolean(opts.json));
      }
    });
}
