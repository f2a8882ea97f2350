/** Test helpers that make variants of the sample: by a recipe (any registered pass) or by rounding weights through the IR. */
import { clone } from '@bufbuild/protobuf';
import { ModelProtoSchema, DataType } from '../../../electron/engine/onnx/proto';
import { loadModelFile } from '../../../electron/engine/onnx/load';
import { saveModel } from '../../../electron/engine/onnx/save';
import { tensorValues } from '../../../electron/engine/onnx/tensor-data';
import { registerBuiltinPasses } from '../../../electron/engine/optimize/passes';
import { runRecipe } from '../../../electron/engine/optimize/recipe-runner';
import type { StudioEngine } from '../../../electron/engine/studio-engine';
import type { RecipeStep } from '../../../shared/recipes/recipe';

/**
 * Runs recipe steps on a model into `out`.
 * @returns the output path
 */
export async function makeVariant(engine: StudioEngine, source: string, steps: RecipeStep[], out: string): Promise<string> {
  registerBuiltinPasses();
  const loaded = loadModelFile(source);
  const { result } = engine.jobs.start('test', 'make a variant', (job) => runRecipe(engine, loaded, { kind: 'deploy-studio-recipe', version: 1, steps }, out, job));
  return (await result).outPath;
}

/**
 * Writes a copy whose float weights (rank ≥ 2) are rounded to `levels` steps per tensor (symmetric, like int8 weights
 * when `levels` is 127): outputs change a little, accuracy may too.
 */
export async function roundedWeightsCopy(source: string, out: string, levels: number): Promise<string> {
  const loaded = loadModelFile(source);
  const proto = clone(ModelProtoSchema, loaded.proto);
  for (const t of proto.graph?.initializer ?? []) {
    if (t.dataType !== DataType.FLOAT || t.dims.length < 2) continue;
    const values = Float32Array.from(tensorValues(t) as Float32Array);
    const max = values.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    const scale = max / levels || 1;
    for (let i = 0; i < values.length; i++) values[i] = Math.round(values[i] / scale) * scale;
    t.rawData = new Uint8Array(values.buffer);
    t.floatData = [];
  }
  await saveModel(proto, out);
  return out;
}
