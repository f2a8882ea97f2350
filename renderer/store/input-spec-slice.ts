/** Input spec slice: the open model's input spec (what the user set, what the studio guesses), loaded and saved. */
import type { StateCreator } from 'zustand';
import { toErrorDto, type StudioErrorDto } from '../../shared/api/errors';
import type { InputSpec, InputSpecStateDto } from '../../shared/api/input-spec';
import { studioClient } from '../services';
import type { StudioState } from './index';

export interface InputSpecSlice {
  inputSpec: { modelId: string | null; state: InputSpecStateDto | null; saving: boolean; error: StudioErrorDto | null };
  /** loads the spec of a model (the family's, resolved) */
  loadInputSpec(modelId: string): Promise<void>;
  /** saves a spec for the open model's family; every variant runs with it */
  saveInputSpec(spec: InputSpec): Promise<boolean>;
}

export const createInputSpecSlice: StateCreator<StudioState, [], [], InputSpecSlice> = (set, get) => ({
  inputSpec: { modelId: null, state: null, saving: false, error: null },
  loadInputSpec: async (modelId) => {
    set({ inputSpec: { ...get().inputSpec, modelId, error: null } });
    try {
      const state = await studioClient().api.getInputSpecState({ modelId });
      if (get().inputSpec.modelId === modelId) set({ inputSpec: { ...get().inputSpec, state } });
    } catch (err) {
      if (get().inputSpec.modelId === modelId) set({ inputSpec: { ...get().inputSpec, state: null, error: toErrorDto(err) } });
    }
  },
  saveInputSpec: async (spec) => {
    const modelId = get().inputSpec.modelId;
    if (!modelId) return false;
    set({ inputSpec: { ...get().inputSpec, saving: true, error: null } });
    try {
      const state = await studioClient().api.setInputSpec({ modelId, spec });
      set({ inputSpec: { ...get().inputSpec, state, saving: false } });
      return true;
    } catch (err) {
      set({ inputSpec: { ...get().inputSpec, saving: false, error: toErrorDto(err) } });
      return false;
    }
  },
});

export const inputSpecSelectors = {
  state: (s: StudioState) => s.inputSpec.state,
  modelId: (s: StudioState) => s.inputSpec.modelId,
  saving: (s: StudioState) => s.inputSpec.saving,
  error: (s: StudioState) => s.inputSpec.error,
};
