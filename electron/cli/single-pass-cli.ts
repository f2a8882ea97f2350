/** Runs one pass from the command line: checks the step and target, then writes the result to `-o` (never over the input). */
import * as path from 'node:path';
import { StudioError } from '../../shared/api/errors';
import type { RecipeStep } from '../../shared/recipes/recipe';
import { type LoadedModel, loadModelFile, ProfileStore, type RecipeRun, registerBuiltinPasses, runRecipe, userDataDir, validateRecipe } from '../engine';
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
  o: { output: string; target?: string; json?: boolean } & InputSpecFlags,
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
  const run = await runCliJob(engine, kind, `${verb} ${source.fileName}`, (job) => runRecipe(engine, source, recipe, out, job, o.target));
  return { source, run };
}
