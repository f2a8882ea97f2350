/** Optimization: the passes the engine knows, and running passes on a model to make a new variant. */
import { z } from 'zod';
import { RecipeSchema, RecipeStepSchema } from '../recipes/recipe';
import { jobRequestFields } from './jobs';
import type { CreatedVariant } from './variants-api';

export interface PassInfo {
  id: string;
  title: string;
  produces: 'quantized' | 'pruned' | 'fp16' | 'optimized';
}

export const optimizeRequests = {
  listPasses: z.object({}).strict(),
  /** runs steps on a model (a variant or an original) and adds the result to its family */
  runPasses: z
    .object({
      modelId: z.string().min(1).max(200),
      steps: z.array(RecipeStepSchema).min(1).max(50),
      name: z.string().max(120).optional(),
      targetId: z.string().max(100).optional(),
      ...jobRequestFields,
    })
    .strict(),
  /** replays a whole recipe on a model */
  applyRecipe: z
    .object({
      modelId: z.string().min(1).max(200),
      recipe: RecipeSchema,
      name: z.string().max(120).optional(),
      ...jobRequestFields,
    })
    .strict(),
} as const;

export interface OptimizeResponses {
  listPasses: PassInfo[];
  runPasses: CreatedVariant;
  applyRecipe: CreatedVariant;
}
