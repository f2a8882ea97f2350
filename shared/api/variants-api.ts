/** Variants: the original model and every model a recipe made from it, the same list on every screen. */
import { z } from 'zod';
import type { Recipe } from '../recipes/recipe';
import type { ModelSummary } from './model-summary';

/** What made a variant, for icons and filters. */
export type VariantKind = 'original' | 'quantized' | 'pruned' | 'fp16' | 'optimized' | 'imported';

export interface VariantDto {
  /** stable id, unique across sessions */
  id: string;
  /** the engine's model id for this variant's file (open while the variant exists) */
  modelId: string;
  /** the variant id of the original this family grew from */
  rootId: string;
  parentId: string | null;
  name: string;
  kind: VariantKind;
  /** the passes that made it from its root (empty for the original) */
  recipe: Recipe | null;
  path: string;
  sizeBytes: number;
  createdAt: string;
  /** short figures shown in the variant list */
  paramCount: number;
  nodeCount: number;
  /** pass reports (quantization error table, pruned channels …) keyed by pass id */
  reports: Record<string, unknown>;
}

const VariantRef = z.object({ variantId: z.string().min(1).max(200) }).strict();

export const variantRequests = {
  /** the variants of the family the model belongs to (the open model's original first) */
  listVariants: z.object({ modelId: z.string().min(1).max(200) }).strict(),
  renameVariant: z.object({ variantId: z.string().min(1).max(200), name: z.string().min(1).max(120) }).strict(),
  /**
   * removes a derived variant from its family; its file waits in the studio's trash until the session ends, so
   * `restoreVariant` can undo the deletion. The original cannot be deleted.
   */
  deleteVariant: VariantRef,
  /** undoes a `deleteVariant` of this session */
  restoreVariant: VariantRef,
  /** writes the variant's recipe as a `*.recipe.json` file */
  saveRecipe: z.object({ variantId: z.string().min(1).max(200), path: z.string().min(1).max(4096) }).strict(),
  /** copies the variant's model to a path the user chose (atomically; never over the original) */
  exportVariant: z.object({ variantId: z.string().min(1).max(200), path: z.string().min(1).max(4096) }).strict(),
} as const;

export interface VariantResponses {
  listVariants: VariantDto[];
  renameVariant: VariantDto;
  deleteVariant: { deleted: boolean };
  restoreVariant: VariantDto;
  saveRecipe: { path: string };
  exportVariant: { path: string; sizeBytes: number };
}

/** A variant with its model summary, as the engine returns after a pass. */
export interface CreatedVariant {
  variant: VariantDto;
  summary: ModelSummary;
}
