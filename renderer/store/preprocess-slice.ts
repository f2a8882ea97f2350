/** Preprocess slice: the open model's preprocessing and labels (saved with its family), and a preview of one image. */
import type { StateCreator } from 'zustand';
import { toErrorDto, type StudioErrorDto } from '../../shared/api/errors';
import type { PreprocessConfig } from '../../shared/api/preprocess';
import type { PreprocessPreviewDto, PreprocessStateDto } from '../../shared/api/preprocess-api';
import { studioClient } from '../services';
import type { StudioState } from './index';

export interface PreprocessPreviewState {
  /** the engine-side path of the image */
  path: string;
  name: string;
  result: PreprocessPreviewDto | null;
  error: StudioErrorDto | null;
  busy: boolean;
}

export interface PreprocessSliceState {
  modelId: string | null;
  state: PreprocessStateDto | null;
  saving: boolean;
  error: StudioErrorDto | null;
  preview: PreprocessPreviewState | null;
}

export interface PreprocessSlice {
  preprocess: PreprocessSliceState;
  /** loads the family's preprocessing and labels of a model */
  loadPreprocess(modelId: string): Promise<void>;
  /**
   * saves preprocessing and/or labels for the open model's family (`null` clears, `undefined` keeps)
   * @returns whether it was saved
   */
  savePreprocess(change: { preprocess?: PreprocessConfig | null; labels?: string[] | null }): Promise<boolean>;
  /** previews an engine-side image with a config (default: the saved one) */
  previewPreprocess(image: { path: string; name: string }, config?: PreprocessConfig): Promise<void>;
  /** makes a chosen or dropped image readable by the engine, then previews it */
  previewPreprocessFile(file: File, config?: PreprocessConfig): Promise<void>;
}

const empty = (): PreprocessSliceState => ({ modelId: null, state: null, saving: false, error: null, preview: null });

export const createPreprocessSlice: StateCreator<StudioState, [], [], PreprocessSlice> = (set, get) => {
  const patch = (p: Partial<PreprocessSliceState>) => set((s) => ({ preprocess: { ...s.preprocess, ...p } }));
  const patchPreview = (p: Partial<PreprocessPreviewState>) => set((s) => ({ preprocess: { ...s.preprocess, preview: s.preprocess.preview ? { ...s.preprocess.preview, ...p } : null } }));
  return {
    preprocess: empty(),
    loadPreprocess: async (modelId) => {
      set({ preprocess: { ...empty(), modelId } });
      try {
        const state = await studioClient().api.getPreprocessState({ modelId });
        if (get().preprocess.modelId === modelId) patch({ state });
      } catch (err) {
        if (get().preprocess.modelId === modelId) patch({ error: toErrorDto(err) });
      }
    },
    savePreprocess: async (change) => {
      const modelId = get().preprocess.modelId;
      if (!modelId) return false;
      patch({ saving: true, error: null });
      try {
        const state = await studioClient().api.setPreprocessState({ modelId, ...change });
        patch({ state, saving: false });
        // the demo reads the model's preprocessing and labels when it opens: make it read them again
        set((s) => ({ demo: { ...s.demo, spec: null, results: { a: null, b: null } } }));
        const shown = get().preprocess.preview;
        if (shown && change.preprocess !== undefined) void get().previewPreprocess(shown);
        return true;
      } catch (err) {
        patch({ saving: false, error: toErrorDto(err) });
        return false;
      }
    },
    previewPreprocess: async (image, config) => {
      const modelId = get().preprocess.modelId;
      if (!modelId) return;
      const keep = get().preprocess.preview;
      set((s) => ({ preprocess: { ...s.preprocess, preview: { path: image.path, name: image.name, result: keep?.path === image.path ? keep.result : null, error: null, busy: true } } }));
      try {
        const result = await studioClient().api.previewPreprocess({ modelId, imagePath: image.path, ...(config ? { preprocess: config } : {}) });
        if (get().preprocess.preview?.path === image.path) patchPreview({ result, busy: false });
      } catch (err) {
        if (get().preprocess.preview?.path === image.path) patchPreview({ error: toErrorDto(err), busy: false, result: null });
      }
    },
    previewPreprocessFile: async (file, config) => {
      try {
        const path = await studioClient().host.acceptDroppedFiles([file]);
        if (path) await get().previewPreprocess({ path, name: file.name }, config);
      } catch (err) {
        set((s) => ({ preprocess: { ...s.preprocess, preview: { path: '', name: file.name, result: null, error: toErrorDto(err), busy: false } } }));
      }
    },
  };
};

export const preprocessSelectors = {
  state: (s: StudioState) => s.preprocess.state,
  modelId: (s: StudioState) => s.preprocess.modelId,
  saving: (s: StudioState) => s.preprocess.saving,
  error: (s: StudioState) => s.preprocess.error,
  preview: (s: StudioState) => s.preprocess.preview,
};
