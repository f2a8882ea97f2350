/** Variants slice: the open model's family (original and variants), the selected variant, and making new ones. */
import type { StateCreator } from 'zustand';
import { toErrorDto, type StudioErrorDto } from '../../shared/api/errors';
import type { CreatedVariant, VariantDto } from '../../shared/api/variants-api';
import type { RecipeStep } from '../../shared/recipes/recipe';
import { studioClient } from '../services';
import type { StudioState } from './index';

export interface VariantsSlice {
  variants: VariantDto[];
  selectedVariantId: string | null;
  variantError: StudioErrorDto | null;
  /** the running optimization's job id */
  optimizeJobId: string | null;
  refreshVariants(): Promise<void>;
  selectVariant(id: string | null): void;
  renameVariant(id: string, name: string): Promise<void>;
  deleteVariant(id: string): Promise<void>;
  /** runs passes on the selected variant (or the original); @returns the new variant, or null on failure */
  runPasses(steps: RecipeStep[], name?: string, targetId?: string): Promise<CreatedVariant | null>;
}

function newJobId(): string {
  return `job-${crypto.randomUUID().replace(/-/g, '').slice(0, 20)}`;
}

export const createVariantsSlice: StateCreator<StudioState, [], [], VariantsSlice> = (set, get) => ({
  variants: [],
  selectedVariantId: null,
  variantError: null,
  optimizeJobId: null,
  refreshVariants: async () => {
    const modelId = get().modelId;
    if (!modelId) {
      set({ variants: [], selectedVariantId: null });
      return;
    }
    try {
      const variants = await studioClient().api.listVariants({ modelId });
      const selected = get().selectedVariantId;
      set({ variants, selectedVariantId: variants.some((v) => v.id === selected) ? selected : (variants[0]?.id ?? null) });
    } catch (err) {
      set({ variantError: toErrorDto(err) });
    }
  },
  selectVariant: (id) => set({ selectedVariantId: id }),
  renameVariant: async (id, name) => {
    await studioClient().api.renameVariant({ variantId: id, name });
    await get().refreshVariants();
  },
  deleteVariant: async (id) => {
    await studioClient().api.deleteVariant({ variantId: id });
    await get().refreshVariants();
  },
  runPasses: async (steps, name, targetId) => {
    const source = get().variants.find((v) => v.id === get().selectedVariantId) ?? get().variants[0];
    const modelId = source?.modelId ?? get().modelId;
    if (!modelId) return null;
    const jobId = newJobId();
    set({ optimizeJobId: jobId, variantError: null });
    try {
      const created = await studioClient().api.runPasses({ modelId, steps, name, targetId, jobId });
      await get().refreshVariants();
      set({ selectedVariantId: created.variant.id });
      return created;
    } catch (err) {
      set({ variantError: toErrorDto(err) });
      return null;
    } finally {
      set({ optimizeJobId: null });
    }
  },
});

/** Named selectors of the variants slice. */
export const variantSelectors = {
  variants: (s: StudioState) => s.variants,
  selectedId: (s: StudioState) => s.selectedVariantId,
  selected: (s: StudioState) => s.variants.find((v) => v.id === s.selectedVariantId) ?? null,
  error: (s: StudioState) => s.variantError,
  optimizeJobId: (s: StudioState) => s.optimizeJobId,
};
