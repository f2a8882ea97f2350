/** Model slice: the open model, its summary, recent files and the last open error. */
import type { StateCreator } from 'zustand';
import { toErrorDto, type StudioErrorDto } from '../../shared/api/errors';
import type { RecentFile } from '../../shared/api/methods';
import type { ModelSummary } from '../../shared/api/model-summary';
import { studioClient } from '../services';
import { afterFirstView } from './first-view';
import type { StudioState } from './index';

export interface ModelSlice {
  modelId: string | null;
  summary: ModelSummary | null;
  opening: string | null;
  openError: (StudioErrorDto & { file: string }) | null;
  recent: RecentFile[];
  openPath(path: string): Promise<void>;
  openSample(): Promise<void>;
  pickAndOpen(): Promise<void>;
  openDropped(files: File[]): Promise<void>;
  refreshRecent(): Promise<void>;
  clearRecent(): Promise<void>;
  dismissError(): void;
}

export const createModelSlice: StateCreator<StudioState, [], [], ModelSlice> = (set, get, store) => {
  /** Asks for the summary's MACs and FLOPs (a whole-graph analysis, deferred at open) once the first view is drawn. */
  const fillCosts = async (modelId: string) => {
    await afterFirstView(store, modelId);
    if (get().modelId !== modelId || get().summary?.macs !== undefined) return;
    try {
      const summary = await studioClient().api.getSummary({ modelId });
      if (get().modelId === modelId) set({ summary });
    } catch {
      // the summary stays without MACs
    }
  };
  const open = async (initialLabel: string, how: () => Promise<string | null | { modelId: string; summary: ModelSummary }>) => {
    let label = initialLabel;
    set({ opening: label, openError: null });
    try {
      const result = await how();
      if (result === null) return;
      if (typeof result === 'string') label = baseName(result);
      const opened = typeof result === 'string' ? await studioClient().api.openModel({ path: result, deferCosts: true }) : result;
      set({ modelId: opened.modelId, summary: opened.summary, selectedVariantId: null });
      if (opened.summary.macs === undefined) void fillCosts(opened.modelId);
      // after the graph request the update above queued (prefetchGraphs), so the engine answers that one first
      queueMicrotask(() => {
        void get().refreshRecent();
        void get().refreshVariants();
      });
    } catch (err) {
      const dto = toErrorDto(err);
      // a cancelled upload is the user's choice, not an error
      if (dto.code !== 'JOB_CANCELLED') set({ openError: { ...dto, file: label } });
    } finally {
      set({ opening: null });
    }
  };
  return {
    modelId: null,
    summary: null,
    opening: null,
    openError: null,
    recent: [],
    openPath: (path) => open(baseName(path), async () => path),
    openSample: () => open('the sample model', () => studioClient().api.openSample({})),
    pickAndOpen: () => open('the chosen file', () => studioClient().host.pickModelFile()),
    openDropped: (files) => open(files.map((f) => f.name).join(', '), () => studioClient().host.acceptDroppedFiles(files)),
    refreshRecent: async () => {
      try {
        set({ recent: await studioClient().api.listRecent({}) });
      } catch {
        set({ recent: [] });
      }
    },
    clearRecent: async () => {
      await studioClient().api.clearRecent({});
      set({ recent: [] });
    },
    dismissError: () => set({ openError: null }),
  };
};

function baseName(p: string): string {
  return p.split(/[\\/]/).pop() ?? p;
}

/** Named selectors of the model slice. */
export const modelSelectors = {
  summary: (s: StudioState) => s.summary,
  modelId: (s: StudioState) => s.modelId,
  opening: (s: StudioState) => s.opening,
  openError: (s: StudioState) => s.openError,
  recent: (s: StudioState) => s.recent,
  fileName: (s: StudioState) => s.summary?.fileName ?? null,
};
