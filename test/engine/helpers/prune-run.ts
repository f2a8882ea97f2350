/** Runs a pruning pass through the recipe runner (as the CLI and GUI do) and checks results independently. */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { encodeModel } from '../../../electron/engine/onnx/codec';
import { loadModelFile } from '../../../electron/engine/onnx/load';
import type { ModelProto } from '../../../electron/engine/onnx/proto';
import { registerBuiltinPasses } from '../../../electron/engine/optimize/passes';
import { runRecipe } from '../../../electron/engine/optimize/recipe-runner';
import { StudioEngine } from '../../../electron/engine/studio-engine';

export interface PruneRun<R> {
  out: string;
  report: R;
  warnings: string[];
}

/** A scratch folder removed by the caller. */
export function scratchDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'ds-prune-test-'));
}

/** Writes a model built in a test to a file. */
export function writeModel(proto: ModelProto, dir: string, name: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, encodeModel(proto));
  return file;
}

/**
 * Runs recipe steps on a model file into `dir`.
 * @returns the output file, the last step's report and the warnings
 */
export async function runSteps<R>(modelPath: string, steps: Array<{ pass: string; options: Record<string, unknown> }>, dir: string): Promise<PruneRun<R> & { reports: Record<string, unknown> }> {
  registerBuiltinPasses();
  const engine = new StudioEngine({ dataDir: path.join(dir, 'data'), samplePath: modelPath, appVersion: 'test' });
  const out = path.join(dir, `${path.basename(modelPath, '.onnx')}-${steps.map((s) => s.pass).join('+')}-${Date.now()}.onnx`);
  const { result } = engine.jobs.start('prune', 'prune', (job) => runRecipe(engine, loadModelFile(modelPath), { kind: 'deploy-studio-recipe', version: 1, steps }, out, job));
  const run = await result.finally(() => engine.dispose());
  const last = steps[steps.length - 1].pass;
  const key = steps.length > 1 ? `${steps.length}:${last}` : last;
  return { out: run.outPath, report: run.reports[key] as R, warnings: run.warnings, reports: run.reports };
}

/** Runs one pass. */
export async function runPass<R>(modelPath: string, pass: string, options: Record<string, unknown>, dir: string): Promise<PruneRun<R>> {
  return runSteps<R>(modelPath, [{ pass, options }], dir);
}

const PYTHON_MACS = String.raw`
import json, sys, onnx
from onnx import shape_inference
def prod(v):
    p = 1
    for x in v: p *= x
    return p
out = {}
for path in sys.argv[1:]:
    m = onnx.load(path)
    onnx.checker.check_model(m, full_check=True)
    for i in m.graph.input:
        for d in i.type.tensor_type.shape.dim:
            if d.dim_param: d.dim_value = 1
    m = shape_inference.infer_shapes(m, strict_mode=True)
    shapes = {v.name: [d.dim_value for d in v.type.tensor_type.shape.dim] for v in list(m.graph.value_info) + list(m.graph.output)}
    inits = {t.name: list(t.dims) for t in m.graph.initializer}
    total = 0
    for n in m.graph.node:
        if n.op_type not in ('Conv', 'Gemm', 'MatMul'): continue
        w, y = inits[n.input[1]], shapes[n.output[0]]
        if n.op_type == 'Conv': k = prod(w[1:])
        elif n.op_type == 'Gemm': k = w[1] if any(a.name == 'transB' and a.i for a in n.attribute) else w[0]
        else: k = w[0]
        total += prod(y) * k
    out[path] = total
print(json.dumps(out))
`;

/**
 * Checks models with the ONNX reference implementation (python3-onnx): the checker with full shape inference in strict
 * mode, then counts Conv/Gemm/MatMul MACs from the inferred shapes.
 * @returns MACs per file
 * @throws when a model is invalid or its recorded shapes disagree with inference
 */
export function onnxCheckAndMacs(files: string[]): Record<string, number> {
  const out = execFileSync('/usr/bin/python3', ['-c', PYTHON_MACS, ...files], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out) as Record<string, number>;
}
