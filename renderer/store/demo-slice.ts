/** Demo slice: the model's sample images, the chosen image, and its classification by one or two models side by side. */
import type { StateCreator } from 'zustand';
import { StudioError, toErrorDto, type StudioErrorDto } from '../../shared/api/errors';
import type { ClassifyResultDto, DemoImageDto, InputSpecDto } from '../../shared/api/runtime-api';
import { studioClient } from '../services';
import type { StudioState } from './index';

export type DemoSlot = 'a' | 'b';

export interface DemoImage {
  /** the engine-side path */
  path: string;
  name: string;
  /** what to show: a thumbnail data URL or a blob URL of a dropped file */
  preview: string | null;
}

export interface DemoState {
  /** the model the demo was loaded for (A) */
  modelId: string | null;
  spec: InputSpecDto | null;
  images: DemoImageDto[];
  loadError: StudioErrorDto | null;
  image: DemoImage | null;
  /** the second model (a variant) run side by side, if any */
  compareId: string | null;
  results: Record<DemoSlot, ClassifyResultDto | null>;
  errors: Record<DemoSlot, StudioErrorDto | null>;
  running: boolean;
}

export interface DemoSlice {
  demo: DemoState;
  /** loads the input spec and sample images of a model (no-op when already loaded) */
  loadDemo(modelId: string): Promise<void>;
  /** classifies an engine-side image with the model(s) */
  classifyImage(image: DemoImage): Promise<void>;
  /** makes a dropped or chosen file readable by the engine, then classifies it */
  classifyFile(file: File): Promise<void>;
  setDemoCompare(modelId: string | null): Promise<void>;
}

const emptyDemo = (): DemoState => ({
  modelId: null,
  spec: null,
  images: [],
  loadError: null,
  image: null,
  compareId: null,
  results: { a: null, b: null },
  errors: { a: null, b: null },
  running: false,
});

let previewUrl: string | null = null;

export const createDemoSlice: StateCreator<StudioState, [], [], DemoSlice> = (set, get) => {
  const patch = (p: Partial<DemoState>) => set((s) => ({ demo: { ...s.demo, ...p } }));

  const classifyWith = async (slot: DemoSlot, modelId: string, image: DemoImage) => {
    const spec = get().demo.spec;
    try {
      const result = await studioClient().api.classifyImage({
        modelId,
        imagePath: image.path,
        topK: 5,
        ...(get().bench.settings.useTarget && get().selectedTargetId ? { targetId: get().selectedTargetId as string } : {}),
        ...(slot === 'b' && spec?.preprocess ? { preprocess: spec.preprocess } : {}),
        ...(slot === 'b' && spec?.labels ? { labels: spec.labels } : {}),
      });
      set((s) => ({ demo: { ...s.demo, results: { ...s.demo.results, [slot]: result }, errors: { ...s.demo.errors, [slot]: null } } }));
    } catch (err) {
      set((s) => ({ demo: { ...s.demo, results: { ...s.demo.results, [slot]: null }, errors: { ...s.demo.errors, [slot]: toErrorDto(err) } } }));
    }
  };

  const run = async (image: DemoImage) => {
    const { modelId, compareId } = get().demo;
    if (!modelId) return;
    patch({ image, running: true, results: { a: null, b: null }, errors: { a: null, b: null } });
    await Promise.all([classifyWith('a', modelId, image), compareId ? classifyWith('b', compareId, image) : Promise.resolve()]);
    patch({ running: false });
  };

  return {
    demo: emptyDemo(),
    loadDemo: async (modelId) => {
      if (get().demo.modelId === modelId && get().demo.spec) return;
      set({ demo: { ...emptyDemo(), modelId } });
      try {
        const [spec, images] = await Promise.all([studioClient().api.getInputSpec({ modelId }), studioClient().api.listDemoImages({ modelId })]);
        if (get().demo.modelId === modelId) patch({ spec, images });
      } catch (err) {
        if (get().demo.modelId === modelId) patch({ loadError: toErrorDto(err) });
      }
    },
    classifyImage: (image) => run(image),
    classifyFile: async (file) => {
      if (previewUrl) URL.revokeObjectURL(previewUrl);
      previewUrl = URL.createObjectURL(file);
      const preview = previewUrl;
      patch({ running: true });
      try {
        const path = await studioClient().host.acceptDroppedFiles([file]);
        if (!path) throw new StudioError('FILE_UNREADABLE', `${file.name} could not be handed to the engine.`);
        await run({ path, name: file.name, preview });
      } catch (err) {
        patch({ running: false, image: { path: '', name: file.name, preview }, results: { a: null, b: null }, errors: { a: toErrorDto(err), b: null } });
      }
    },
    setDemoCompare: async (compareId) => {
      patch({ compareId, results: { ...get().demo.results, b: null }, errors: { ...get().demo.errors, b: null } });
      const image = get().demo.image;
      if (compareId && image?.path) {
        patch({ running: true });
        await classifyWith('b', compareId, image);
        patch({ running: false });
      }
    },
  };
};

/** Named selectors of the demo slice. */
export const demoSelectors = {
  demo: (s: StudioState) => s.demo,
  spec: (s: StudioState) => s.demo.spec,
  images: (s: StudioState) => s.demo.images,
  image: (s: StudioState) => s.demo.image,
  running: (s: StudioState) => s.demo.running,
  compareId: (s: StudioState) => s.demo.compareId,
  result: (slot: DemoSlot) => (s: StudioState) => s.demo.results[slot],
  error: (slot: DemoSlot) => (s: StudioState) => s.demo.errors[slot],
};
