/** Evaluation: datasets, metrics, `evaluateModel`, comparisons of variants, recipe search and reports. */
export * from './datasets';
export { evaluateModel, evalModel, type EvaluateOptions } from './evaluate-model';
export { evaluateAlternating, pickOutput, type EvalModel, type EvalSetup, type ModelMetrics } from './evaluate-core';
export { ClassificationAccumulator, ExpectedAccumulator, FidelityAccumulator, argmax, classRows, paretoFront, rankOf, rowValues } from './metrics';
