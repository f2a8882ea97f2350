/** The one bound store, built from typed slices (house style 10). */
import { create } from 'zustand';
import { createGraphSlice, prefetchGraphs, type GraphSlice } from './graph-slice';
import { createJobsSlice, type JobsSlice } from './jobs-slice';
import { createModelSlice, type ModelSlice } from './model-slice';
import { createUiSlice, type UiSlice } from './ui-slice';
import { createVariantsSlice, type VariantsSlice } from './variants-slice';
import { createCompareSlice, type CompareSlice } from './compare-slice';
import { createTargetSlice, type TargetSlice } from './target-slice';
import { createPackageSlice, type PackageSlice } from './package-slice';
import { createPruneSlice, type PruneSlice } from './prune-slice';
import { createDemoSlice, type DemoSlice } from './demo-slice';
import { createBenchSlice, type BenchSlice } from './bench-slice';
import { createQuantizeSlice, type QuantizeSlice } from './quantize-slice';
import { createInputSpecSlice, type InputSpecSlice } from './input-spec-slice';
import { createPreprocessSlice, type PreprocessSlice } from './preprocess-slice';

export type StudioState = ModelSlice & UiSlice & JobsSlice & GraphSlice & VariantsSlice & CompareSlice & TargetSlice & PackageSlice & PruneSlice & DemoSlice & BenchSlice & QuantizeSlice & InputSpecSlice & PreprocessSlice;

export const useStudio = create<StudioState>()((...a) => ({
  ...createModelSlice(...a),
  ...createUiSlice(...a),
  ...createJobsSlice(...a),
  ...createGraphSlice(...a),
  ...createVariantsSlice(...a),
  ...createCompareSlice(...a),
  ...createTargetSlice(...a),
  ...createPackageSlice(...a),
  ...createPruneSlice(...a),
  ...createDemoSlice(...a),
  ...createBenchSlice(...a),
  ...createQuantizeSlice(...a),
  ...createInputSpecSlice(...a),
  ...createPreprocessSlice(...a),
}));

prefetchGraphs(useStudio);

export { modelSelectors } from './model-slice';
export { uiSelectors, PLACES, type Place } from './ui-slice';
export { jobSelectors } from './jobs-slice';
export { graphSelectors } from './graph-slice';
export { variantSelectors } from './variants-slice';
export { compareSelectors } from './compare-slice';
export { targetSelectors } from './target-slice';
export { packageSelectors } from './package-slice';
export { pruneSelectors } from './prune-slice';
export { demoSelectors } from './demo-slice';
export { benchSelectors } from './bench-slice';
export { quantizeSelectors } from './quantize-slice';
export { inputSpecSelectors } from './input-spec-slice';
export { preprocessSelectors } from './preprocess-slice';
