/** The preprocessing editor's StudioApi handlers: the family's preprocessing and labels, and a preview of one image. */
import * as path from 'node:path';
import { StudioError } from '../../../shared/api/errors';
import { PreprocessConfigSchema } from '../../../shared/api/preprocess';
import type { FeatureHandlers, StudioEngine } from '../studio-engine';
import { previewPreprocess } from './inputs/preprocess-preview';
import { familyConfigDirs, preprocessState, resolvePreprocess, setPreprocessState } from './inputs/preprocess-state';

/** Refuses, in serve mode, an image outside the folders the session may read (the model's folders pass). */
function checkReadable(engine: StudioEngine, modelPath: string, file: string): string {
  const abs = path.resolve(file);
  const allow = engine.settings.allowPath;
  if (!allow) return abs;
  const dirs = [...familyConfigDirs(engine, modelPath).dirs, path.dirname(path.resolve(engine.settings.samplePath))];
  const inside = dirs.some((d) => {
    const rel = path.relative(d, abs);
    return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
  });
  if (!inside && !allow(abs)) throw new StudioError('ACCESS_DENIED', `${abs} is outside the folders this session may read. Drop or choose the image instead.`);
  return abs;
}

/** @returns the preprocessing methods of the StudioApi. */
export function preprocessHandlers(engine: StudioEngine): FeatureHandlers {
  return {
    getPreprocessState: async (req) => preprocessState(engine, req.modelId),
    setPreprocessState: async (req) =>
      setPreprocessState(
        engine,
        req.modelId,
        req.preprocess === undefined || req.preprocess === null ? req.preprocess : PreprocessConfigSchema.parse(req.preprocess),
        req.labels,
      ),
    previewPreprocess: async (req) => {
      const loaded = engine.loadedModel(req.modelId);
      const file = checkReadable(engine, loaded.path, req.imagePath);
      const config = req.preprocess ? PreprocessConfigSchema.parse(req.preprocess) : resolvePreprocess(engine, loaded).config;
      if (!config) throw new StudioError('INVALID_INPUT', `${loaded.fileName} has no input images can feed (rank 4 with 1 or 3 channels).`);
      return previewPreprocess(loaded, file, config);
    },
  };
}
