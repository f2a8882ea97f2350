/** API handlers of optimization: list passes, run passes or a recipe as a job that makes a variant. */
import type { FeatureHandlers, StudioEngine } from '../studio-engine';
import { createVariant } from '../variants/create-variant';
import { variantStore } from '../variants/variant-family';
import { findPass, passIds } from './pass';
import { registerBuiltinPasses } from './passes';
import { validateRecipe } from './recipe-runner';

/** @returns the handlers this module adds to the engine. */
export function optimizeHandlers(engine: StudioEngine): FeatureHandlers {
  registerBuiltinPasses();
  return {
    listPasses: async () =>
      passIds().map((id) => {
        const p = findPass(id)!;
        return { id, title: p.title, produces: p.produces };
      }),
    runPasses: async (req) => {
      const recipe = { kind: 'deploy-studio-recipe' as const, version: 1 as const, steps: req.steps.map((s) => ({ pass: s.pass, options: s.options ?? {} })) };
      validateRecipe(recipe);
      const title = `Optimize: ${recipe.steps.map((s) => findPass(s.pass)?.title ?? s.pass).join(' → ')}`;
      const { result } = engine.jobs.start(
        'optimize',
        title,
        (job) => createVariant(engine, variantStore(engine), req.modelId, recipe.steps, job, { name: req.name, targetId: req.targetId }),
        req.jobId,
      );
      return result;
    },
    applyRecipe: async (req) => {
      const spec = req.recipe.inputSpec;
      const recipe = {
        ...req.recipe,
        steps: req.recipe.steps.map((s) => ({ pass: s.pass, options: s.options ?? {} })),
        inputSpec: spec ? { inputs: spec.inputs ?? {}, dims: spec.dims ?? {} } : undefined,
      };
      validateRecipe(recipe);
      const { result } = engine.jobs.start(
        'optimize',
        `Apply recipe${recipe.name ? ` ${recipe.name}` : ''}`,
        (job) => createVariant(engine, variantStore(engine), req.modelId, recipe.steps, job, { name: req.name ?? recipe.name, targetId: recipe.target, inputSpec: recipe.inputSpec }),
        req.jobId,
      );
      return result;
    },
  };
}
