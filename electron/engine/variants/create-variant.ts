/** Makes a variant: runs a recipe on a model of a family, saves it in the family's folder and registers it. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CreatedVariant, VariantDto } from '../../../shared/api/variants-api';
import type { InputSpec } from '../../../shared/api/input-spec';
import type { Recipe } from '../../../shared/recipes/recipe';
import { fileNameStem } from '../../../shared/security/untrusted-text';
import type { JobContext } from '../jobs/job-runner';
import { fileSha256, runRecipe } from '../optimize/recipe-runner';
import { DATA_USED_KEY } from '../../../shared/evaluate/data-overlap';
import { dataUsesOf, recordDataUse } from '../evaluate/data-use';
import type { StudioEngine } from '../studio-engine';
import { checkStepDataPaths } from './step-data-paths';
import type { VariantRecord, VariantStore } from './variant-store';

/** @returns a file-name-safe slug of a variant name (lower-case letters, digits and hyphens; never a path). */
export function slug(name: string): string {
  return fileNameStem(name, { max: 48, fallback: 'variant' });
}

/**
 * Runs `steps` on the model `modelId` and adds the result to its family.
 * @param name - the variant's name (defaults to the pass titles)
 * @returns the new variant and its summary
 */
export async function createVariant(
  engine: StudioEngine,
  store: VariantStore,
  modelId: string,
  steps: Recipe['steps'],
  job: JobContext,
  options: { name?: string; targetId?: string; inputSpec?: InputSpec } = {},
): Promise<CreatedVariant> {
  const source = engine.loadedModel(modelId);
  checkStepDataPaths(engine.settings, steps, source.dir);
  const { key, family } = store.familyOf(source.path);
  const parent = family.variants.find((v) => v.path === path.resolve(source.path));
  const root = family.variants[0];
  // A variant's recipe runs from the family's original: the parent's steps, then the new ones.
  const recipe: Recipe = {
    kind: 'deploy-studio-recipe',
    version: 1,
    name: options.name,
    target: options.targetId,
    source: { fileName: path.basename(root.path), sha256: fileSha256(root.path) },
    steps: [...(parent?.recipe?.steps ?? []), ...steps],
    // the spec the variant was made with travels in its recipe, so a replay generates the same inputs
    ...((options.inputSpec ?? store.inputSpecOf(source.path)) ? { inputSpec: options.inputSpec ?? store.inputSpecOf(source.path) } : {}),
  };
  const id = store.newId();
  const name = options.name?.trim() || steps.map((s) => s.pass).join(' + ');
  const outPath = path.join(store.familyDir(key), `${slug(name)}-${id.slice(4)}.onnx`);
  const run = await runRecipe(engine, source, { ...recipe, steps }, outPath, job, options.targetId);
  // which data made it (by content), so an evaluation on the same data is flagged
  const dataUsed = recordDataUse(steps, source.dir, dataUsesOf(parent?.reports, DATA_USED_KEY));
  try {
    const opened = engine.ensureOpen(run.outPath);
    const record: VariantRecord = {
      id,
      parentId: parent?.id ?? root.id,
      name,
      kind: run.produces === 'optimized' ? 'optimized' : run.produces,
      recipe,
      path: run.outPath,
      sizeBytes: run.sizeBytes,
      createdAt: new Date().toISOString(),
      reports: { ...run.reports, ...(run.warnings.length ? { warnings: run.warnings } : {}), ...(dataUsed.length ? { [DATA_USED_KEY]: dataUsed } : {}) },
    };
    store.add(key, record);
    return { variant: toDto(record, opened.modelId, root.id, opened.summary), summary: opened.summary };
  } catch (err) {
    fs.rmSync(run.outPath, { force: true });
    throw err;
  }
}

/** @returns the DTO of a stored variant with its open model's figures. */
export function toDto(record: VariantRecord, modelId: string, rootId: string, summary: { paramCount: number; nodeCount: number }): VariantDto {
  return { ...record, modelId, rootId, paramCount: summary.paramCount, nodeCount: summary.nodeCount };
}
