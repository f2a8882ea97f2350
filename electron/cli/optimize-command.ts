/** `deploy-studio optimize MODEL --recipe R -o OUT`: replays a recipe's passes exactly and writes a new model. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { StudioError } from '../../shared/api/errors';
import { parseRecipe } from '../../shared/recipes/recipe';
import { fileSha256, loadModelFile, registerBuiltinPasses, runRecipe } from '../engine';
import { createCliEngine, runCliJob } from './cli-engine';
import { formatBytes } from '../../shared/format/bytes';
import { printErr, printJson, printOut } from './output';

export interface OptimizeOptions {
  recipe: string;
  output: string;
  json?: boolean;
}

/** Runs the verb. */
export async function runOptimize(modelPath: string, opts: OptimizeOptions): Promise<void> {
  let text: string;
  try {
    text = fs.readFileSync(opts.recipe, 'utf8');
  } catch {
    throw new StudioError('FILE_NOT_FOUND', `Recipe ${opts.recipe} cannot be read. Save one from the Optimize screen or write it by hand.`);
  }
  const parsed = parseRecipe(text);
  if (!parsed.ok) throw new StudioError('INVALID_REQUEST', `${opts.recipe}: ${parsed.message}`);
  const source = loadModelFile(modelPath);
  const out = path.resolve(opts.output);
  if (out === source.path) throw new StudioError('ACCESS_DENIED', 'The output would overwrite the input model: choose another -o path.');
  const warnings: string[] = [];
  if (parsed.recipe.source && parsed.recipe.source.sha256 !== fileSha256(source.path)) {
    warnings.push(`The recipe was made from ${parsed.recipe.source.fileName}, not from this file: the passes still run, but results may differ.`);
  }
  registerBuiltinPasses();
  const engine = createCliEngine({ quiet: opts.json });
  const run = await runCliJob(engine, 'optimize', `Optimize ${source.fileName}`, (job) => runRecipe(engine, source, parsed.recipe, out, job, parsed.recipe.target));
  warnings.push(...run.warnings);
  const result = {
    output: run.outPath,
    sizeBytesBefore: source.fileSizeBytes + source.externalDataBytes,
    sizeBytesAfter: run.sizeBytes,
    steps: parsed.recipe.steps.map((s) => s.pass),
    reports: run.reports,
    warnings,
  };
  if (opts.json) {
    printJson(result, 2);
    return;
  }
  for (const w of warnings) printErr(`warning: ${w}`);
  printOut(`wrote ${run.outPath} (${formatBytes(run.sizeBytes)}, was ${formatBytes(result.sizeBytesBefore)}) after ${result.steps.join(' → ')}`);
}
