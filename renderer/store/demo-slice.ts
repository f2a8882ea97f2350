/**
 * Demo slice: the model's sample images, the chosen image, and its classification by one or two models side by side;
 * for other tasks (detect, segment, image, audio, sequence, tensor) the task, the input file and both models' results.
 */
import type { StateCreator } from 'zustand';
import { StudioError, toErrorDto, type StudioErrorDto } from '../../shared/api/errors';
import type { ClassifyResultDto, DemoImageDto, InputSpecDto } from '../../shared/api/runtime-api';
import type { TaskRunDto } from '../../shared/api/tasks-api';
import type { TaskKind, TaskOptions, TaskStateDto } from '../../shared/tasks/task-types';
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
  /** the model's task (guess and saved setting); null until loaded */
  task: TaskStateDto | null;
  /** the task the demo shows now (the saved or guessed one until the user picks another) */
  taskKind: TaskKind | null;
  taskOptions: TaskOptions;
  /** the file the task runs on: an image or a WAV file (uploaded, or a sample) */
  taskInput: DemoImage | null;
  taskResults: Record<DemoSlot, TaskRunDto | null>;
  taskErrors: Record<DemoSlot, StudioErrorDto | null>;
  taskRunning: boolean;
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
  /** shows the demo as another task (not saved) */
  setDemoTaskKind(kind: TaskKind): void;
  /** saves the shown task (and its options) with the model's family; null goes back to the guess */
  saveDemoTask(clear?: boolean): Promise<void>;
  setDemoTaskOptions(options: TaskOptions): void;
  /** runs an engine-side file as the task with the model(s) */
  runDemoTask(input: DemoImage): Promise<void>;
  /** hands a dropped, chosen or recorded file to the engine, then runs it as the task */
  runDemoTaskFile(file: File, live?: boolean): Promise<void>;
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
  task: null,
  taskKind: null,
  taskOptions: {},
  taskInput: null,
  taskResults: { a: null, b: null },
  taskErrors: { a: null, b: null },
  taskRunning: false,
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

  const runTaskWith = async (slot: DemoSlot, modelId: string, input: DemoImage, live = false) => {
    const { taskKind, taskOptions } = get().demo;
    try {
      const result = await studioClient().api.runTask({
        modelId,
        inputPath: input.path,
        ...(taskKind ? { kind: taskKind } : {}),
        options: taskOptions,
        ...(live ? { live: true } : {}),
        ...(get().bench.settings.useTarget && get().selectedTargetId ? { targetId: get().selectedTargetId as string } : {}),
      });
      set((s) => ({ demo: { ...s.demo, taskResults: { ...s.demo.taskResults, [slot]: result }, taskErrors: { ...s.demo.taskErrors, [slot]: null } } }));
    } catch (err) {
      set((s) => ({ demo: { ...s.demo, taskResults: { ...s.demo.taskResults, [slot]: null }, taskErrors: { ...s.demo.taskErrors, [slot]: toErrorDto(err) } } }));
    }
  };

  /** `live`: a camera frame; the previous frame's results stay up until this one's arrive (no flicker) */
  const runTaskInput = async (input: DemoImage, live = false) => {
    const { modelId, compareId } = get().demo;
    if (!modelId) return;
    patch({ taskInput: input, taskRunning: true, ...(live ? {} : { taskResults: { a: null, b: null }, taskErrors: { a: null, b: null } }) });
    await Promise.all([runTaskWith('a', modelId, input, live), compareId ? runTaskWith('b', compareId, input, live) : Promise.resolve()]);
    patch({ taskRunning: false });
  };

  return {
    demo: emptyDemo(),
    loadDemo: async (modelId) => {
      if (get().demo.modelId === modelId && get().demo.spec) return;
      set({ demo: { ...emptyDemo(), modelId } });
      try {
        const [spec, images, task] = await Promise.all([
          studioClient().api.getInputSpec({ modelId }),
          studioClient().api.listDemoImages({ modelId }),
          studioClient().api.getTask({ modelId }),
        ]);
        if (get().demo.modelId === modelId) patch({ spec, images, task, taskKind: task.kind, taskOptions: task.options });
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
      patch({ taskResults: { ...get().demo.taskResults, b: null }, taskErrors: { ...get().demo.taskErrors, b: null } });
      const image = get().demo.image;
      if (compareId && image?.path && get().demo.taskKind === 'classify') {
        patch({ running: true });
        await classifyWith('b', compareId, image);
        patch({ running: false });
      }
      const input = get().demo.taskInput;
      if (compareId && input?.path && get().demo.taskKind !== 'classify') {
        patch({ taskRunning: true });
        await runTaskWith('b', compareId, input);
        patch({ taskRunning: false });
      }
    },
    setDemoTaskKind: (kind) => patch({ taskKind: kind, taskResults: { a: null, b: null }, taskErrors: { a: null, b: null } }),
    setDemoTaskOptions: (options) => patch({ taskOptions: { ...get().demo.taskOptions, ...options } }),
    saveDemoTask: async (clear) => {
      const { modelId, taskKind, taskOptions } = get().demo;
      if (!modelId || !taskKind) return;
      try {
        const task = await studioClient().api.setTask({ modelId, setting: clear ? null : { kind: taskKind, options: taskOptions } });
        patch({ task, taskKind: task.kind, taskOptions: task.options });
      } catch (err) {
        patch({ taskErrors: { ...get().demo.taskErrors, a: toErrorDto(err) } });
      }
    },
    runDemoTask: (input) => runTaskInput(input),
    runDemoTaskFile: async (file, live) => {
      if (previewUrl) URL.revokeObjectURL(previewUrl);
      previewUrl = URL.createObjectURL(file);
      const preview = previewUrl;
      patch({ taskRunning: true });
      try {
        const path = await studioClient().host.acceptDroppedFiles([file]);
        if (!path) throw new StudioError('FILE_UNREADABLE', `${file.name} could not be handed to the engine.`);
        await runTaskInput({ path, name: file.name, preview }, live);
      } catch (err) {
        patch({ taskRunning: false, taskInput: { path: '', name: file.name, preview }, taskResults: { a: null, b: null }, taskErrors: { a: toErrorDto(err), b: null } });
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
  task: (s: StudioState) => s.demo.task,
  taskKind: (s: StudioState) => s.demo.taskKind,
  taskOptions: (s: StudioState) => s.demo.taskOptions,
  taskInput: (s: StudioState) => s.demo.taskInput,
  taskRunning: (s: StudioState) => s.demo.taskRunning,
  taskResult: (slot: DemoSlot) => (s: StudioState) => s.demo.taskResults[slot],
  taskError: (slot: DemoSlot) => (s: StudioState) => s.demo.taskErrors[slot],
};
