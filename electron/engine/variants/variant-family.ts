/** The variant store of an engine and a model's family (original and variants) as the variant list shows it. */
import type { VariantDto } from '../../../shared/api/variants-api';
import type { StudioEngine } from '../studio-engine';
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
