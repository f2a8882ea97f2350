/** Static shape inference on real models: exported torchvision nets against their exporter's value_info, and ONNX
 * conformance cases against the shapes of their reference outputs. */
import { fromBinary } from '@bufbuild/protobuf';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { inferShapes } from '../../electron/engine/analysis/shape-inference';
import { isComplete, storedFacts, typeFacts } from '../../electron/engine/analysis/tensor-facts';
import type { TensorFacts } from '../../electron/engine/analysis/infer-types';
import { ModelIR } from '../../electron/engine/onnx/ir/model-ir';
import { loadModelFile } from '../../electron/engine/onnx/load';
import { TensorProtoSchema } from '../../electron/engine/onnx/proto';
import { CONFORMANCE, generated, SAMPLE } from './fixtures';

function shapesOf(file: string, opts: { dims?: Record<string, number> } = {}) {
  const loaded = loadModelFile(file);
  const ir = new ModelIR(loaded.proto);
  return { ir, result: inferShapes(ir, { external: loaded.external, useDeclared: false, ...opts }) };
}

describe('static shape inference on exported models', () => {
  const models = ['resnet18.onnx', 'mobilenet_v2.onnx', 'densenet121.onnx', 'transformer.onnx', 'constant-weights.onnx', 'if-model.onnx'];
  for (const name of models) {
    it(`gives every tensor of ${name} a shape that matches the exporter's value_info`, () => {
      const { ir, result } = shapesOf(generated(name));
      const missing: string[] = [];
      const wrong: string[] = [];
      for (const g of result.graphs) {
        for (const node of g.graph.nodes) {
          for (const out of node.output) {
            if (out && !isComplete(g.tensors.get(out)?.facts)) missing.push(`${g.path}:${out}`);
          }
        }
        for (const v of g.graph.valueInfo) {
          const declared = typeFacts(v.type, {});
          const got = g.tensors.get(v.name)?.facts;
          const agrees = (d: unknown, i: number) => (typeof d === 'number' ? got?.shape?.[i] === d : got?.shape?.[i] !== null);
          if (declared?.shape && !(got?.shape?.length === declared.shape.length && declared.shape.every(agrees))) {
            wrong.push(`${v.name}: declared ${JSON.stringify(declared.shape)}, inferred ${JSON.stringify(got?.shape)}`);
          }
        }
      }
      expect(missing).toEqual([]);
      expect(wrong).toEqual([]);
      expect(result.unknownOps.size).toBe(0);
      expect(ir.graph.nodes.length).toBeGreaterThan(0);
    });
  }

  it('keeps the batch symbol, and substitutes a given size', () => {
    const sym = shapesOf(generated('resnet18.onnx')).result.main;
    const out = sym.graph.outputs[0].name;
    expect(sym.tensors.get(out)?.facts?.shape).toEqual(['batch', 1000]);
    const four = shapesOf(generated('resnet18.onnx'), { dims: { batch: 4 } }).result.main;
    expect(four.tensors.get(out)?.facts?.shape).toEqual([4, 1000]);
  });

  it('folds the transformer reshape chain (Shape → Gather → Concat → Reshape) to symbolic shapes', () => {
    const { result } = shapesOf(generated('transformer.onnx'));
    const reshapes = result.main.graph.nodes.filter((n) => n.opType === 'Reshape');
    for (const r of reshapes) {
      const s = result.main.tensors.get(r.output[0])?.facts?.shape;
      expect(s?.every((d) => d !== null)).toBe(true);
    }
  });

  it('gives the sample model every shape', () => {
    const { result } = shapesOf(SAMPLE);
    for (const n of result.main.graph.nodes) expect(isComplete(result.main.tensors.get(n.output[0])?.facts)).toBe(true);
  });
});

/** Reads test_data_set_0 of a conformance case: input facts (with values for small ones) and output dims. */
function dataSet(dir: string, inputNames: string[], outputNames: string[]) {
  const ds = path.join(dir, 'test_data_set_0');
  if (!fs.existsSync(ds)) return undefined;
  const read = (f: string) => fromBinary(TensorProtoSchema, fs.readFileSync(path.join(ds, f)));
  const inputs = new Map<string, TensorFacts>();
  inputNames.forEach((name, i) => {
    const f = `input_${i}.pb`;
    if (fs.existsSync(path.join(ds, f))) inputs.set(name, storedFacts(read(f)));
  });
  const outputs = new Map<string, number[]>();
  outputNames.forEach((name, i) => {
    const f = `output_${i}.pb`;
    if (name && fs.existsSync(path.join(ds, f))) outputs.set(name, read(f).dims.map(Number));
  });
  return { inputs, outputs };
}

describe('static shape inference on ONNX conformance cases', () => {
  it.each(['node', 'pytorch-converted', 'pytorch-operator'])('matches the reference outputs of %s wherever it gives a shape', (suite) => {
    const root = path.join(CONFORMANCE, suite);
    const stats = { cases: 0, outputs: 0, matched: 0, unknown: 0 };
    const mismatches: string[] = [];
    for (const name of fs.readdirSync(root).sort()) {
      const file = path.join(root, name, 'model.onnx');
      if (!fs.existsSync(file)) continue;
      let loaded;
      try {
        loaded = loadModelFile(file);
      } catch {
        continue;
      }
      const ir = new ModelIR(loaded.proto);
      const tensorOutputs = ir.graph.outputs.filter((v) => v.type?.value.case === 'tensorType');
      const ds = dataSet(
        path.join(root, name),
        ir.graph.inputs.map((v) => v.name),
        ir.graph.outputs.map((v) => (tensorOutputs.includes(v) ? v.name : '')),
      );
      if (!ds || [...ds.inputs.values()].some((f) => f.dtype === 0)) continue;
      stats.cases++;
      const result = inferShapes(ir, { useDeclared: false, givenInputs: ds.inputs });
      for (const [out, dims] of ds.outputs) {
        stats.outputs++;
        const got = result.main.tensors.get(out)?.facts;
        if (!got?.shape || got.shape.some((d) => typeof d !== 'number')) {
          stats.unknown++;
          if (process.env.SHOW_UNKNOWN) console.log(`unknown: ${name}/${out} ${JSON.stringify(got?.shape)}`);
          continue;
        }
        if (JSON.stringify(got.shape) === JSON.stringify(dims)) stats.matched++;
        else mismatches.push(`${name}/${out}: inferred ${JSON.stringify(got.shape)}, reference ${JSON.stringify(dims)}`);
      }
    }
    console.log(`conformance shapes (${suite}): ${JSON.stringify(stats)}; mismatches: ${mismatches.length}`);
    console.log(mismatches.slice(0, 80).join('\n'));
    expect(stats.cases).toBeGreaterThan(suite === 'node' ? 500 : 5);
    expect(mismatches).toEqual([]);
    expect(stats.matched / stats.outputs).toBeGreaterThan(0.85);
  });
});
