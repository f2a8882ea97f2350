/** Knowledge distillation: the student trained to match the teacher's outputs on the user's data, in the inference process. */
import { clone } from '@bufbuild/protobuf';
import { StudioError } from '../../../shared/api/errors';
import { seededRandom } from '../../../shared/random/seeded-random';
import type { Dataset, DatasetItem, DatasetOptions } from '../evaluate/datasets';
import { modelIo, openDataset, stack } from '../evaluate/datasets';
import { convertOpset } from '../onnx/convert';
import { mapClonedTensors, ModelIR } from '../onnx/ir/model-ir';
import type { LoadedModel } from '../onnx/load';
import { ModelProtoSchema, type ModelProto, type TensorProto } from '../onnx/proto';
import { saveModel } from '../onnx/save';
import type { HostTensor } from '../runtime/backend';
import type { ModelRuntime, TensorRunner } from '../runtime/calibration-run';
import { UnsupportedGraphError } from './autodiff';
import { Optimizer, type OptimizerSettings } from './optimizer';
import { probeShapes } from './shape-probe';
import { readWeights, trainableTensors, withWeights } from './trainable';
import { buildTrainingModel, TRAIN_IO } from './training-graph';
import { evaluateStudent, type ValidationFigures } from './validate-student';
import type { ExternalRef } from '../onnx/external-data';

/** The ai.onnx opset training graphs are built at (ScatterElements with reduction, Shape with start/end). */
export const TRAINING_OPSET = 17;

export interface DistillSettings {
  epochs: number;
  batch: number;
  optimizer: OptimizerSettings;
  /** softening temperature of teacher and student */
  temperature: number;
  /** weight of the cross-entropy with labels (0: the teacher alone) */
  alpha: number;
  /** shuffling seed */
  seed: number;
  /** train on at most this many items of the data */
  limit?: number;
}

export interface DistillProgress {
  fraction: number;
  stage: string;
  epoch: number;
  step: number;
  stepsPerEpoch: number;
  /** mean loss of the epoch so far */
  loss: number | null;
}

export interface DistillEpoch {
  epoch: number;
  trainLoss: number;
  itemsPerSecond: number;
  val: ValidationFigures | null;
}

/** A model held in memory. */
export interface ModelSource {
  proto: ModelProto;
  external: ReadonlyMap<TensorProto, ExternalRef>;
  fileName: string;
}

/** What a distillation did (serializable: the pass's report, the CLI's JSON). */
export interface DistillReport {
  trainItems: number;
  trainable: { tensors: number; params: number };
  before: ValidationFigures | null;
  epochs: DistillEpoch[];
  /** the epoch whose weights were written (the best validation figure; the last epoch without validation) */
  keptEpoch: number;
  /** the student's ai.onnx opset when it had to be converted to train (the written model keeps its own) */
  convertedFrom: number | null;
  /** the settings used */
  settings: DistillSettings;
}

export interface DistillResult extends DistillReport {
  outPath: string;
}

export interface DistillRequest {
  runtime: ModelRuntime;
  student: ModelSource;
  teacher: ModelSource;
  train: DatasetOptions;
  val?: DatasetOptions;
  settings: DistillSettings;
  signal?: AbortSignal;
  onProgress?: (p: DistillProgress) => void;
  /** called after each epoch (curves) */
  onEpoch?: (e: DistillEpoch) => void;
}

function cancelled(signal?: AbortSignal): void {
  if (signal?.aborted) throw new StudioError('JOB_CANCELLED', 'The distillation was cancelled.');
}

/** Loads items and stacks them into one batch. */
async function loadBatch(items: readonly DatasetItem[]): Promise<{ feeds: Record<string, HostTensor>; labels: Array<number | null> }> {
  const loaded = await Promise.all(items.map((i) => i.load()));
  const feeds: Record<string, HostTensor> = {};
  for (const name of Object.keys(loaded[0])) feeds[name] = stack(loaded.map((l) => l[name]));
  return { feeds, labels: items.map((i) => i.label) };
}

