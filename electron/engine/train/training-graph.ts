/** Turns a student model into a training model: weights as overridable inputs, a loss head, and the gradient graph. */
import { clone, create } from '@bufbuild/protobuf';
import { DataType, ModelProtoSchema, TypeProtoSchema, ValueInfoProtoSchema, type ModelProto, type TensorProto, type ValueInfoProto } from '../onnx/proto';
import { makeNode } from '../optimize/quantize/proto-build';
import { buildBackward } from './autodiff';
import { GradEmitter, intAttr } from './grad-emitter';

/** Names of the training model's own inputs and outputs. */
export const TRAIN_IO = {
  seed: '__train/seed',
  teacher: '__train/teacher_logits',
  labels: '__train/labels',
  loss: '__train/loss',
  gradPrefix: '__train/grad/',
} as const;

/** How the loss is formed. */
export type TrainingLoss =
  | { kind: 'seed' }
  | {
      kind: 'distill';
      /** softening temperature of both distributions */
      temperature: number;
      /** weight of the cross-entropy with the labels (when labels are fed) */
      alpha: number;
      labels: boolean;
    };

export interface TrainingModelOptions {
  /** initializers that train */
  trainable: readonly string[];
  /** graph inputs whose gradients are also returned (checks) */
  inputGrads?: readonly string[];
  /** static shapes of every tensor, from the shape probe */
  shapes: ReadonlyMap<string, number[]>;
  /** the student's output the loss reads (class scores `[N, C]` for distillation) */
  output: string;
  loss: TrainingLoss;
}

export interface TrainingModel {
  proto: ModelProto;
  /** trainable tensor or input → the output holding its gradient */
  gradOutputs: Map<string, string>;
}

/** A typed graph input or output (dims: numbers, or names for symbolic ones). */
export function valueInfo(name: string, elemType: DataType, dims: ReadonlyArray<number | string> | null): ValueInfoProto {
  const shape = dims
    ? { dim: dims.map((d) => (typeof d === 'string' ? { value: { case: 'dimParam' as const, value: d } } : { value: { case: 'dimValue' as const, value: BigInt(d) } })) }
    : undefined;
  return create(ValueInfoProtoSchema, { name, type: create(TypeProtoSchema, { value: { case: 'tensorType', value: { elemType, ...(shape ? { shape } : {}) } } }) });
}

/**
 * Makes trainable initializers plain graph inputs (fed at every run): onnxruntime does not let a run override an
 * initializer that is also listed as an input, it keeps the stored value.
 * @returns the removed initializers by name (their shapes)
 */
export function weightsAsInputs(proto: ModelProto, names: readonly string[]): Map<string, TensorProto> {
  const graph = proto.graph;
  const byName = new Map((graph?.initializer ?? []).map((t) => [t.name, t]));
  if (!graph) return byName;
  const wanted = new Set(names);
  for (const w of names) if (!byName.has(w)) throw new Error(`${w} is not an initializer of the model.`);
  graph.initializer = graph.initializer.filter((t) => !wanted.has(t.name));
  graph.input = graph.input.filter((v) => !wanted.has(v.name));
  for (const w of names) graph.input.push(valueInfo(w, DataType.FLOAT, (byName.get(w) as TensorProto).dims.map(Number)));
  return byName;
}

