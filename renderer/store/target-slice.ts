/** Target slice: the profiles, the chosen target (shown in the status bar), its check of the open model and measurements. */
import type { StateCreator } from 'zustand';
import { toErrorDto, type StudioErrorDto } from '../../shared/api/errors';
import type { BenchResultDto, ResolvedSessionOptions } from '../../shared/api/runtime-api';
import type { CheckResultDto, HostInfoDto, InvalidProfileDto, TargetEntryDto } from '../../shared/api/targets-api';
import { estimateOverlay } from './analysis-overlays';
import { studioClient } from '../services';
import type { StudioState } from './index';

/** A benchmark run on this host with a target's session settings. */
export interface TargetMeasurement {
  modelId: string;
  targetId: string;
  p50Ms: number;
  /** the settings it was measured with */
  sessionOptions: ResolvedSessionOptions;
  minMs: number;
  cv: number;
  runs: number;
  peakRssBytes: number;
  providers: string[];
  threads: number | null;
  measuredAt: string;
}

export interface TargetSlice {
  targets: TargetEntryDto[];
  invalidProfiles: InvalidProfileDto[];
  profileDir: string | null;
  targetsError: StudioErrorDto | null;
  /** the chosen target (remembered between sessions) */
  selectedTargetId: string;
  check: CheckResultDto | null;
  checking: boolean;
  checkError: StudioErrorDto | null;
  hostInfo: HostInfoDto | null;
  hostLoading: boolean;
  /** measurements by `modelId|targetId` */
  measurements: Record<string, TargetMeasurement>;
  measureJobId: string | null;
  measureError: StudioErrorDto | null;
  loadTargets(): Promise<void>;
  selectTarget(id: string): void;
  runCheck(): Promise<void>;
  loadHostInfo(refresh?: boolean): Promise<void>;
  measureOnHost(): Promise<void>;
  /** validates in the engine and saves; @returns the saved entry, or throws the engine's error (naming the field) */
  saveProfile(profile: unknown, overwrite: boolean): Promise<TargetEntryDto>;
  deleteProfile(id: string): Promise<void>;
}

const TARGET_KEY = 'deploy-studio.target';

function initialTarget(): string {
  try {
    return localStorage.getItem(TARGET_KEY) || 'host';
  } catch {
    return 'host';
  }
}

/** The model the Target place checks: the selected variant's file, else the open model. */
export function checkedModelId(s: StudioState): string | null {
  return s.variants.find((v) => v.id === s.selectedVariantId)?.modelId ?? s.modelId;
}

function newJobId(): string {
  return `job-${crypto.randomUUID().replace(/-/g, '').slice(0, 20)}`;
}

export const createTargetSlice: StateCreator<StudioState, [], [], TargetSlice> = (set, get) => ({
  targets: [],
  invalidProfiles: [],
  profileDir: null,
  targetsError: null,
  selectedTargetId: initialTarget(),
  check: null,
  checking: false,
  checkError: null,
  hostInfo: null,
  hostLoading: false,
  measurements: {},
  measureJobId: null,
  measureError: null,
  loadTargets: async () => {
    try {
      const list = await studioClient().api.listTargets({});
      const selected = list.targets.some((t) => t.profile.id === get().selectedTargetId) ? get().selectedTargetId : 'host';
      set({ targets: list.targets, invalidProfiles: list.invalid, profileDir: list.userDir, targetsError: null, selectedTargetId: selected });
    } catch (err) {
      set({ targetsError: toErrorDto(err) });
    }
  },
  selectTarget: (id) => {
    try {
      localStorage.setItem(TARGET_KEY, id);
    } catch {
      // not remembered, still chosen
    }
    set({ selectedTargetId: id, check: null, checkError: null, measureError: null });
    void get().runCheck();
  },
  runCheck: async () => {
    const modelId = checkedModelId(get());
    const targetId = get().selectedTargetId;
    if (!modelId) {
      set({ check: null });
      return;
    }
    set({ checking: true, checkError: null });
    try {
      const check = await studioClient().api.checkTarget({ modelId, targetId });
      // a newer choice may have replaced this one while it ran
      if (get().selectedTargetId === targetId && checkedModelId(get()) === modelId) {
        set({ check });
        const overlay = estimateOverlay(check);
        if (overlay && get().graph.pane.modelId === modelId) get().setOverlay(overlay);
      }
    } catch (err) {
      set({ checkError: toErrorDto(err), check: null });
    } finally {
      set({ checking: false });
    }
  },
  loadHostInfo: async (refresh = false) => {
    set({ hostLoading: true });
    try {
      set({ hostInfo: await studioClient().api.getHostInfo({ refresh }) });
    } catch (err) {
      set({ targetsError: toErrorDto(err) });
    } finally {
      set({ hostLoading: false });
    }
  },
  measureOnHost: async () => {
    const modelId = checkedModelId(get());
    const targetId = get().selectedTargetId;
    if (!modelId) return;
    const jobId = newJobId();
    set({ measureJobId: jobId, measureError: null });
    try {
      const r: BenchResultDto = await studioClient().api.benchmark({ modelId, targetId, runs: 50, warmup: 5, jobId });
      const m: TargetMeasurement = {
        modelId,
        targetId,
        p50Ms: r.latencyMs.p50,
        minMs: r.latencyMs.min,
        cv: r.coefficientOfVariation,
        runs: r.runs,
        peakRssBytes: r.peakRssBytes,
        providers: r.sessionOptions.executionProviders,
        threads: r.sessionOptions.intraOpThreads,
        sessionOptions: { ...r.sessionOptions, targetId: r.targetId },
        measuredAt: new Date().toISOString(),
      };
      set({ measurements: { ...get().measurements, [`${modelId}|${targetId}`]: m } });
    } catch (err) {
      set({ measureError: toErrorDto(err) });
    } finally {
      set({ measureJobId: null });
    }
  },
  saveProfile: async (profile, overwrite) => {
    const saved = await studioClient().api.saveTargetProfile({ profile, overwrite });
    await get().loadTargets();
    return saved;
  },
  deleteProfile: async (id) => {
    await studioClient().api.deleteTargetProfile({ id });
    if (get().selectedTargetId === id) get().selectTarget('host');
    await get().loadTargets();
  },
});

/** Named selectors of the target slice. */
export const targetSelectors = {
  targets: (s: StudioState) => s.targets,
  invalidProfiles: (s: StudioState) => s.invalidProfiles,
  selectedTargetId: (s: StudioState) => s.selectedTargetId,
  selectedTarget: (s: StudioState) => s.targets.find((t) => t.profile.id === s.selectedTargetId) ?? null,
  /** the chosen target's name for the status bar ("This host" until profiles are loaded) */
  selectedTargetName: (s: StudioState) => s.targets.find((t) => t.profile.id === s.selectedTargetId)?.profile.name ?? (s.selectedTargetId === 'host' ? 'This host' : s.selectedTargetId),
  check: (s: StudioState) => s.check,
  checking: (s: StudioState) => s.checking,
  checkError: (s: StudioState) => s.checkError,
  hostInfo: (s: StudioState) => s.hostInfo,
  measureJobId: (s: StudioState) => s.measureJobId,
  measureError: (s: StudioState) => s.measureError,
  measurement: (s: StudioState): TargetMeasurement | null => s.measurements[`${checkedModelId(s) ?? ''}|${s.selectedTargetId}`] ?? null,
  hostMeasurement: (s: StudioState): TargetMeasurement | null => s.measurements[`${checkedModelId(s) ?? ''}|host`] ?? null,
  checkedModelId,
};
