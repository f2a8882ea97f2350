/** The input spec of an open model: stored with its variant family, resolved against its declared inputs. */
import type { InputSpec, InputSpecStateDto } from '../../../shared/api/input-spec';
import type { LoadedModel } from '../onnx/load';
import type { StudioEngine } from '../studio-engine';
import { variantStore } from '../variants/variant-family';
import { modelInputs } from './inputs/input-spec';
import { resolveInputs } from './inputs/spec-resolve';

/** @returns the spec the model's family runs with, when one was set. */
export function familyInputSpec(engine: StudioEngine, loaded: LoadedModel): InputSpec | undefined {
  return variantStore(engine).inputSpecOf(loaded.path);
}

/**
 * The spec and everything resolved from it (guesses marked).
 * @param spec - the spec to resolve (default: the family's)
 */
export function inputSpecState(engine: StudioEngine, modelId: string, spec?: InputSpec): InputSpecStateDto {
  const loaded = engine.loadedModel(modelId);
  const used = spec ?? familyInputSpec(engine, loaded) ?? { inputs: {}, dims: {} };
  const r = resolveInputs(modelInputs(loaded), used, {}, { proto: loaded.proto, baseDir: loaded.dir });
  return { modelId, spec: used, resolved: r.inputs, guesses: r.guesses };
}

/**
 * Sets the family's spec after checking it resolves against the model.
 * @throws StudioError `INVALID_REQUEST` for a spec naming inputs or dimensions the model lacks
 */
export function setFamilyInputSpec(engine: StudioEngine, modelId: string, spec: InputSpec): InputSpecStateDto {
  const state = inputSpecState(engine, modelId, spec);
  variantStore(engine).setInputSpec(engine.loadedModel(modelId).path, spec);
  return state;
}
