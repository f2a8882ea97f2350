/** Runs a conformance case's original and opset-converted model on onnxruntime and classifies the outcome. */
import { fromBinary } from '@bufbuild/protobuf';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import { StudioError } from '../../../shared/api/errors';
import { encodeModel } from '../../../electron/engine/onnx/codec';
import { convertOpset } from '../../../electron/engine/onnx/convert';
import { TensorProtoSchema, type GraphProto, type ModelProto, type TensorProto } from '../../../electron/engine/onnx/proto';
import { tensorProtoToOrt } from '../../../electron/engine/runtime/tensor-proto';
import { compareWithExpected, identicalTensors } from './compare-tensors';

/** How one model fared. */
export type Outcome =
  | { kind: 'ok'; note?: string }
  | { kind: 'refused'; reason: string }
  | { kind: 'mismatch'; reason: string }
  | { kind: 'converted-fails'; reason: string }
  | { kind: 'ort-cannot-run'; reason: string }
  | { kind: 'not-compared'; reason: string };

type Outputs = Record<string, ort.Tensor>;

interface DataSet {
  inputs: TensorProto[];
  expected: TensorProto[];
}

const SESSION: ort.InferenceSession.SessionOptions = { intraOpNumThreads: 1, interOpNumThreads: 1, logSeverityLevel: 4 };

/** @returns the default-domain opset a model imports, or undefined. */
export function defaultOpset(model: ModelProto): number | undefined {
  const entry = model.opsetImport.find((o) => o.domain === '' || o.domain === 'ai.onnx');
  return entry ? Number(entry.version) : undefined;
}

/** @returns every default-domain op type of a model, subgraphs included. */
export function opTypes(model: ModelProto): Set<string> {
  const out = new Set<string>();
  const walk = (g: GraphProto | undefined) => {
    for (const n of g?.node ?? []) {
      if (n.domain === '' || n.domain === 'ai.onnx') out.add(n.opType);
      for (const a of n.attribute) [a.g, ...a.graphs].forEach((s) => s && walk(s));
    }
  };
  walk(model.graph);
  return out;
}

/**
 * Converts a conformance model to `target` and checks the converted model against the expected outputs.
 * @param dir - the case folder (model.onnx, test_data_set_*)
 * @param model - the decoded model
 * @param original - the file's bytes
 */
export async function checkConversion(dir: string, model: ModelProto, original: Uint8Array, target: number): Promise<Outcome> {
  let converted: ModelProto;
  try {
    converted = convertOpset(model, target, { name: path.basename(dir) }).proto;
  } catch (err) {
    if (err instanceof StudioError) return { kind: 'refused', reason: `${err.code}: ${err.message}` };
    throw err;
  }
  const graph = model.graph!;
  const inits = new Set(graph.initializer.map((t) => t.name));
  const inputs = graph.input.filter((v) => !inits.has(v.name));
  const nonTensor = [...inputs, ...graph.output].find((v) => v.type?.value.case !== 'tensorType');
  const bytes = encodeModel(converted);
  const sets = readDataSets(dir);
  const names = graph.output.map((o) => o.name);
  if (nonTensor || sets.length === 0) {
    const loads = await session(bytes);
    if (loads instanceof Error) return { kind: 'converted-fails', reason: firstLine(loads) };
    await loads.release();
    return { kind: 'not-compared', reason: nonTensor ? `${nonTensor.type?.value.case ?? 'untyped'} value "${nonTensor.name}"` : 'no test data' };
  }
  let note: string | undefined;
  for (const set of sets) {
    let feeds: Record<string, ort.Tensor>;
    try {
      feeds = Object.fromEntries(set.inputs.map((t, i) => [inputs[i]?.name ?? t.name, tensorProtoToOrt(t)]));
    } catch (err) {
      if (err instanceof StudioError) return { kind: 'not-compared', reason: err.message };
      throw err;
    }
    const ours = await runBytes(bytes, feeds, names);
    const theirs = await runBytes(original, feeds, names);
    if (ours instanceof Error) {
      if (theirs instanceof Error) return { kind: 'ort-cannot-run', reason: firstLine(theirs) };
      return { kind: 'converted-fails', reason: firstLine(ours) };
    }
    const diff = mismatch(ours, names, set.expected);
    if (!diff) {
      if (theirs instanceof Error) note = `onnxruntime runs only the converted model (the original: ${firstLine(theirs)})`;
      continue;
    }
    if (!(theirs instanceof Error) && names.every((n) => identicalTensors(ours[n], theirs[n]))) {
      return { kind: 'ok', note: `onnxruntime differs from the expected outputs on the original too (${diff})` };
    }
    return { kind: 'mismatch', reason: diff };
  }
  return note ? { kind: 'ok', note } : { kind: 'ok' };
}

function mismatch(got: Outputs, names: string[], expected: TensorProto[]): string | undefined {
  for (let i = 0; i < Math.min(names.length, expected.length); i++) {
    const actual = got[names[i]];
    if (!actual) return `output "${names[i]}" missing`;
    const diff = compareWithExpected(actual, expected[i]);
    if (diff) return `output "${names[i]}": ${diff}`;
  }
  return undefined;
}

async function session(bytes: Uint8Array): Promise<ort.InferenceSession | Error> {
  try {
    return await ort.InferenceSession.create(bytes, SESSION);
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
}

/** Runs a model's bytes once on onnxruntime. */
export async function runBytes(bytes: Uint8Array, feeds: Record<string, ort.Tensor>, names: string[]): Promise<Outputs | Error> {
  const s = await session(bytes);
  if (s instanceof Error) return s;
  try {
    return (await s.run(feeds, names)) as Outputs;
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  } finally {
    await s.release();
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
          .sort((a, b) => index(a) - index(b))
          .map((f) => fromBinary(TensorProtoSchema, fs.readFileSync(path.join(setDir, f))));
      return { inputs: read('input_'), expected: read('output_') };
    });
}

function index(file: string): number {
  return Number(/_(\d+)\.pb$/.exec(file)?.[1] ?? 0);
}

function firstLine(err: Error): string {
  return err.message.split('\n')[0].replace(/\s+/g, ' ').slice(0, 200);
}
