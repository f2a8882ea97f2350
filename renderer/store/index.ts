/** The one bound store, built from typed slices (house style 10). */
import { create } from 'zustand';
import { createJobsSlice, type JobsSlice } from './jobs-slice';
import { createModelSlice, type ModelSlice } from './model-slice';
import { createUiSlice, type UiSlice } from './ui-slice';
import { createVariantsSlice, type VariantsSlice } from './variants-slice';

export type StudioState = ModelSlice & UiSlice & JobsSlice & VariantsSlice;

export const useStudio = create<StudioState>()((...a) => ({
  ...createModelSlice(...a),
  ...createUiSlice(...a),
  ...createJobsSlice(...a),
  ...createVariantsSlice(...a),
}));

export { modelSelectors } from './model-slice';
export { uiSelectors, PLACES, type Place } from './ui-slice';
export { jobSelectors } from './jobs-slice';
export { variantSelectors } from './variants-slice';
