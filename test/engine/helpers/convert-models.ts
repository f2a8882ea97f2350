/** Small old-opset models for the opset converter's tests, and a check that a converted model computes the same. */
import { create } from '@bufbuild/protobuf';
import * as ort from 'onnxruntime-node';
import { expect } from 'vitest';
import { encodeModel } from '../../../electron/engine/onnx/codec';
import { convertOpset, LATEST_OPSET, type OpsetConversionReport } from '../../../electron/engine/onnx/convert';
import { AttributeProtoSchema, AttributeType, type ModelProto, type NodeProto } from '../../../electron/engine/onnx/proto';

/** Adds a string attribute to a node built with build-model's `node` (which has no string attributes). */
export function withStrings(n: NodeProto, attrs: Record<string, string>): NodeProto {
  for (const [name, s] of Object.entries(attrs)) {
    n.attribute.push(create(AttributeProtoSchema, { name, type: AttributeType.STRING, s: new TextEncoder().encode(s) }));
  }
  return n;
}

/** Adds a FLOATS attribute to a node. */
export function withFloats(n: NodeProto, attrs: Record<string, number[]>): NodeProto {
  for (const [name, floats] of Object.entries(attrs)) n.attribute.push(create(AttributeProtoSchema, { name, type: AttributeType.FLOATS, floats }));
  return n;
}

/** A float32 input: its dims and deterministic pseudo-random values in [-2, 2). */
export function randomInput(dims: number[], seed = 1): { dims: number[]; data: number[] } {
  let x = seed * 2654435761;
  const data = Array.from({ length: dims.reduce((a, b) => a * b, 1) }, () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return (x / 2 ** 31) * 4 - 2;
  });
  return { dims, data };
}

type Feeds = Record<string, { dims: number[]; data: number[] }>;

/** Runs a model on onnxruntime; @returns every output as numbers, or the error when onnxruntime refuses the model. */
export async function tryRun(proto: ModelProto, feeds: Feeds): Promise<Record<string, number[]> | Error> {
  try {
    const session = await ort.InferenceSession.create(encodeModel(proto), { intraOpNumThreads: 1, logSeverityLevel: 4 });
    try {
      const inputs = Object.fromEntries(Object.entries(feeds).map(([k, v]) => [k, new ort.Tensor('float32', Float32Array.from(v.data), v.dims)]));
      const out = await session.run(inputs);
      return Object.fromEntries(Object.entries(out).map(([k, t]) => [k, Array.from(t.data as ArrayLike<number | bigint>, Number)]));
    } finally {
      await session.release();
    }
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
}

/**
 * Converts a model and checks onnxruntime computes on it what the original computes (or, when onnxruntime cannot run
 * the original, what `expected` says).
 * @returns the conversion's report
 */
export async function expectSameOutputs(
  original: ModelProto,
  feeds: Feeds,
  options: { target?: number; expected?: Record<string, number[]> } = {},
): Promise<OpsetConversionReport> {
  const { proto, report } = convertOpset(original, options.target ?? LATEST_OPSET);
  const got = await tryRun(proto, feeds);
  if (got instanceof Error) throw new Error(`the converted model does not run: ${got.message}`);
  const want = options.expected ?? (await tryRun(original, feeds));
  if (want instanceof Error) throw new Error(`the original does not run and no expected outputs were given: ${want.message}`);
  for (const [name, values] of Object.entries(want)) {
    expect(got[name], `output ${name}`).toBeDefined();
    expect(got[name].length, `output ${name} size`).toBe(values.length);
    values.forEach((v, i) => expect(got[name][i], `output ${name}[${i}]`).toBeCloseTo(v, 4));
  }
  return report;
}

/** @returns the adapters a report lists, flattened (`Slice-10: …`). */
export function adaptersOf(report: OpsetConversionReport): string[] {
  return report.ops.flatMap((o) => Object.keys(o.adapters));
}
