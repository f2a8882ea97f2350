/** The runtime feature's StudioApi handlers: input specs, run and benchmark as jobs, the demo's images and classifier. */
import { PreprocessConfigSchema } from '../../../shared/api/preprocess';
import type { InputSpecDto } from '../../../shared/api/runtime-api';
import type { LoadedModel } from '../onnx/load';
import type { FeatureHandlers, StudioEngine } from '../studio-engine';
import { readablePath } from '../store/path-access';
import { classifyImage, listDemoImages } from './demo';
import { runtimeFor } from './engine-runtime';
import { configFromShape } from './inputs/image-input';
import { modelInputs, modelOutputs, symbolicDims } from './inputs/input-spec';
import { findModelExtras } from './inputs/model-extras';
import { familyInputSpec, inputSpecState, setFamilyInputSpec } from './model-input-spec';
import { familyRunSettings } from './inputs/preprocess-state';

/** @returns a check that refuses files outside the session's folders (serve mode), the model's folder excepted. */
function readableCheck(engine: StudioEngine, loaded: LoadedModel): (file: string) => void {
  return (file) => void readablePath(engine.settings, file, 'The file', [loaded.dir]);
}

/** @returns what a model needs as inputs, and the preprocess config, labels and sample images beside it. */
function inputSpec(engine: StudioEngine, modelId: string, loaded: LoadedModel): InputSpecDto {
  const inputs = modelInputs(loaded);
  const extras = findModelExtras(loaded.path);
  // the family's settings (the Model place's editor) over the files beside the model
  const family = familyRunSettings(engine, loaded);
  const axes = inputSpecState(engine, modelId).resolved.flatMap((r) => r.axes);
  return {
    modelId,
    fileName: loaded.fileName,
    inputs: inputs.map((i) => ({
      name: i.name,
      dtype: i.dtype,
      shape: i.shape,
      acceptsImages: family.preprocess?.config.inputName ? family.preprocess.config.inputName === i.name : configFromShape(i.shape) !== null,
    })),
    outputs: modelOutputs(loaded).map((o) => ({ name: o.name, dtype: o.dtype, shape: o.shape })),
    // the defaults shown are the ones runs use: the family's input spec, then the studio's guesses
    dims: symbolicDims(inputs).map((d) => ({ ...d, default: axes.find((a) => a.symbol === d.name)?.value ?? d.default })),
    preprocess: family.preprocess?.config ?? null,
    preprocessPath: family.preprocess?.source ?? null,
    labels: family.labels?.names ?? null,
    labelsPath: family.labels?.source ?? null,
    hasDemoImages: extras.imagesDir !== null,
  };
}

/** @returns the runtime methods of the StudioApi. */
export function runtimeHandlers(engine: StudioEngine): FeatureHandlers {
  const fmt = (ms: number) => `${ms.toFixed(ms < 10 ? 3 : 1)} ms`;
  return {
    getInputSpec: async (req) => inputSpec(engine, req.modelId, engine.loadedModel(req.modelId)),
    getInputSpecState: async (req) => inputSpecState(engine, req.modelId),
    setInputSpec: async (req) => setFamilyInputSpec(engine, req.modelId, { inputs: req.spec.inputs ?? {}, dims: req.spec.dims ?? {} }),
    runModel: async (req) => {
      const loaded = engine.loadedModel(req.modelId);
      const job = engine.jobs.start(
        'run-model',
        `Run ${loaded.fileName}`,
        async (ctx) => {
          const result = await runtimeFor(engine).run(loaded, {
            sources: req.inputs,
            dims: req.dims,
            session: req.session,
            targetId: req.targetId,
            topK: req.topK,
            labelsPath: req.labelsPath,
            spec: familyInputSpec(engine, loaded),
            specDir: loaded.dir,
            family: familyRunSettings(engine, loaded),
            checkReadable: readableCheck(engine, loaded),
            signal: ctx.signal,
            onProgress: (f, stage) => ctx.progress(f, stage),
          });
          ctx.log(`ran in ${fmt(result.latencyMs)} (session ${result.sessionCached ? 'cached' : `created in ${fmt(result.sessionCreateMs)}`})`);
          return result;
        },
        req.jobId,
      );
      return job.result;
    },
    benchmark: async (req) => {
      const loaded = engine.loadedModel(req.modelId);
      const job = engine.jobs.start(
        'benchmark',
        `Benchmark ${loaded.fileName}`,
        async (ctx) => {
          const r = await runtimeFor(engine).benchmark(loaded, {
            sources: req.inputs,
            dims: req.dims,
            session: req.session,
            targetId: req.targetId,
            runs: req.runs,
            seconds: req.seconds,
            warmup: req.warmup,
            batch: req.batch,
            profile: req.profile,
            spec: familyInputSpec(engine, loaded),
            specDir: loaded.dir,
            family: familyRunSettings(engine, loaded),
            checkReadable: readableCheck(engine, loaded),
            signal: ctx.signal,
            onProgress: (f, stage) => ctx.progress(f, stage),
          });
          ctx.log(`session ${fmt(r.sessionCreateMs)}, first run ${fmt(r.firstRunMs)}; ${r.runs} runs: p50 ${fmt(r.latencyMs.p50)}, p90 ${fmt(r.latencyMs.p90)}, CV ${(r.coefficientOfVariation * 100).toFixed(1)} %`);
          return r;
        },
        req.jobId,
      );
      return job.result;
    },
    listDemoImages: async (req) => listDemoImages(engine.loadedModel(req.modelId)),
    classifyImage: async (req) => {
      const loaded = engine.loadedModel(req.modelId);
      return classifyImage(runtimeFor(engine), loaded, req.modelId, {
        imagePath: req.imagePath,
        topK: req.topK,
        preprocess: req.preprocess ? PreprocessConfigSchema.parse(req.preprocess) : undefined,
        labels: req.labels,
        family: familyRunSettings(engine, loaded),
        targetId: req.targetId,
        checkReadable: readableCheck(engine, loaded),
      });
    },
    getRuntimeInfo: async () => runtimeFor(engine).info(),
  };
}