function trainingCopy(student: ModelSource): { proto: ModelProto; external: Map<TensorProto, ExternalRef>; convertedFrom: number | null } {
  const opset = new ModelIR(student.proto).opset('') ?? TRAINING_OPSET;
  if (opset >= TRAINING_OPSET) {
    const proto = clone(ModelProtoSchema, student.proto);
    return { proto, external: mapClonedTensors(student.proto, proto, student.external), convertedFrom: null };
  }
  const converted = convertOpset(student.proto, TRAINING_OPSET, { external: student.external, name: student.fileName });
  return { proto: converted.proto, external: new Map(converted.external ?? []), convertedFrom: opset };
}

/**
 * Distils the teacher into the student.
 * @returns a copy of the student with the trained weights (its own opset kept) and the report
 * @throws StudioError `UNSUPPORTED_OP` naming every node the gradient cannot pass through (before any training),
 * `INVALID_INPUT` for data the models cannot read, `JOB_CANCELLED`
 */
export async function distillModel(req: DistillRequest): Promise<{ proto: ModelProto; external: Map<TensorProto, ExternalRef>; report: DistillReport }> {
  const { runtime, student, teacher, settings, signal } = req;
  const progress = req.onProgress ?? (() => undefined);
  const work = trainingCopy(student);
  const graph = work.proto.graph;
  if (!graph?.output.length) throw new StudioError('INVALID_MODEL', `${student.fileName} has no outputs.`);
  const output = graph.output[0].name;
  const teacherOutput = teacher.proto.graph?.output.find((o) => o.name === output)?.name ?? teacher.proto.graph?.output[0]?.name;
  if (!teacherOutput) throw new StudioError('INVALID_MODEL', `${teacher.fileName} has no outputs.`);
  const train: Dataset = openDataset({ ...req.train, ...(settings.limit ? { limit: settings.limit } : {}) }, modelIo(student.proto));
  const items = [...train.items];
  if (items.length < 2) throw new StudioError('INVALID_INPUT', `The training data ${req.train.path} has ${items.length} usable item${items.length === 1 ? '' : 's'}; distillation needs at least 2.`);
  const hasLabels = settings.alpha > 0 && items.every((i) => i.label !== null);

  progress({ fraction: 0, stage: 'building the training graph', epoch: 0, step: 0, stepsPerEpoch: 0, loss: null });
  const probe = await loadBatch(items.slice(0, 2));
  const shapes = await probeShapes(runtime, work.proto, probe.feeds, work.external, signal);
  const tensors = trainableTensors(work.proto);
  const names = tensors.map((t) => t.name);
  let training;
  try {
    training = buildTrainingModel(work.proto, { trainable: names, shapes, output, loss: { kind: 'distill', temperature: settings.temperature, alpha: settings.alpha, labels: hasLabels } });
  } catch (err) {
    if (err instanceof UnsupportedGraphError) {
      throw new StudioError('UNSUPPORTED_OP', `${student.fileName} cannot be trained: ${err.message} Supported operators are listed by \`deploy-studio distill --help\`.`);
    }
    throw err;
  }
  const weights = readWeights(tensors, work.external);
  const params = [...weights.values()].reduce((n, w) => n + w.length, 0);
  const runners: TensorRunner[] = [];
  try {
    const teacherRun = await runtime.openTensorRunner(teacher.proto, teacher.external, { what: `${teacher.fileName} (teacher)`, signal });
    runners.push(teacherRun);
    const trainer = await runtime.openTensorRunner(training.proto, mapClonedTensors(work.proto, training.proto, work.external), { what: `${student.fileName} (training graph)`, signal });
    runners.push(trainer);
    const validate = req.val ? await evaluateStudent.open({ runtime, student: work, teacher: teacherRun, teacherOutput, output, trainable: names, val: req.val, signal }) : null;
    if (validate) runners.push(validate.runner);
    const before = validate ? await validate.run(weights) : null;
    const optimizer = new Optimizer(settings.optimizer);
    const random = seededRandom(settings.seed);
    const stepsPerEpoch = Math.ceil(items.length / settings.batch);
    const epochs: DistillEpoch[] = [];
    let best = { score: before ? score(before) : -Infinity, epoch: 0, weights: new Map([...weights].map(([k, v]) => [k, v.slice()])) };
    for (let epoch = 1; epoch <= settings.epochs; epoch++) {
      const order = items.map((_, i) => i);
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [order[i], order[j]] = [order[j], order[i]];
      }
      // cosine decay of the learning rate over the whole run
      let lossSum = 0;
      let seen = 0;
      const t0 = performance.now();
      for (let s = 0; s < stepsPerEpoch; s++) {
        cancelled(signal);
        const step = (epoch - 1) * stepsPerEpoch + s;
        optimizer.learningRate = settings.optimizer.learningRate * 0.5 * (1 + Math.cos((Math.PI * step) / (settings.epochs * stepsPerEpoch)));
        const batch = await loadBatch(order.slice(s * settings.batch, (s + 1) * settings.batch).map((i) => items[i]));
        const n = batch.labels.length;
        const t = await teacherRun.run(batch.feeds, [teacherOutput]);
        const feeds: Record<string, HostTensor> = { ...batch.feeds, [TRAIN_IO.teacher]: t[teacherOutput] };
        if (hasLabels) feeds[TRAIN_IO.labels] = { dtype: 'int64', dims: [n], data: BigInt64Array.from(batch.labels.map((l) => BigInt(l ?? 0))) };
        for (const [name, w] of weights) feeds[name] = { dtype: 'float32', dims: shapes.get(name) ?? [w.length], data: w };
        const out = await trainer.run(feeds, [TRAIN_IO.loss, ...training.gradOutputs.values()]);
        const grads = new Map([...training.gradOutputs].map(([w, g]) => [w, out[g].data as Float32Array]));
        optimizer.step(weights, grads);
        const loss = Number((out[TRAIN_IO.loss].data as Float32Array)[0]);
        lossSum += loss * n;
        seen += n;
        progress({ fraction: (step + 1) / (settings.epochs * stepsPerEpoch), stage: `epoch ${epoch} of ${settings.epochs}: step ${s + 1} of ${stepsPerEpoch}`, epoch, step: s + 1, stepsPerEpoch, loss: lossSum / seen });
      }
      const itemsPerSecond = seen / ((performance.now() - t0) / 1000);
      const val = validate ? await validate.run(weights) : null;
      const record: DistillEpoch = { epoch, trainLoss: lossSum / seen, itemsPerSecond, val };
      epochs.push(record);
      req.onEpoch?.(record);
      const sc = val ? score(val) : epoch;
      if (!val || sc > best.score) best = { score: sc, epoch, weights: new Map([...weights].map(([k, v]) => [k, v.slice()])) };
    }
    const written = withWeights(student.proto, student.external, best.weights);
    return { ...written, report: { trainItems: items.length, trainable: { tensors: tensors.length, params }, before, epochs, keptEpoch: best.epoch, convertedFrom: work.convertedFrom, settings } };
  } finally {
    for (const r of runners) await r.release().catch(() => undefined);
  }
}

/**
 * Distils the teacher into the student and writes the trained student to `out` (atomically; neither model's file is
 * ever touched).
 */
export async function distill(req: Omit<DistillRequest, 'student' | 'teacher'> & { student: LoadedModel; teacher: LoadedModel; out: string }): Promise<DistillResult> {
  const { proto, external, report } = await distillModel(req);
  req.onProgress?.({ fraction: 1, stage: 'writing the student', epoch: req.settings.epochs, step: 0, stepsPerEpoch: 0, loss: report.epochs.at(-1)?.trainLoss ?? null });
  await saveModel(proto, req.out, { sourceExternal: external, protect: [req.student.path, req.teacher.path], signal: req.signal });
  return { ...report, outPath: req.out };
}

function score(v: ValidationFigures): number {
  return v.top1 ?? v.agreement;
}
