/** The package feature's StudioApi handlers: the plan (dry run), the job, and the download behind an id. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { StudioError } from '../../../shared/api/errors';
import type { FeatureHandlers, StudioEngine } from '../studio-engine';
import { preparePackage } from './package-plan';
import { downloadPath, runPackage } from './package-run';

const TITLES = { app: 'app project', bundle: 'runtime bundle', triton: 'Triton repository' } as const;

/** @returns the package methods of the StudioApi. */
export function packageHandlers(engine: StudioEngine): FeatureHandlers {
  return {
    planPackage: async (req) => (await preparePackage(engine, req)).plan,
    runPackage: async (req) => {
      const { jobId, ...spec } = req;
      const file = engine.loadedModel(spec.modelId).fileName;
      const job = engine.jobs.start('package', `Package ${file} as ${TITLES[spec.format]}`, (ctx) => runPackage(engine, spec, ctx), jobId);
      return job.result;
    },
    resolveDownload: async (req) => {
      const file = downloadPath(engine, req.downloadId);
      if (!file || !fs.existsSync(file)) {
        throw new StudioError('FILE_NOT_FOUND', 'That download is no longer available: package the model again.');
      }
      return { path: file, fileName: path.basename(file), sizeBytes: fs.statSync(file).size };
    },
  };
}
