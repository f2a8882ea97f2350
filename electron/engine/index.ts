/** The engine's public entry: all the CLI and the server may import from the engine (design.md, "Inside the engine"). */

// Composition: an engine with every feature registered, and what its jobs receive
export { createEngine } from './features';
export type { StudioEngine } from './studio-engine';
export type { JobContext } from './jobs/job-runner';

// Host: the app's folders and version, and the client of the engine host process
export { appRoot, appVersion, outDir, samplePath, userDataDir } from './host/app-paths';
export { EngineClient } from './host/engine-client';
export { forkTransport } from './host/fork-transport';

// Loaders and files: ONNX models (and the validator of their structure), input tensors and preprocess configs, atomic writes
export { loadModelFile, type LoadedModel } from './onnx/load';
export { validateModel } from './onnx/validate';
export { modelInputs } from './runtime/inputs/input-spec';
export { readPreprocessConfig } from './runtime/inputs/model-extras';
export { familyConfigDirs, familyRunSettings } from './runtime/inputs/preprocess-state';
export { parseNpz } from './runtime/inputs/npz';
export { parsePbTensor } from './runtime/inputs/tensor-files';
export { writeFileAtomic } from './store/atomic-write';

// Services: the runtime (a standalone one, or the engine's), target profiles and their session settings
export { RuntimeService } from './runtime/runtime-service';
export { runtimeFor } from './runtime/engine-runtime';

// Tasks: a model run as a task (classify, detect, segment, image, audio, sequence, tensor) and its result drawn to PNG
export { runTask, guessModelTask, type TaskRun } from './runtime/tasks/run-task';
export { writeTaskRender } from './runtime/tasks/render-png';
export { ProfileStore } from './targets/profile-store';
export { installTargetSessionResolver } from './targets/session-profile';

// Analysis and graph: the summary, per-node analysis, the graph DTO with inferred shapes
export { summarize } from './analysis/summary';
export { analyzeModel } from './analysis/model-analysis';
export { graphDtoOf } from './graph/graph-dtos';
export { fillInferredShapes, INFER_SHAPES_MAX_NODES } from './graph/inferred-shapes';

// Convert: the ai.onnx opset of a model file
export { convertModelFile, LATEST_OPSET, OLDEST_DOWN_TARGET, type ConvertFileResult, type OpsetConversionReport } from './onnx/convert';

// Optimize: the built-in passes and the recipe runner
export { registerBuiltinPasses } from './optimize/passes';
export { supportedGradOps } from './train/grad-rules';
export type { DistillReport } from './train/distill';
export { fileSha256, runRecipe, validateRecipe, type RecipeRun } from './optimize/recipe-runner';

// Evaluate: comparisons on a dataset, recipe search, reports
export { compareModels } from './evaluate/compare';
export type { DatasetOptions } from './evaluate/datasets';
export { searchRecipes } from './evaluate/search';
export { formatOfPath, writeReport } from './evaluate/report/report-files';

// Package: plan and build an app project, runtime bundle or Triton repository
export { preparePackage } from './package/package-plan';
export { runPackage } from './package/package-run';

// Export: ONNX → TensorFlow Lite, checked on an independent runtime
export { exportTflite, type TfliteExportResult } from './export/export-tflite';
