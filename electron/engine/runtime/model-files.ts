/** The files the runner loads: the user's model as it is, and temporary copies (extra outputs) the engine writes. */
import { clone, create } from '@bufbuild/protobuf';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { StudioError } from '../../../shared/api/errors';
import { mapClonedTensors, ModelIR } from '../onnx/ir/model-ir';
import type { LoadedModel } from '../onnx/load';
import { ModelProtoSchema, ValueInfoProtoSchema } from '../onnx/proto';
import { saveModel } from '../onnx/save';
import type { RunnerModel } from './runner/runner-protocol';

/**
 * The runner's view of a user's model file.
 * @remarks The key holds the file's size and modification time, so a file replaced on disk gets a new session.
 */
export function runnerModelOf(loaded: LoadedModel): RunnerModel {
  let stamp = 'missing';
  try {
    const st = fs.statSync(loaded.path);
    stamp = `${st.size}:${st.mtimeMs}`;
  } catch {
    // the runner reports the missing file when it tries to load it
  }
  return { key: `${loaded.path}#${stamp}`, path: loaded.path, name: loaded.fileName };
}

/** @returns the prefix shared by every key of a model's file (for releasing all its sessions). */
export function modelKeyPrefix(loaded: LoadedModel): string {
  return `${loaded.path}#`;
}

/**
 * Checks tensor names of the main graph that may become extra outputs.
 * @throws StudioError `INVALID_REQUEST` naming the first unknown (or subgraph-only) tensor
 */
function checkTensorNames(ir: ModelIR, names: readonly string[]): void {
  const graph = ir.graph;
  for (const name of names) {
    if (graph.definesLocally(name)) continue;
    const inSubgraph = [...graph.allGraphs()].some((g) => g !== graph && g.definesLocally(name));
    throw new StudioError(
      'INVALID_REQUEST',
      inSubgraph
        ? `Tensor "${name}" lives inside a subgraph (If/Loop/Scan); only tensors of the main graph can be fetched.`
        : `The model has no tensor named "${name}". Pick a node output of the main graph.`,
    );
  }
}

/** Temporary model files (in the system's temp folder), deleted when their model closes or the engine stops. */
export class TempModels {
  private dir: string | undefined;
  private readonly files = new Map<string, { file: string; owner: string }>();

  /**
   * A copy of the model where the given tensors are also graph outputs (onnxruntime only returns graph outputs).
   * @param loaded - the model (never modified)
   * @param tensorNames - main-graph tensors to fetch
   * @returns the runner's view of the copy (written once per model and tensor set)
   * @throws StudioError `INVALID_REQUEST` for unknown tensors, `MODEL_TOO_LARGE` past protobuf's 2 GB once external
   * data is inlined
   */
  async withOutputs(loaded: LoadedModel, tensorNames: readonly string[]): Promise<RunnerModel> {
    const names = [...new Set(tensorNames)].sort();
    const base = runnerModelOf(loaded);
    const id = crypto.createHash('sha1').update(base.key).update('\0').update(names.join('\0')).digest('hex').slice(0, 16);
    const known = this.files.get(id);
    if (known && fs.existsSync(known.file)) return { key: `${known.file}#${id}`, path: known.file, name: loaded.fileName };
    const copy = clone(ModelProtoSchema, loaded.proto);
    const ir = new ModelIR(copy);
    checkTensorNames(ir, names);
    const graph = ir.graph;
    const typed = new Map(graph.valueInfo.map((v) => [v.name, v]));
    for (const name of names) {
      if (graph.isOutput(name)) continue;
      const info = typed.get(name);
      graph.outputs.push(info ? clone(ValueInfoProtoSchema, info) : create(ValueInfoProtoSchema, { name }));
    }
    graph.invalidate();
    const file = path.join(this.folder(), `${id}-${loaded.fileName.replace(/[^A-Za-z0-9._-]/g, '_')}`);
    await saveModel(copy, file, { sourceExternal: mapClonedTensors(loaded.proto, copy, loaded.external), protect: [loaded.path] });
    this.files.set(id, { file, owner: modelKeyPrefix(loaded) });
    return { key: `${file}#${id}`, path: file, name: loaded.fileName };
  }

  /**
   * Deletes the copies made from a model.
   * @returns the runner keys of the deleted copies' sessions (to release them)
   */
  forget(loaded: LoadedModel): string[] {
    const owner = modelKeyPrefix(loaded);
    const keys: string[] = [];
    for (const [id, f] of [...this.files]) {
      if (f.owner !== owner) continue;
      this.files.delete(id);
      fs.rmSync(f.file, { force: true });
      keys.push(`${f.file}#`);
    }
    return keys;
  }

  /** Deletes every temporary file. */
  dispose(): void {
    if (this.dir) fs.rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
    this.files.clear();
  }

  private folder(): string {
    this.dir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'deploy-studio-runtime-'));
    return this.dir;
  }
}
