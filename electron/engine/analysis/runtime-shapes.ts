/** The shape fallback: one onnxruntime run, through the runtime's `runWithIntermediates` (a temporary copy of the model
 * with the missing tensors as extra outputs, run in the isolated runner process). */
import { StudioError } from '../../../shared/api/errors';
import type { LoadedModel } from '../onnx/load';
import { DataType } from '../onnx/proto';
import { buildFeeds } from '../runtime/inputs/build-feeds';
import { modelInputs } from '../runtime/inputs/input-spec';
import { runtimeFor } from '../runtime/engine-runtime';
import type { StudioEngine } from '../studio-engine';
import type { TensorFacts } from './infer-types';

const DTYPES: Record<string, number> = {
  float32: DataType.FLOAT,
  float64: DataType.DOUBLE,
  float16: DataType.FLOAT16,
  int8: DataType.INT8,
  uint8: DataType.UINT8,
  int16: DataType.INT16,
  uint16: DataType.UINT16,
  int32: DataType.INT32,
  uint32: DataType.UINT32,
  int64: DataType.INT64,
  uint64: DataType.UINT64,
  bool: DataType.BOOL,
  string: DataType.STRING,
};

/**
 * Runs the model once (seeded random inputs at the given sizes) and reads the shapes of the given tensors.
 * @param engine - the engine whose runtime runs it
 * @param loaded - the model (never modified)
 * @param names - main-graph tensors to measure
 * @param dims - sizes of symbolic input dims (symbols without a size get 1)
 * @param signal - cancellation
 * @returns facts of each tensor onnxruntime returned
 * @throws StudioError when the model cannot be run (the runtime's message)
 */
export async function runtimeShapes(engine: StudioEngine, loaded: LoadedModel, names: readonly string[], dims: Readonly<Record<string, number>>, signal?: AbortSignal): Promise<Map<string, TensorFacts>> {
  const built = await buildFeeds({ inputs: modelInputs(loaded), dims: { ...dims } });
  if (signal?.aborted) throw new StudioError('JOB_CANCELLED', 'Shape analysis was cancelled.');
  const tensors = await runtimeFor(engine).runWithIntermediates(loaded, built.feeds, names, { signal, session: { graphOptimizationLevel: 'disabled' } });
  const out = new Map<string, TensorFacts>();
  for (const name of names) {
    const t = tensors[name];
    if (t) out.set(name, { dtype: DTYPES[t.dtype] ?? 0, shape: [...t.dims] });
  }
  return out;
}
