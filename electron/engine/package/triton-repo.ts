/** Writes a Triton model repository entry: `<repo>/<name>/config.pbtxt` and `<repo>/<name>/1/model.onnx`. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PackageFile } from '../../../shared/api/package-api';
import type { ModelSummary } from '../../../shared/api/model-summary';
import type { JobContext } from '../jobs/job-runner';
import type { LoadedModel } from '../onnx/load';
import { copyModel, modelBytes } from './model-copy';
import { writeMarker } from './package-marker';
import { buildTritonConfig, type TritonConfig, type TritonInstances } from './triton-config';

export interface TritonRepoOptions {
  /** the model's folder in the repository (`<repo>/<name>`), the staging folder while writing */
  modelDir: string;
  modelName: string;
  maxBatchSize: number;
  instances?: TritonInstances;
  labels: string[] | null;
  /** the output the labels name (written as its `label_filename`) */
  labelOutput?: string;
}

/** @returns the config and the files the entry will hold (for the plan). */
export function planTritonRepo(summary: ModelSummary, model: LoadedModel, opts: Omit<TritonRepoOptions, 'modelDir'>): { config: TritonConfig; files: PackageFile[] } {
  const config = buildTritonConfig(summary.inputs, summary.outputs, opts);
  const files: PackageFile[] = [
    { path: 'config.pbtxt', bytes: Buffer.byteLength(config.text), role: 'config' },
    { path: '1/model.onnx', bytes: model.external.size ? null : modelBytes(model), role: 'model' },
  ];
  if (model.external.size) files.push({ path: '1/model.onnx.data', bytes: model.externalDataBytes, role: 'model' });
  if (opts.labels) files.push({ path: 'labels.txt', bytes: Buffer.byteLength(opts.labels.join('\n') + '\n'), role: 'labels' });
  return { config, files };
}

/**
 * Writes the entry into `opts.modelDir` (a staging folder the caller commits).
 * @returns the files written, relative to the model's folder
 */
export async function writeTritonRepo(summary: ModelSummary, model: LoadedModel, opts: TritonRepoOptions, ctx: JobContext): Promise<{ files: PackageFile[]; config: TritonConfig }> {
  const config = buildTritonConfig(summary.inputs, summary.outputs, opts);
  const files: PackageFile[] = [];
  ctx.progress(0.05, 'writing config.pbtxt');
  fs.writeFileSync(path.join(opts.modelDir, 'config.pbtxt'), config.text);
  files.push({ path: 'config.pbtxt', bytes: Buffer.byteLength(config.text), role: 'config' });
  if (opts.labels) {
    const text = opts.labels.join('\n') + '\n';
    fs.writeFileSync(path.join(opts.modelDir, 'labels.txt'), text);
    files.push({ path: 'labels.txt', bytes: Buffer.byteLength(text), role: 'labels' });
  }
  ctx.progress(0.1, 'copying the model');
  const copied = await copyModel(model, path.join(opts.modelDir, '1'), 'model.onnx', '1', ctx.signal, (f) => ctx.progress(0.1 + 0.85 * f, 'copying the model'));
  files.push(...copied.files.map((f) => ({ ...f, role: 'model' })));
  writeMarker(opts.modelDir, { format: 'triton', model: model.path });
  for (const w of config.warnings) ctx.log(w);
  return { files, config };
}
