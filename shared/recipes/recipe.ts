/** The recipe file (`*.recipe.json`): ordered optimization passes with their options, replayable by the CLI. */
import { z } from 'zod';
import { InputSpecSchema } from '../api/input-spec';

/** One pass of a recipe: its id (e.g. `quantize-static`, `prune-channels`) and its options. */
export const RecipeStepSchema = z
  .object({
    pass: z.string().regex(/^[a-z0-9][a-z0-9-]{1,63}$/, 'a pass id such as "quantize-static"'),
    options: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();
export type RecipeStep = z.infer<typeof RecipeStepSchema>;

export const RecipeSchema = z
  .object({
    kind: z.literal('deploy-studio-recipe'),
    version: z.literal(1),
    name: z.string().max(200).optional(),
    /** the target profile the recipe was made for */
    target: z.string().max(100).optional(),
    /** the input model the recipe was made from (a replay on another file warns) */
    source: z
      .object({ fileName: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/) })
      .strict()
      .optional(),
    steps: z.array(RecipeStepSchema).min(1).max(50),
    /** sizes and values of the model's inputs for generated data (symbolic dims, a sample rate, token ranges) */
    inputSpec: InputSpecSchema.optional(),
  })
  .strict();
export type Recipe = z.infer<typeof RecipeSchema>;

/**
 * Parses a recipe file's JSON text.
 * @returns the recipe, or an error message naming the bad field
 */
export function parseRecipe(text: string): { ok: true; recipe: Recipe } | { ok: false; message: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { ok: false, message: `The recipe is not valid JSON (${(err as Error).message}).` };
  }
  const r = RecipeSchema.safeParse(json);
  if (!r.success) {
    const issue = r.error.issues[0];
    return { ok: false, message: `The recipe is invalid at ${issue.path.join('.') || 'its top level'}: ${issue.message}.` };
  }
  return { ok: true, recipe: r.data };
}
