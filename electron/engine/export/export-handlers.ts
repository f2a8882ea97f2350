/** API handlers of export: TFLite, as a job writing into the studio's exports folder. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TfliteExportDto } from '../../../shared/api/export-api';
import { userDataDir } from '../host/app-paths';
import { runtimeFor } from '../runtime/engine-runtime';
import type { FeatureHandlers, StudioEngine } from '../studio-engine';
import { exportTflite } from './export-tflite';

/** A free file name in the exports folder for a model. */
function newExportPath(modelPath: string): string {
  const dir = path.join(userDataDir(), 'exports');
  fs.mkdirSync(dir, { recursive: true });
  const base = path.basename(modelPath).replace(/\.onnx$/i, '');
  for (let i = 1; ; i++) {
    const p = path.join(dir, i === 1 ? `${base}.tflite` : `${base}-${i}.tflite`);
    if (!fs.existsSync(p)) return p;
  }
}

/** @returns the handlers this module adds to the engine. */
export function exportHandlers(engine: StudioEngine): FeatureHandlers {
  return {
    exportTflite: async (req) => {
      const model = engine.loadedModel(req.modelId);
      const { result } = engine.jobs.start(
        'export-tflite',
        `Export ${path.basename(model.path)} to TFLite`,
        async (job): Promise<TfliteExportDto> => {
          const r = await exportTflite(
            runtimeFor(engine),
            { modelPath: model.path, outPath: newExportPath(model.path), ioLayout: req.layout ?? 'nchw', samples: req.samples ?? 8 },
            { signal: job.signal, onProgress: (f, stage) => job.progress(f, stage) },
          );
          const check = r.check ?? { ran: false, checker: 'Arm NN', inputs: '', outputs: [], message: 'Not checked.' };
          return {
            ...r,
            check: { ...check, outputs: check.outputs.map((o) => ({ ...o, snrDb: Number.isFinite(o.snrDb) ? o.snrDb : null })) },
          };
        },
        req.jobId,
      );
      return result;
    },
  };
}
