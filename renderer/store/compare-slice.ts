/** Compare slice: the variants and data picked for a comparison, the running job, its result; the recipe search. */
import type { StateCreator } from 'zustand';
import type { DatasetSpec, KeptCompareResult, KeptSearchResult, ReportFormatName } from '../../shared/api/evaluate-api';
import { toErrorDto, type StudioErrorDto } from '../../shared/api/errors';
import { studioClient } from '../services';
import type { StudioState } from './index';

/** The data form of the Compare place. */
export interface CompareDataForm {
  path: string;
  labelsPath: string;
  preprocessPath: string;
  /** 0 = all items */
  limit: number;
  sampling: 'first' | 'random';
  seed: number;
}

export interface CompareSlice {
  /** variant ids picked for the comparison, in list order */
  compareVariantIds: string[];
  compareData: CompareDataForm;
  /** a note on where the data came from (`the sample images …`) */
  compareDataNote: string | null;
  compareRounds: number;
  compareTargetId: string | null;
  compareJobId: string | null;
  compareResult: KeptCompareResult | null;
  compareError: StudioErrorDto | null;
  searchJobId: string | null;
  searchMaxDropPct: number;
  /** pruning ratios the search tries, as typed (`0.25, 0.5`) */
  searchPruneRatios: string;
  searchResult: KeptSearchResult | null;
  searchError: StudioErrorDto | null;
  /** the last exported report (path or downloaded name) */
  compareExported: string | null;
  toggleCompareVariant(id: string): void;
  setCompareData(patch: Partial<CompareDataForm>): void;
  setCompareRounds(n: number): void;
  setCompareTarget(id: string | null): void;
  setSearchMaxDropPct(pct: number): void;
  setSearchPruneRatios(text: string): void;
  /** the model the picks and results belong to */
  compareModelId: string | null;
  /** true while the data path is the studio's suggestion (it follows the open model) */
  compareDataSuggested: boolean;
  /**
   * Fits the form to the open model: another model clears the picks and results (and a suggested data path), then
   * the data path gets the studio's suggestion (the sample's images) when it is empty.
   */
  suggestCompareData(): Promise<void>;
  runCompare(): Promise<void>;
  runSearch(): Promise<void>;
  exportCompareReport(format: ReportFormatName, which: 'compare' | 'search'): Promise<void>;
}

function newJobId(): string {
  return `job-${crypto.randomUUID().replace(/-/g, '').slice(0, 20)}`;
}

function spec(d: CompareDataForm): DatasetSpec {
  return {
    path: d.path.trim(),
    ...(d.labelsPath.trim() ? { labelsPath: d.labelsPath.trim() } : {}),
    ...(d.preprocessPath.trim() ? { preprocessPath: d.preprocessPath.trim() } : {}),
    ...(d.limit > 0 ? { limit: d.limit, sampling: d.sampling, seed: d.seed } : {}),
  };
}

/** @returns the ratios of a `0.25, 0.5` list, or null when one is not a fraction in (0, 1). */
export function parseRatios(text: string): number[] | null {
  const parts = text.split(/[,\s]+/).filter(Boolean).map(Number);
  return parts.length && parts.length <= 6 && parts.every((r) => r > 0 && r < 1) ? parts : null;
}

