/** Pass `distill`: the model trained to match a teacher's outputs on the user's data (knowledge distillation). */
import * as path from 'node:path';
import { StudioError } from '../../../../shared/api/errors';
import { DistillOptionsSchema, type DistillOptions } from '../../../../shared/train/distill-options';
import type { DatasetOptions } from '../../evaluate/datasets';
import { loadModelFile } from '../../onnx/load';
import { distillModel } from '../../train/distill';
import type { Pass, PassInput } from '../pass';

function resolve(p: string, dir: string): string {
  return path.isAbsolute(p) ? p : path.resolve(dir, p);
}

function dataOptions(d: DistillOptions['data'], input: PassInput): DatasetOptions {
  return {
    path: resolve(d.path, input.sourceDir),
    ...(d.labelsPath ? { labelsPath: resolve(d.labelsPath, input.sourceDir) } : {}),
    ...(d.limit ? { limit: d.limit, sampling: 'random' as const, seed: 1 } : {}),
    ...(d.preprocess ? { preprocess: d.preprocess } : {}),
    configDirs: input.configDirs ?? [input.sourceDir],
  };
}

export const distillPass: Pass<DistillOptions> = {
  id: 'distill',
  title: 'Distillation',
  produces: 'optimized',
  options: DistillOptionsSchema,
  async run(input, options, ctx) {
    const teacherPath = resolve(options.teacher, input.sourceDir);
    ctx.progress(0, 'loading the teacher');
    const teacher = loadModelFile(teacherPath);
    if (path.resolve(input.sourceDir, input.sourceName) === teacherPath) ctx.job.log('the teacher is the model being distilled: it will learn its own outputs');
    const { proto, report } = await distillModel({
      runtime: ctx.runtime,
      student: { proto: input.proto, external: input.external, fileName: input.sourceName },
      teacher,
      train: dataOptions(options.data, input),
      ...(options.val ? { val: dataOptions(options.val, input) } : {}),
      settings: {
        epochs: options.epochs,
        batch: options.batch,
        optimizer: { kind: options.optimizer, learningRate: options.learningRate },
        temperature: options.temperature,
        alpha: options.alpha,
        seed: options.seed,
      },
      signal: ctx.job.signal,
      onProgress: (p) => ctx.progress(p.fraction, p.loss === null ? p.stage : `${p.stage}, loss ${p.loss.toFixed(4)}`),
      onEpoch: (e) => ctx.job.log(`epoch ${e.epoch}: loss ${e.trainLoss.toFixed(4)}, ${Math.round(e.itemsPerSecond)} items/s${e.val ? `; validation ${e.val.top1 !== null ? `top-1 ${(e.val.top1 * 100).toFixed(2)} %, ` : ''}agreement ${(e.val.agreement * 100).toFixed(2)} % on ${e.val.items} items` : ''}`),
    });
    if (!report.epochs.length) throw new StudioError('INTERNAL', 'The distillation ran no epoch.');
    const warnings: string[] = [];
    if (!options.val) warnings.push('No validation data: the last epoch was kept, and nothing measured how the student does on data it did not train on. Give validation data (held out from the training data).');
    else if (report.keptEpoch === 0) warnings.push('No epoch beat the student as it was on the validation data: the model was written unchanged. Try a lower learning rate or more data.');
    if (report.convertedFrom !== null) warnings.push(`The student was trained at ai.onnx opset 17 (it imports ${report.convertedFrom}); the written model keeps its own opset.`);
    return { proto, report: { ...report, teacher: teacher.fileName }, warnings };
  },
};
