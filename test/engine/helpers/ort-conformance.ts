/** Runs an ONNX conformance case (model + test_data_set_*) on onnxruntime, comparing our re-encoding with the original. */
import { fromBinary } from '@bufbuild/protobuf';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import { StudioError } from '../../../shared/api/errors';
import { TensorProtoSchema, type ModelProto, type TensorProto, type ValueInfoProto } from '../../../electron/engine/onnx/proto';
import { tensorProtoToOrt } from '../../../electron/engine/runtime/tensor-proto';
import { compareWithExpected, identicalTensors } from './compare-tensors';

/** How one case ended. `failed` means our re-encoding changed what onnxruntime does. */
export type CaseResult =
  | { kind: 'passed' }
  | { kind: 'skipped'; reason: string }
  | { kind: 'ort-mismatch'; reason: string }
  | { kind: 'failed'; reason: string };

interface DataSet {
  name: string;
  inputs: TensorProto[];
  expected: TensorProto[];
}

type Outputs = Record<string, ort.Tensor>;

const SESSION_OPTIONS: ort.InferenceSession.SessionOptions = {
  intraOpNumThreads: 1,
  interOpNumThreads: 1,
  logSeverityLevel: 4,
};

/**
 * Finds every folder holding a `model.onnx` below a root.
 * @returns absolute folder paths, sorted
 */
export function findModelDirs(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    const entries = fs.readdirSync(dir, { withFileTypes: true });
    if (entries.some((e) => e.isFile() && e.name === 'model.onnx')) out.push(dir);
    for (const e of entries) if (e.isDirectory() && !e.name.startsWith('test_data_set_')) walk(path.join(dir, e.name));
  };
  walk(root);
  return out.sort();
}

/**
 * Runs a case on both byte versions of the model.
 * @param dir - the case folder
 * @param model - the decoded model (for input/output names and types)
 * @param ours - our re-encoded bytes
 * @param original - the file's bytes
 */
export async function runCase(dir: string, model: ModelProto, ours: Uint8Array, original: Uint8Array): Promise<CaseResult> {
  const graph = model.graph;
  if (!graph) return { kind: 'skipped', reason: 'harness: model has no graph' };
  const initNames = new Set(graph.initializer.map((t) => t.name));
  const inputs = graph.input.filter((v) => !initNames.has(v.name));
  const nonTensor = [...inputs, ...graph.output].find((v) => v.type?.value.case !== 'tensorType');
  if (nonTensor) {
    return { kind: 'skipped', reason: `harness: ${nonTensor.type?.value.case ?? 'untyped'} value "${nonTensor.name}" (only tensors are compared)` };
  }
  const sets = readDataSets(dir);
  if (sets.length === 0) return { kind: 'skipped', reason: 'harness: no test_data_set_*' };

  const session = await createSession(ours);
  if (session instanceof Error) {
    const again = await createSession(original);
    if (!(again instanceof Error)) {
      await again.release();
      return { kind: 'failed', reason: `session creation fails on our bytes only: ${firstLine(session)}` };
    }
    return { kind: 'skipped', reason: `session: ${firstLine(session)}` };
  }
  try {
    for (const set of sets) {
      const result = await runSet(session, set, inputs, graph.output, original);
      if (result.kind !== 'passed') return { ...result, reason: `${set.name}: ${result.reason}` };
    }
    return { kind: 'passed' };
  } finally {
    await session.release();
  }
}

async function runSet(
  session: ort.InferenceSession,
  set: DataSet,
  inputs: ValueInfoProto[],
  outputs: ValueInfoProto[],
  original: Uint8Array,
): Promise<CaseResult> {
  let feeds: Record<string, ort.Tensor>;
  try {
    feeds = Object.fromEntries(set.inputs.map((t, i) => [inputs[i]?.name ?? t.name, tensorProtoToOrt(t)]));
  } catch (err) {
    if (err instanceof StudioError) return { kind: 'skipped', reason: `harness: ${err.message}` };
    throw err;
  }
  const names = outputs.map((o) => o.name);
  const got = await run(session, feeds, names);
  if (got instanceof Error) {
    const theirs = await runBytes(original, feeds, names);
    if (!(theirs instanceof Error)) return { kind: 'failed', reason: `run fails on our bytes only: ${firstLine(got)}` };
    return { kind: 'skipped', reason: `run: ${firstLine(got)}` };
  }
  const mismatch = describeMismatch(got, names, set.expected);
  if (!mismatch) return { kind: 'passed' };
  const theirs = await runBytes(original, feeds, names);
  if (theirs instanceof Error) return { kind: 'failed', reason: `${mismatch}; the original model does not even run (${firstLine(theirs)})` };
  if (sameOutputs(got, theirs, names)) return { kind: 'ort-mismatch', reason: mismatch };
  const theirsAgain = await runBytes(original, feeds, names);
  if (!(theirsAgain instanceof Error) && !sameOutputs(theirs, theirsAgain, names)) {
    return { kind: 'ort-mismatch', reason: `nondeterministic outputs (${mismatch})` };
  }
  return { kind: 'failed', reason: `${mismatch}; the original model gives other outputs` };
}

function describeMismatch(got: Outputs, names: string[], expected: TensorProto[]): string | undefined {
  for (let i = 0; i < Math.min(names.length, expected.length); i++) {
    const actual = got[names[i]];
    if (!actual) return `output "${names[i]}" missing`;
    const diff = compareWithExpected(actual, expected[i]);
    if (diff) return `output "${names[i]}": ${diff}`;
  }
  return undefined;
}

function sameOutputs(a: Outputs, b: Outputs, names: string[]): boolean {
  return names.every((n) => a[n] !== undefined && b[n] !== undefined && identicalTensors(a[n], b[n]));
}

async function runBytes(bytes: Uint8Array, feeds: Record<string, ort.Tensor>, names: string[]): Promise<Outputs | Error> {
  const session = await createSession(bytes);
  if (session instanceof Error) return session;
  try {
    return await run(session, feeds, names);
  } finally {
    await session.release();
  }
}

async function createSession(bytes: Uint8Array): Promise<ort.InferenceSession | Error> {
  try {
    return await ort.InferenceSession.create(bytes, SESSION_OPTIONS);
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
}

async function run(session: ort.InferenceSession, feeds: Record<string, ort.Tensor>, names: string[]): Promise<Outputs | Error> {
  try {
    return (await session.run(feeds, names)) as Outputs;
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
}

function readDataSets(dir: string): DataSet[] {
  return fs
    .readdirSync(dir)
    .filter((n) => n.startsWith('test_data_set_'))
    .sort()
    .map((name) => {
      const setDir = path.join(dir, name);
      const read = (prefix: string) =>
        fs
          .readdirSync(setDir)
          .filter((f) => f.startsWith(prefix) && f.endsWith('.pb'))
          .sort((a, b) => pbIndex(a) - pbIndex(b))
          .map((f) => fromBinary(TensorProtoSchema, fs.readFileSync(path.join(setDir, f))));
      return { name, inputs: read('input_'), expected: read('output_') };
    });
}

function pbIndex(file: string): number {
  return Number(/_(\d+)\.pb$/.exec(file)?.[1] ?? 0);
}

function firstLine(err: Error): string {
  return err.message.split('\n')[0].replace(/\s+/g, ' ').slice(0, 240);
}
