/** Runs a recipe: its passes in order over a private copy of a model, then saves the result atomically. */
import { clone } from '@bufbuild/protobuf';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import { StudioError } from '../../../shared/api/errors';
import type { Recipe } from '../../../shared/recipes/recipe';
import type { JobContext } from '../jobs/job-runner';
import { mapClonedTensors } from '../onnx/ir/model-ir';
import type { LoadedModel } from '../onnx/load';
import type { ExternalRef } from '../onnx/external-data';
import { ModelProtoSchema, type ModelProto, type TensorProto } from '../onnx/proto';
import { saveModel } from '../onnx/save';
import type { StudioEngine } from '../studio-engine';
import { runtimeFor } from '../runtime/engine-runtime';
import { declaredInputs } from '../runtime/inputs/input-spec';
import { resolveInputs } from '../runtime/inputs/spec-resolve';
import { explainGuesses } from '../runtime/runtime-service';
import { profileStore } from '../targets/target-services';
import { variantStore } from '../variants/variant-family';
import { familyConfigDirs } from '../runtime/inputs/preprocess-state';
import { findPass, passIds, type Pass } from './pass';
import { checkPassSize, storedSize } from './size-guard';

export interface RecipeRun {
  outPath: string;
  sizeBytes: number;
  reports: Record<string, unknown>;
  warnings: string[];
  produces: Pass['produces'];
}

/** Tensors at least this large go to an external data file when the output would pass protobuf's 2 GB limit. */
const EXTERNAL_THRESHOLD = 1024;

/**
 * Checks every step names a known pass and has valid options, before any work starts.
 * @throws StudioError `INVALID_REQUEST` naming the step and the field
 */
export function validateRecipe(recipe: Recipe): void {
  recipe.steps.forEach((step, i) => {
    const pass = findPass(step.pass);
    if (!pass) {
      throw new StudioError('INVALID_REQUEST', `Recipe step ${i + 1} names an unknown pass "${step.pass}". Known passes: ${passIds().join(', ') || 'none'}.`);
    }
    const parsed = pass.options.safeParse(step.options);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new StudioError('INVALID_REQUEST', `Recipe step ${i + 1} (${step.pass}): option ${issue.path.join('.') || '(options)'}: ${issue.message}.`);
    }
  });
}

/** @returns the SHA-256 of a file, hex. */
export function fileSha256(file: string): string {
  const hash = crypto.createHash('sha256');
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    let n: number;
    while ((n = fs.readSync(fd, buf, 0, buf.length, null)) > 0) hash.update(buf.subarray(0, n));
  } finally {
    fs.closeSync(fd);
  }
  return hash.digest('hex');
}

/**
 * Runs the recipe on a model and writes the result to `outPath` (never over the source).
 * @param source - the loaded source model (left untouched)
 * @param recipe - the steps
 * @param outPath - the new model file
 * @param job - the job context (progress, cancel, log)
 * @param configDirs - folders whose `preprocess.json`/`labels.txt` come before the family's (the CLI's `--preprocess`, `--labels`)
 * @returns where the result went and each pass's report
 */
export async function runRecipe(
  engine: StudioEngine,
  source: LoadedModel,
  recipe: Recipe,
  outPath: string,
  job: JobContext,
  targetId?: string,
  configDirs: string[] = [],
): Promise<RecipeRun> {
  validateRecipe(recipe);
  const proto = clone(ModelProtoSchema, source.proto);
  let current: { proto: ModelProto; external: ReadonlyMap<TensorProto, ExternalRef> } = {
    proto,
    external: mapClonedTensors(source.proto, proto, source.external),
  };
  const reports: Record<string, unknown> = {};
  const warnings: string[] = [];
  let produces: Pass['produces'] = 'optimized';
  const steps = recipe.steps.length;
  for (let i = 0; i < steps; i++) {
    job.throwIfCancelled();
    const step = recipe.steps[i];
    const pass = findPass(step.pass)!;
    const options = pass.options.parse(step.options);
    job.log(`step ${i + 1}/${steps}: ${pass.title}`);
    const progress = (f: number, stage?: string) => job.progress((i + Math.max(0, Math.min(1, f))) / (steps + 0.1), stage ?? pass.title);
    progress(0, pass.title);
    const sizeBefore = storedSize(current.proto, current.external);
    const inputSpec = recipe.inputSpec ?? variantStore(engine).inputSpecOf(source.path);
    // sizes and values the studio would guess for generated inputs: named in the error when a pass on them fails
    const guesses = 'calibration' in options && options.calibration ? [] : resolveInputs(declaredInputs(current.proto), inputSpec, {}, { proto: current.proto }).guesses;
    const out = await pass
      .run({ proto: current.proto, external: current.external, sourceDir: source.dir, sourceName: source.fileName, configDirs: [...configDirs, ...familyConfigDirs(engine, source.path).dirs] }, options, {
        job,
        profiles: profileStore(engine),
        inputSpec,
        runtime: runtimeFor(engine).models,
        targetId,
        progress,
      })
      .catch((err: unknown) => {
        throw explainGuesses(err, guesses);
      });
    checkPassSize(pass, sizeBefore, storedSize(out.proto, current.external), out.report);
    reports[steps > 1 ? `${i + 1}:${pass.id}` : pass.id] = out.report;
    for (const w of out.warnings ?? []) {
      warnings.push(w);
      job.log(`warning: ${w}`);
    }
    current = { proto: out.proto, external: current.external };
    produces = pass.produces;
  }
  job.throwIfCancelled();
  job.progress(steps / (steps + 0.1), 'saving');
  const saved = await saveModel(current.proto, outPath, {
    sourceExternal: current.external,
    protect: [source.path],
    signal: job.signal,
  }).catch(async (err: unknown) => {
    if (err instanceof StudioError && err.code === 'MODEL_TOO_LARGE') {
      return saveModel(current.proto, outPath, {
        sourceExternal: current.external,
        protect: [source.path],
        signal: job.signal,
        externalData: { location: `${outPath.split(/[\\/]/).pop()}.data`, sizeThreshold: EXTERNAL_THRESHOLD },
      });
    }
    throw err;
  });
  return { outPath: saved.path, sizeBytes: saved.modelBytes + saved.externalBytes, reports, warnings, produces };
}