/** Saves text: the native save dialog in Electron (the engine writes), a download in the browser. */
async function saveReport(resultId: string, format: ReportFormatName): Promise<string | null> {
  const { api, host } = studioClient();
  const ext = format === 'md' ? 'md' : format;
  if (host.pickSavePath) {
    const target = await host.pickSavePath({ title: `Save the ${format.toUpperCase()} report`, defaultName: `comparison.${ext}`, extensions: [ext] });
    if (!target) return null;
    return (await api.exportCompareReport({ resultId, format, path: target })).path;
  }
  const r = await api.exportCompareReport({ resultId, format });
  const url = URL.createObjectURL(new Blob([r.content ?? ''], { type: r.mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = r.fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return r.fileName;
}

export const createCompareSlice: StateCreator<StudioState, [], [], CompareSlice> = (set, get) => ({
  compareVariantIds: [],
  compareModelId: null,
  compareDataSuggested: false,
  compareData: { path: '', labelsPath: '', preprocessPath: '', limit: 0, sampling: 'first', seed: 0 },
  compareDataNote: null,
  compareRounds: 50,
  compareTargetId: null,
  compareJobId: null,
  compareResult: null,
  compareError: null,
  searchJobId: null,
  searchMaxDropPct: 1,
  searchPruneRatios: '0.25, 0.5',
  searchResult: null,
  searchError: null,
  compareExported: null,
  toggleCompareVariant: (id) =>
    set((s) => {
      const on = s.compareVariantIds.includes(id);
      const ids = on ? s.compareVariantIds.filter((v) => v !== id) : [...s.compareVariantIds, id];
      const order = s.variants.map((v) => v.id);
      return { compareVariantIds: ids.sort((a, b) => order.indexOf(a) - order.indexOf(b)) };
    }),
  setCompareData: (patch) => set((s) => ({ compareData: { ...s.compareData, ...patch }, compareDataSuggested: patch.path === undefined && s.compareDataSuggested })),
  setCompareRounds: (n) => set({ compareRounds: n }),
  setCompareTarget: (id) => set({ compareTargetId: id }),
  setSearchMaxDropPct: (pct) => set({ searchMaxDropPct: pct }),
  setSearchPruneRatios: (text) => set({ searchPruneRatios: text }),
  suggestCompareData: async () => {
    const modelId = get().modelId;
    if (!modelId) return;
    if (get().compareModelId !== modelId) {
      set((st) => ({
        compareModelId: modelId,
        compareVariantIds: [],
        compareResult: null,
        compareError: null,
        searchResult: null,
        searchError: null,
        compareExported: null,
        compareDataNote: null,
        ...(st.compareDataSuggested ? { compareData: { ...st.compareData, path: '' }, compareDataSuggested: false } : {}),
      }));
    }
    if (get().compareData.path) return;
    try {
      const s = await studioClient().api.suggestDataset({ modelId });
      if (s.path && !get().compareData.path) set((st) => ({ compareData: { ...st.compareData, path: s.path as string }, compareDataNote: s.note, compareDataSuggested: true }));
      else set({ compareDataNote: s.note });
    } catch {
      // the form stays empty; the user types a path
    }
  },
  runCompare: async () => {
    const chosen = get().variants.filter((v) => get().compareVariantIds.includes(v.id));
    if (!chosen.length || !get().compareData.path.trim()) return;
    const jobId = newJobId();
    set({ compareJobId: jobId, compareError: null, compareExported: null });
    try {
      const result = await studioClient().api.compareVariants({
        modelIds: chosen.map((v) => v.modelId),
        data: spec(get().compareData),
        timingRounds: get().compareRounds,
        ...(get().compareTargetId ? { targetId: get().compareTargetId as string } : {}),
        jobId,
      });
      set({ compareResult: result });
    } catch (err) {
      set({ compareError: toErrorDto(err) });
    } finally {
      set({ compareJobId: null });
    }
  },
  runSearch: async () => {
    const source = get().variants.find((v) => v.kind === 'original') ?? get().variants[0];
    if (!source || !get().compareData.path.trim()) return;
    const ratios = parseRatios(get().searchPruneRatios);
    if (!ratios) {
      set({ searchError: { code: 'INVALID_REQUEST', message: `Pruning ratios must be fractions between 0 and 1 separated by commas, such as 0.25, 0.5 (got "${get().searchPruneRatios}").` } });
      return;
    }
    const jobId = newJobId();
    set({ searchJobId: jobId, searchError: null, compareExported: null });
    try {
      const result = await studioClient().api.searchRecipes({
        modelId: source.modelId,
        data: spec(get().compareData),
        maxDrop: get().searchMaxDropPct / 100,
        pruneRatios: ratios,
        timingRounds: Math.min(get().compareRounds, 40),
        ...(get().compareTargetId ? { targetId: get().compareTargetId as string } : {}),
        jobId,
      });
      set({ searchResult: result });
    } catch (err) {
      set({ searchError: toErrorDto(err) });
    } finally {
      set({ searchJobId: null });
    }
  },
  exportCompareReport: async (format, which) => {
    const result = which === 'search' ? get().searchResult : get().compareResult;
    if (!result) return;
    try {
      const where = await saveReport(result.resultId, format);
      if (where) set({ compareExported: where });
    } catch (err) {
      set({ [which === 'search' ? 'searchError' : 'compareError']: toErrorDto(err) } as Partial<CompareSlice>);
    }
  },
});

/** Named selectors of the compare slice. */
export const compareSelectors = {
  variantIds: (s: StudioState) => s.compareVariantIds,
  data: (s: StudioState) => s.compareData,
  dataNote: (s: StudioState) => s.compareDataNote,
  rounds: (s: StudioState) => s.compareRounds,
  targetId: (s: StudioState) => s.compareTargetId,
  jobId: (s: StudioState) => s.compareJobId,
  result: (s: StudioState) => s.compareResult,
  error: (s: StudioState) => s.compareError,
  searchJobId: (s: StudioState) => s.searchJobId,
  searchMaxDropPct: (s: StudioState) => s.searchMaxDropPct,
  searchPruneRatios: (s: StudioState) => s.searchPruneRatios,
  searchResult: (s: StudioState) => s.searchResult,
  searchError: (s: StudioState) => s.searchError,
  exported: (s: StudioState) => s.compareExported,
};
