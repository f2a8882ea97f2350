/** Validation during distillation: the student with its current weights against labels and the teacher, on held-out data. */
import { clone } from '@bufbuild/protobuf';
import type { DatasetOptions } from '../evaluate/datasets';
import { modelIo, openDataset } from '../evaluate/datasets';
import type { ExternalRef } from '../onnx/external-data';
import { mapClonedTensors } from '../onnx/ir/model-ir';
import { ModelProtoSchema, type ModelProto, type TensorProto } from '../onnx/proto';
import type { HostTensor } from '../runtime/backend';
import type { ModelRuntime, TensorRunner } from '../runtime/calibration-run';
import { weightsAsInputs } from './training-graph';

/** How the student did on the validation data. */
export interface ValidationFigures {
  /** items evaluated */
  items: number;
  /** top-1 accuracy against the labels (null without labels) */
  top1: number | null;
  /** share of items where the student's top class is the teacher's */
  agreement: number;
}

interface OpenRequest {
  runtime: ModelRuntime;
  student: { proto: ModelProto; external: ReadonlyMap<TensorProto, ExternalRef> };
  teacher: TensorRunner;
  teacherOutput: string;
  output: string;
  trainable: readonly string[];
  val: DatasetOptions;
  signal?: AbortSignal;
}

function argmaxRows(t: HostTensor): number[] {
  const data = t.data as Float32Array;
  const classes = t.dims[t.dims.length - 1];
  const rows = data.length / classes;
  const out: number[] = [];
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (data[r * classes + c] > data[r * classes + best]) best = c;
    out.push(best);
  }
  return out;
}

export const evaluateStudent = {
  /**
   * Opens the student with its trainable weights as inputs (fed at each validation), and the validation data.
   * @returns the runner (the caller releases it) and `run(weights)`
   */
  async open(req: OpenRequest): Promise<{ runner: TensorRunner; run(weights: ReadonlyMap<string, Float32Array>): Promise<ValidationFigures> }> {
    const proto = clone(ModelProtoSchema, req.student.proto);
    const dims = new Map([...weightsAsInputs(proto, req.trainable)].map(([k, t]) => [k, t.dims.map(Number)]));
    const runner = await req.runtime.openTensorRunner(proto, mapClonedTensors(req.student.proto, proto, req.student.external), { what: 'the student (validation)', signal: req.signal });
    const dataset = openDataset(req.val, modelIo(req.student.proto));
    let teacherTop: number[] | null = null;
    return {
      runner,
      async run(weights) {
        const fresh = teacherTop === null;
        const teacher: number[] = teacherTop ?? [];
        let items = 0;
        let correct = 0;
        let labelled = 0;
        let agree = 0;
        for await (const b of dataset.batches(dataset.maxBatch(64), req.signal)) {
          const feeds: Record<string, HostTensor> = { ...b.inputs };
          for (const [name, w] of weights) feeds[name] = { dtype: 'float32', dims: dims.get(name) ?? [w.length], data: w };
          const s = argmaxRows((await runner.run(feeds, [req.output]))[req.output]);
          if (fresh) teacher.push(...argmaxRows((await req.teacher.run(b.inputs, [req.teacherOutput]))[req.teacherOutput]));
          s.forEach((cls, i) => {
            const label = b.labels?.[i];
            if (label !== null && label !== undefined) {
              labelled++;
              if (label === cls) correct++;
            }
            if (teacher[items + i] === cls) agree++;
          });
          items += s.length;
        }
        teacherTop = teacher;
        return { items, top1: labelled ? correct / labelled : null, agreement: items ? agree / items : 0 };
      },
    };
  },
};