/** The distillation loss: KL(teacher ‖ student) at temperature T (× T²), plus alpha × cross-entropy with labels. */
function distillHead(e: GradEmitter, s: string, classes: number, loss: Extract<TrainingLoss, { kind: 'distill' }>): { dS: string; lossName: string } {
  const t = loss.temperature;
  const n = e.op1('Cast', [e.op1('Shape', [s], [intAttr('start', 0), intAttr('end', 1)])], [intAttr('to', DataType.FLOAT)], 'batch_n');
  const sT = e.op1('Div', [s, e.scalar(t)]);
  const tT = e.op1('Div', [TRAIN_IO.teacher, e.scalar(t)]);
  const pS = e.op1('Softmax', [sT], [intAttr('axis', -1)]);
  const pT = e.op1('Softmax', [tT], [intAttr('axis', -1)]);
  const kdGrad = e.op1('Mul', [e.op1('Div', [e.op1('Sub', [pS, pT]), n]), e.scalar(t)], [], 'kd_grad');
  const kl = e.op1('ReduceSum', [e.op1('Mul', [pT, e.op1('Sub', [e.op1('LogSoftmax', [tT], [intAttr('axis', -1)]), e.op1('LogSoftmax', [sT], [intAttr('axis', -1)])])])], [intAttr('keepdims', 0)]);
  const kdLoss = e.op1('Mul', [e.op1('Div', [kl, e.op1('Reshape', [n, e.ints([])])]), e.scalar(t * t)], [], 'kd_loss');
  if (!loss.labels || loss.alpha === 0) return { dS: kdGrad, lossName: kdLoss };
  const onehot = e.op1('OneHot', [TRAIN_IO.labels, e.ints([classes]), e.tensor(Float32Array.from([0, 1]), [2], 'onehot_values')], [intAttr('axis', -1)]);
  const p = e.op1('Softmax', [s], [intAttr('axis', -1)]);
  const ceGrad = e.op1('Mul', [e.op1('Div', [e.op1('Sub', [p, onehot]), n]), e.scalar(loss.alpha)], [], 'ce_grad');
  const ce = e.op1('Neg', [e.op1('ReduceSum', [e.op1('Mul', [onehot, e.op1('LogSoftmax', [s], [intAttr('axis', -1)])])], [intAttr('keepdims', 0)])]);
  const ceLoss = e.op1('Mul', [e.op1('Div', [ce, e.op1('Reshape', [n, e.ints([])])]), e.scalar(loss.alpha)], [], 'ce_loss');
  return { dS: e.op1('Add', [kdGrad, ceGrad]), lossName: e.op1('Add', [kdLoss, ceLoss]) };
}

/**
 * Builds the training model. The student must import ai.onnx opset 17 or later (convert it first).
 * @param student - the student (not modified)
 * @returns the training model: inputs are the student's inputs, its trainable weights (their initializers stay as
 * defaults, fed anew each step), the teacher's scores and labels or the seed; outputs are the loss, the student's
 * output and one gradient per trainable tensor
 * @throws UnsupportedGraphError naming every node the gradient cannot pass through
 */
export function buildTrainingModel(student: ModelProto, o: TrainingModelOptions): TrainingModel {
  const proto = clone(ModelProtoSchema, student);
  const graph = proto.graph;
  if (!graph) throw new Error('The student has no graph.');
  const outShape = o.shapes.get(o.output);
  if (!outShape) throw new Error(`The shape of ${o.output} is unknown.`);
  const e = new GradEmitter();
  let seed: string = TRAIN_IO.seed;
  let lossName: string | undefined;
  if (o.loss.kind === 'distill') {
    const head = distillHead(e, o.output, outShape[outShape.length - 1], o.loss);
    seed = head.dS;
    lossName = head.lossName;
  }
  const wrt = [...o.trainable, ...(o.inputGrads ?? [])];
  const { grads } = buildBackward({ graph, shapes: o.shapes, wrt, seeds: new Map([[o.output, seed]]) }, e);
  graph.node.push(...e.nodes);
  graph.initializer.push(...e.initializers);
  const byName = weightsAsInputs(proto, o.trainable);
  const batchDims = (dims: readonly number[]) => dims.map((d, i) => (i === 0 ? 'N' : d));
  if (o.loss.kind === 'seed') graph.input.push(valueInfo(TRAIN_IO.seed, DataType.FLOAT, batchDims(outShape)));
  else {
    graph.input.push(valueInfo(TRAIN_IO.teacher, DataType.FLOAT, batchDims(outShape)));
    if (o.loss.labels) graph.input.push(valueInfo(TRAIN_IO.labels, DataType.INT64, ['N']));
  }
  const gradOutputs = new Map<string, string>();
  graph.output.splice(0, graph.output.length, ...graph.output.filter((v) => v.name === o.output));
  for (const [w, g] of grads) {
    const name = `${TRAIN_IO.gradPrefix}${w}`;
    graph.node.push(makeNode('Identity', [g], [name], `${name}/identity`));
    const dims = byName.get(w)?.dims.map(Number) ?? null;
    graph.output.push(valueInfo(name, DataType.FLOAT, dims));
    gradOutputs.set(w, name);
  }
  if (lossName) {
    graph.node.push(makeNode('Identity', [lossName], [TRAIN_IO.loss], `${TRAIN_IO.loss}/identity`));
    graph.output.push(valueInfo(TRAIN_IO.loss, DataType.FLOAT, []));
  }
  return { proto, gradOutputs };
}
