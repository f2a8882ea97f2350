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
  /** the variant the last run made, offered to switch to (the selection changes only when the user picks) */
  lastCreatedId: string | null;
  /** the variant just deleted, offered to restore */
  deletedVariant: { id: string; name: string } | null;
  refreshVariants(): Promise<void>;
  selectVariant(id: string | null): void;
  renameVariant(id: string, name: string): Promise<void>;
  /** deletes softly: the engine keeps the file until the studio closes, so {@link restoreVariant} can undo it */
  deleteVariant(id: string): Promise<void>;
  restoreVariant(id: string): Promise<void>;
  dismissCreated(): void;
  /** forgets the Undo offer of a delete (when its toast closes) */
  dismissDeleted(id: string): void;
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
  lastCreatedId: null,
  deletedVariant: null,
  refreshVariants: async () => {
    const modelId = get().modelId;
    if (!modelId) {
      set({ variants: [], selectedVariantId: null });
      return;
    }
    try {
      const variants = await studioClient().api.listVariants({ modelId });
      const selected = get().selectedVariantId;
      const lastCreated = get().lastCreatedId;
      set({
        variants,
        selectedVariantId: variants.some((v) => v.id === selected) ? selected : (variants[0]?.id ?? null),
        lastCreatedId: variants.some((v) => v.id === lastCreated) ? lastCreated : null,
      });
    } catch (err) {
      set({ variantError: toErrorDto(err) });
    }
  },
  // picking a variant (even the one already worked on) ends the offer of the one just made
  selectVariant: (id) => set({ selectedVariantId: id, lastCreatedId: null }),
  dismissCreated: () => set({ lastCreatedId: null }),
  dismissDeleted: (id) => set((s) => (s.deletedVariant?.id === id ? { deletedVariant: null } : {})),
  renameVariant: async (id, name) => {
    await studioClient().api.renameVariant({ variantId: id, name });
    await get().refreshVariants();
  },
  deleteVariant: async (id) => {
    const name = get().variants.find((v) => v.id === id)?.name ?? id;
    try {
      await studioClient().api.deleteVariant({ variantId: id });
      set({ deletedVariant: { id, name }, variantError: null });
    } catch (err) {
      set({ variantError: toErrorDto(err) });
    }
    await get().refreshVariants();
  },
  restoreVariant: async (id) => {
    try {
      await studioClient().api.restoreVariant({ variantId: id });
      set({ deletedVariant: null, variantError: null });
    } catch (err) {
      set({ variantError: toErrorDto(err) });
    }
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
      set({ lastCreatedId: created.variant.id });
      await get().refreshVariants();
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
  /** the variant whose reports the panels show: the one just made while it is offered, else the selected one */
  shown: (s: StudioState) => s.variants.find((v) => v.id === (s.lastCreatedId ?? s.selectedVariantId)) ?? null,
  lastCreated: (s: StudioState) => s.variants.find((v) => v.id === s.lastCreatedId) ?? null,
  deleted: (s: StudioState) => s.deletedVariant,
};
