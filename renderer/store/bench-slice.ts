/** Bench slice: the Run/Benchmark panel's model, settings and inputs, its running job, and the last results. */
import type { StateCreator } from 'zustand';
import { StudioError, toErrorDto, type StudioErrorDto } from '../../shared/api/errors';
import type { BenchResultDto, InputSource, InputSpecDto, RunResultDto } from '../../shared/api/runtime-api';
import { studioClient } from '../services';
import type { StudioState } from './index';

/** An input source with the name of a chosen file, for display. */
export type PanelInput = InputSource & { fileName?: string };

export interface BenchSettings {
  /** intra-op threads; 0 lets onnxruntime decide */
  threads: number;
  runs: number;
  warmup: number;
  profile: boolean;
  /** apply the chosen target profile's session options (status bar target) */
  useTarget: boolean;
  dims: Record<string, number>;
  inputs: Record<string, PanelInput>;
}

export interface BenchState {
  modelId: string | null;
  spec: InputSpecDto | null;
  settings: BenchSettings;
  jobId: string | null;
  mode: 'run' | 'bench' | null;
  benchResult: BenchResultDto | null;
  runResult: RunResultDto | null;
  error: StudioErrorDto | null;
}

export interface BenchSlice {
  bench: BenchState;
  loadBench(modelId: string): Promise<void>;
  setBenchSettings(p: Partial<BenchSettings>): void;
  setBenchInput(name: string, source: PanelInput): void;
  /** hands a chosen file to the engine and uses it for an input */
  chooseBenchInputFile(name: string, file: File): Promise<void>;
  runBenchmark(): Promise<void>;
  runOnce(): Promise<void>;
}

const defaults = (): BenchSettings => ({ threads: 0, runs: 100, warmup: 5, profile: true, useTarget: false, dims: {}, inputs: {} });

function newJobId(): string {
  return `job-${crypto.randomUUID().replace(/-/g, '').slice(0, 20)}`;
}

function request(b: BenchState, targetId: string | null) {
  const s = b.settings;
  const inputs = Object.fromEntries(
    Object.entries(s.inputs).map(([name, src]): [string, InputSource] => {
      if (src.kind === 'file') return [name, { kind: 'file', path: src.path }];
      return [name, src.kind === 'random' ? { kind: 'random', ...(src.seed !== undefined ? { seed: src.seed } : {}) } : { kind: 'zeros' }];
    }),
  );
  return {
    modelId: b.modelId as string,
    inputs,
    dims: s.dims,
    session: s.threads > 0 ? { intraOpThreads: s.threads } : {},
    ...(s.useTarget && targetId ? { targetId } : {}),
  };
}

export const createBenchSlice: StateCreator<StudioState, [], [], BenchSlice> = (set, get) => {
  const patch = (p: Partial<BenchState>) => set((s) => ({ bench: { ...s.bench, ...p } }));
  const patchSettings = (p: Partial<BenchSettings>) => set((s) => ({ bench: { ...s.bench, settings: { ...s.bench.settings, ...p } } }));

  return {
    bench: { modelId: null, spec: null, settings: defaults(), jobId: null, mode: null, benchResult: null, runResult: null, error: null },
    loadBench: async (modelId) => {
      if (get().bench.modelId === modelId && get().bench.spec) return;
      patch({ modelId, spec: null, settings: { ...defaults(), threads: get().bench.settings.threads, runs: get().bench.settings.runs }, benchResult: null, runResult: null, error: null });
      try {
        const spec = await studioClient().api.getInputSpec({ modelId });
        if (get().bench.modelId === modelId) patch({ spec });
      } catch (err) {
        patch({ error: toErrorDto(err) });
      }
    },
    setBenchSettings: (p) => patchSettings(p),
    setBenchInput: (name, source) => patchSettings({ inputs: { ...get().bench.settings.inputs, [name]: source } }),
    chooseBenchInputFile: async (name, file) => {
      try {
        const path = await studioClient().host.acceptDroppedFiles([file]);
        if (!path) throw new StudioError('FILE_UNREADABLE', `${file.name} could not be handed to the engine.`);
        get().setBenchInput(name, { kind: 'file', path, fileName: file.name });
        patch({ error: null });
      } catch (err) {
        patch({ error: toErrorDto(err) });
      }
    },
    runBenchmark: async () => {
      const b = get().bench;
      if (!b.modelId || b.jobId) return;
      const jobId = newJobId();
      patch({ jobId, mode: 'bench', error: null });
      try {
        const s = b.settings;
        const result = await studioClient().api.benchmark({ ...request(b, get().selectedTargetId), runs: s.runs, warmup: s.warmup, profile: s.profile, jobId });
        patch({ benchResult: result });
        if (result.profile) {
          const values: Record<string, number> = {};
          for (const n of result.profile.nodes) if (n.graphNode) values[n.graphNode] = (values[n.graphNode] ?? 0) + n.meanMs;
          get().setOverlay({ id: 'latency', title: `Latency (profile of ${result.fileName})`, unit: 'ms', values, scale: 'log' });
        }
      } catch (err) {
        patch({ error: toErrorDto(err) });
      } finally {
        patch({ jobId: null, mode: null });
      }
    },
    runOnce: async () => {
      const b = get().bench;
      if (!b.modelId || b.jobId) return;
      const jobId = newJobId();
      patch({ jobId, mode: 'run', error: null });
      try {
        patch({ runResult: await studioClient().api.runModel({ ...request(b, get().selectedTargetId), topK: 5, jobId }) });
      } catch (err) {
        patch({ error: toErrorDto(err) });
      } finally {
        patch({ jobId: null, mode: null });
      }
    },
  };
};

/** Named selectors of the bench slice. */
export const benchSelectors = {
  bench: (s: StudioState) => s.bench,
  settings: (s: StudioState) => s.bench.settings,
  spec: (s: StudioState) => s.bench.spec,
  jobId: (s: StudioState) => s.bench.jobId,
  mode: (s: StudioState) => s.bench.mode,
  benchResult: (s: StudioState) => s.bench.benchResult,
  runResult: (s: StudioState) => s.bench.runResult,
  error: (s: StudioState) => s.bench.error,
  job: (s: StudioState) => (s.bench.jobId ? s.jobs[s.bench.jobId] : undefined),
};
