/** The one bound store, built from typed slices (house style 10). */
import { create } from 'zustand';
import { createJobsSlice, type JobsSlice } from './jobs-slice';
import { createModelSlice, type ModelSlice } from './model-slice';
import { createUiSlice, type UiSlice } from './ui-slice';

export type StudioState = ModelSlice & UiSlice & JobsSlice;

export const useStudio = create<StudioState>()((...a) => ({
  ...createModelSlice(...a),
  ...createUiSlice(...a),
  ...createJobsSlice(...a),
}));

export { modelSelectors } from './model-slice';
export { uiSelectors, PLACES, type Place } from './ui-slice';
export { jobSelectors } from './jobs-slice';
