/** Runs one pass from the command line: checks the step and target, then writes the result to `-o` (never over the input). */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseLabelsText } from '../../shared/api/labels';
import { StudioError } from '../../shared/api/errors';
import type { RecipeStep } from '../../shared/recipes/recipe';
import { type LoadedModel, loadModelFile, ProfileStore, readPreprocessConfig, type RecipeRun, registerBuiltinPasses, runRecipe, userDataDir, validateRecipe } from '../engine';
import { createCliEngine, runCliJob } from './cli-engine';
import { readInputSpecFlags, type InputSpecFlags } from './input-spec-cli';

/**
 * Validates a one-step recipe, loads the model and runs the step as a job with progress on stderr.
 * @param kind - the job kind and the verb in the job title (`prune`, `quantize`)
 * @returns the source model and what the run wrote
 * @throws StudioError for a bad step, an unknown target, or an output path that is the input model
 */
export async function runSinglePass(
  modelPath: string,
  step: RecipeStep,
  o: { output: string; target?: string; json?: boolean; preprocess?: string; labels?: string } & InputSpecFlags,
  kind: string,
  verb: string,
): Promise<{ source: LoadedModel; run: RecipeRun }> {
  registerBuiltinPasses();
  const { spec } = readInputSpecFlags(o);
  const recipe = { kind: 'deploy-studio-recipe' as const, version: 1 as const, ...(o.target ? { target: o.target } : {}), steps: [step], ...(spec ? { inputSpec: spec } : {}) };
  validateRecipe(recipe);
  if (o.target) await new ProfileStore(userDataDir()).get(o.target);
  const source = loadModelFile(modelPath);
  const out = path.resolve(o.output);
  if (out === source.path) throw new StudioError('ACCESS_DENIED', 'The output would overwrite the input model: choose another -o path.');
  const engine = createCliEngine({ quiet: o.json });
  const staged = stageDataConfig(o);
  try {
    const run = await runCliJob(engine, kind, `${verb} ${source.fileName}`, (job) => runRecipe(engine, source, recipe, out, job, o.target, staged ? [staged] : []));
    return { source, run };
  } finally {
    if (staged) fs.rmSync(staged, { recursive: true, force: true });
  }
}

/**
 * Checks `--preprocess FILE` and `--labels FILE` and copies them into a fresh folder as `preprocess.json` and
 * `labels.txt`, which calibration images then read before the family's settings.
 * @returns the folder, or null when neither flag was given
 * @throws StudioError `INVALID_INPUT` for an invalid config or labels file
 */
function stageDataConfig(o: { preprocess?: string; labels?: string }): string | null {
  if (!o.preprocess && !o.labels) return null;
  const config = o.preprocess ? readPreprocessConfig(path.resolve(o.preprocess)) : null;
  let labels: string[] | null = null;
  if (o.labels) {
    try {
      labels = parseLabelsText(fs.readFileSync(path.resolve(o.labels), 'utf8'));
    } catch (err) {
      throw new StudioError('INVALID_INPUT', `--labels ${o.labels}: ${(err as Error).message}`);
    }
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-data-config-'));
  if (config) fs.writeFileSync(path.join(dir, 'preprocess.json'), JSON.stringify(config));
  if (labels) fs.writeFileSync(path.join(dir, 'labels.txt'), `${labels.join('\n')}\n`);
  return dir;
}
