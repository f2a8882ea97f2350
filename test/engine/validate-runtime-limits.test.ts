/** The validator's runtime limits match the bundled onnxruntime-node: the newest IR version and opsets load, the next ones are refused. */
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { encodeModel } from '../../electron/engine/onnx/codec';
import type { ModelProto } from '../../electron/engine/onnx/proto';
import { MAX_IR_VERSION, MAX_OPSET } from '../../electron/engine/onnx/validate';
import { graph, model, node, value } from './helpers/build-model';

function relu(options: { irVersion?: number; opset?: number; extra?: [string, number] } = {}): ModelProto {
  const m = model(graph({ nodes: [node('Relu', ['x'], ['y'])], inputs: [value('x', [2])], outputs: [value('y', [2])] }), {
    irVersion: options.irVersion ?? MAX_IR_VERSION,
    opset: options.opset ?? 17,
  });
  if (options.extra) m.opsetImport.push({ ...m.opsetImport[0], domain: options.extra[0], version: BigInt(options.extra[1]) });
  return m;
}

async function loads(m: ModelProto): Promise<boolean> {
  try {
    await (await ort.InferenceSession.create(encodeModel(m), { logSeverityLevel: 4 })).release();
    return true;
  } catch {
    return false;
  }
}

describe('runtime limits', () => {
  it(`IR ${MAX_IR_VERSION} loads, IR ${MAX_IR_VERSION + 1} is refused`, async () => {
    expect(await loads(relu())).toBe(true);
    expect(await loads(relu({ irVersion: MAX_IR_VERSION + 1 }))).toBe(false);
  });

  it.each(Object.entries(MAX_OPSET))('domain "%s" loads up to opset %i', async (domain, max) => {
    const at = (v: number) => (domain === '' ? relu({ opset: v }) : relu({ extra: [domain, v] }));
    expect(await loads(at(max))).toBe(true);
    expect(await loads(at(max + 1))).toBe(false);
  });
});
