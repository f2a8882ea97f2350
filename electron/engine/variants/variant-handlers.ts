/** API handlers of the variant list: list, rename, delete, save a recipe, export a copy. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { StudioError } from '../../../shared/api/errors';
import type { VariantDto } from '../../../shared/api/variants-api';
import { writeFileAtomic } from '../store/atomic-write';
import type { FeatureHandlers, StudioEngine } from '../studio-engine';
import { toDto } from './create-variant';
import { VariantStore } from './variant-store';

const stores = new WeakMap<StudioEngine, VariantStore>();

/** @returns the engine's variant store (one per engine). */
export function variantStore(engine: StudioEngine): VariantStore {
  let store = stores.get(engine);
  if (!store) {
    store = new VariantStore(engine.settings.dataDir);
    stores.set(engine, store);
  }
  return store;
}

/** Lists a model's family, opening each variant so it has a model id. */
export function listFamily(engine: StudioEngine, modelId: string): VariantDto[] {
  const store = variantStore(engine);
  const { key, family } = store.familyOf(engine.loadedModel(modelId).path);
  store.prune(key);
  const rootId = family.variants[0].id;
  const out: VariantDto[] = [];
  for (const record of family.variants) {
    try {
      const opened = engine.ensureOpen(record.path);
      out.push(toDto(record, opened.modelId, rootId, opened.summary));
    } catch {
      // a variant file that no longer opens is left out of the list (and its record kept for the user to delete)
    }
  }
  return out;
}

function requireVariant(engine: StudioEngine, variantId: string) {
  const hit = variantStore(engine).find(variantId);
  if (!hit) throw new StudioError('UNKNOWN_MODEL', `No variant has id "${variantId}". Refresh the variant list.`);
  return hit;
}

/** @returns the handlers this module adds to the engine. */
export function variantHandlers(engine: StudioEngine): FeatureHandlers {
  return {
    listVariants: async (req) => listFamily(engine, req.modelId),
    renameVariant: async (req) => {
      const hit = requireVariant(engine, req.variantId);
      variantStore(engine).rename(req.variantId, req.name);
      const opened = engine.ensureOpen(hit.record.path);
      return toDto(hit.record, opened.modelId, hit.family.variants[0].id, opened.summary);
    },
    deleteVariant: async (req) => ({ deleted: variantStore(engine).remove(req.variantId) }),
    saveRecipe: async (req) => {
      const hit = requireVariant(engine, req.variantId);
      if (!hit.record.recipe) throw new StudioError('INVALID_REQUEST', 'The original model has no recipe: pick a variant made by a pass.');
      const target = path.resolve(req.path.endsWith('.recipe.json') ? req.path : `${req.path}.recipe.json`);
      writeFileAtomic(target, JSON.stringify(hit.record.recipe, null, 2) + '\n');
      return { path: target };
    },
    exportVariant: async (req) => {
      const hit = requireVariant(engine, req.variantId);
      const target = path.resolve(req.path);
      if (target === path.resolve(hit.family.rootPath) || target === hit.record.path) {
        throw new StudioError('ACCESS_DENIED', 'Choose a new file name: exporting never overwrites the original model or the variant itself.');
      }
      const data = fs.readFileSync(hit.record.path);
      writeFileAtomic(target, data);
      return { path: target, sizeBytes: data.length };
    },
  };
}
