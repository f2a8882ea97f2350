/** In-process sessions for quantization: run a model held in memory, with any intermediate tensors as extra outputs. */
import { create } from '@bufbuild/protobuf';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { StudioError } from '../../../shared/api/errors';
import type { ExternalRef } from '../onnx/external-data';
import { TypeProtoSchema, ValueInfoProtoSchema, type ModelProto, type TensorProto } from '../onnx/proto';
import { saveModel } from '../onnx/save';
import type { BackendSession, HostTensor, ValueMeta } from './backend';
import { OrtBackend } from './ort-backend-impl';

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
  intraOpThreads?: number;
  /** what the model is, for messages */
  what: string;
}

const backend = new OrtBackend();

/**
 * Loads a model held in memory into an in-process onnxruntime session.
 * @param proto - the model (left as it was: extra outputs are added only while it is written out)
 * @param external - where its external tensors live
 * @param o - extra outputs, optimization level, threads
 * @throws StudioError `INFERENCE_FAILED` when onnxruntime refuses the model
 */
export async function openTensorRunner(proto: ModelProto, external: ReadonlyMap<TensorProto, ExternalRef>, o: TensorRunnerOptions): Promise<TensorRunner> {
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
  let session: BackendSession;
  try {
    session = await backend.createSession(file, {
      graphOptimizationLevel: o.optimization ?? 'all',
      ...(o.intraOpThreads ? { intraOpThreads: o.intraOpThreads } : {}),
    });
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw new StudioError('INFERENCE_FAILED', `onnxruntime could not load ${o.what}: ${(err as Error).message}`, { cause: err });
  }
  return {
    inputs: session.inputs,
    outputs: session.outputs,
    async run(feeds, outputNames) {
      try {
        return await session.run(session.prepare(feeds), outputNames);
      } catch (err) {
        throw new StudioError('INFERENCE_FAILED', `onnxruntime failed to run ${o.what}: ${(err as Error).message}`, { cause: err });
      }
    },
    async release() {
      try {
        await session.release();
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
