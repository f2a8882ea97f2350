/** API handlers of the variant list: list, rename, delete (soft, with undo), save a recipe, export a copy. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { StudioError } from '../../../shared/api/errors';
import { writeFileAtomic } from '../store/atomic-write';
import type { FeatureHandlers, StudioEngine } from '../studio-engine';
import { toDto } from './create-variant';
import { listFamily, variantStore } from './variant-family';
import { variantTrash } from './variant-trash';

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
    deleteVariant: async (req) => ({ deleted: variantTrash(engine).remove(req.variantId) }),
    restoreVariant: async (req) => {
      const record = variantTrash(engine).restore(req.variantId);
      const hit = requireVariant(engine, record.id);
      const opened = engine.ensureOpen(record.path);
      return toDto(record, opened.modelId, hit.family.variants[0].id, opened.summary);
    },
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
