/** Tensor runners for passes: a model held in memory runs in an inference process, with any intermediate tensors as extra outputs. */
import { create } from '@bufbuild/protobuf';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { StudioError } from '../../../shared/api/errors';
import type { ResolvedSessionOptions } from '../../../shared/api/runtime-api';
import type { ExternalRef } from '../onnx/external-data';
import { TypeProtoSchema, ValueInfoProtoSchema, type ModelProto, type TensorProto } from '../onnx/proto';
import { saveModel } from '../onnx/save';
import type { BackendSessionOptions, HostTensor, ValueMeta } from './backend';
import { fromBulk, makeBulkDir } from './runner/bulk-tensors';
import type { RunnerClient } from './runner/runner-client';
import type { RunOutcome, RunnerModel, SessionMeta } from './runner/runner-protocol';

/** A loaded model that runs batches and returns named tensors. */
export interface TensorRunner {
  readonly inputs: readonly ValueMeta[];
  readonly outputs: readonly ValueMeta[];
  /**
   * Runs once.
   * @param feeds - input tensors
   * @param outputNames - what to fetch (default: every output, extra ones included)
   */
  run(feeds: Record<string, HostTensor>, outputNames?: readonly string[]): Promise<Record<string, HostTensor>>;
  /** Frees the session and its temporary files. */
  release(): Promise<void>;
}

export interface TensorRunnerOptions {
  /** intermediate tensors to add as outputs (name and ONNX element type) */
  extraOutputs?: ReadonlyArray<{ name: string; elemType: number }>;
  /** onnxruntime's graph optimization level; `all` by default */
  optimization?: 'disabled' | 'basic' | 'extended' | 'all';
  /** what the model is, for messages */
  what: string;
  /** cancels the runs (the inference process is stopped when a run does not end soon enough) */
  signal?: AbortSignal;
}

/** What passes see of the runtime: open a model held in memory (every run goes to an inference process). */
export interface ModelRuntime {
  /**
   * Loads a model held in memory into a session of the inference process that serves jobs.
   * @param proto - the model (left as it was: extra outputs are added only while it is written out)
   * @param external - where its external tensors live
   * @param o - extra outputs, optimization level, cancellation
   * @throws StudioError `INFERENCE_FAILED` when onnxruntime refuses the model, `WORKER_CRASHED` when the process dies
   */
  openTensorRunner(proto: ModelProto, external: ReadonlyMap<TensorProto, ExternalRef>, o: TensorRunnerOptions): Promise<TensorRunner>;
}

let nextKey = 1;

/** Writes the model (with the extra outputs) to a temporary folder; @returns the folder and file. */
async function writeTemp(proto: ModelProto, external: ReadonlyMap<TensorProto, ExternalRef>, o: TensorRunnerOptions): Promise<{ dir: string; file: string }> {
  const graph = proto.graph;
  if (!graph) throw new StudioError('INVALID_MODEL', `${o.what} has no graph.`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ds-quant-run-'));
  const file = path.join(dir, 'model.onnx');
  const known = new Set(graph.output.map((v) => v.name));
  const added = (o.extraOutputs ?? [])
    .filter((e) => !known.has(e.name))
    .map((e) =>
      create(ValueInfoProtoSchema, {
        name: e.name,
        type: create(TypeProtoSchema, { value: { case: 'tensorType', value: { elemType: e.elemType } } }),
      }),
    );
  const count = graph.output.length;
  graph.output.push(...added);
  try {
    await saveModel(proto, file, { sourceExternal: external }).catch((err: unknown) => {
      if (err instanceof StudioError && err.code === 'MODEL_TOO_LARGE') {
        return saveModel(proto, file, { sourceExternal: external, externalData: { location: 'model.onnx.data' } });
      }
      throw err;
    });
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  } finally {
    graph.output.splice(count);
  }
  return { dir, file };
}

/**
 * Opens tensor runners in an inference process: the model is written to a temporary file, the process loads it with
 * the resolved session settings, and every run crosses to that process (a native crash fails the job with
 * `WORKER_CRASHED`; the engine and its open models stay).
 * @param runner - the inference process that serves jobs
 * @param settings - the session options every job's session gets (from the one resolver)
 */
export function processModelRuntime(runner: RunnerClient, settings: () => Promise<{ options: BackendSessionOptions; resolved: ResolvedSessionOptions }>): ModelRuntime {
  return {
    async openTensorRunner(proto, external, o) {
      const { dir, file } = await writeTemp(proto, external, o);
      const model: RunnerModel = { key: `tensor-runner-${process.pid}-${nextKey++}`, path: file, name: o.what };
      const bulkDir = makeBulkDir();
      const cleanup = () => {
        fs.rmSync(dir, { recursive: true, force: true });
        fs.rmSync(bulkDir, { recursive: true, force: true });
      };
      let options: BackendSessionOptions;
      let meta: SessionMeta;
      try {
        options = { ...(await settings()).options, graphOptimizationLevel: o.optimization ?? 'all' };
        meta = await runner.call<SessionMeta>({ op: 'meta', model, options }, { what: `loading ${o.what}`, signal: o.signal });
      } catch (err) {
        cleanup();
        throw err;
      }
      return {
        inputs: meta.inputs,
        outputs: meta.outputs,
        async run(feeds, outputNames) {
          const r = await runner.call<RunOutcome>(
            { op: 'run', model, options, feeds, bulkDir, ...(outputNames ? { outputs: [...outputNames] } : {}) },
            { what: `the run of ${o.what}`, signal: o.signal },
          );
          return fromBulk(r.outputs);
        },
        async release() {
          try {
            if (runner.pid !== undefined) await runner.call({ op: 'release', modelKey: `${model.key}|` }, { what: 'releasing a session' }).catch(() => undefined);
          } finally {
            cleanup();
          }
        },
      };
    },
  };
}
