/** Package slice: the package form (format, output, app identity …), its plan (a dry run), the job and its result. */
import type { StateCreator } from 'zustand';
import { toErrorDto, type StudioErrorDto } from '../../shared/api/errors';
import type { PackageFormat, PackagePlan, PackageResult, PackageSpec } from '../../shared/api/package-api';
import type { AppPlatform } from '../../shared/package/app-identity';
import { studioClient } from '../services';
import type { StudioState } from './index';

/** What the user filled in; empty strings mean "the default". */
export interface PackageForm {
  format: PackageFormat;
  outDir: string;
  overwrite: boolean;
  name: string;
  version: string;
  appId: string;
  iconPath: string;
  platform: AppPlatform | '';
  build: boolean;
  electronDist: string;
  zip: boolean;
  measure: boolean;
  reportPath: string;
  tritonName: string;
  maxBatchSize: number;
  targetId: string;
}

export interface PackageSlice {
  packageForm: PackageForm;
  packagePlan: PackagePlan | null;
  packagePlanError: StudioErrorDto | null;
  packagePlanning: boolean;
  packageJobId: string | null;
  packageResult: PackageResult | null;
  packageError: StudioErrorDto | null;
  setPackageForm(patch: Partial<PackageForm>): void;
  /** asks the engine for the plan of the current form (stale answers are dropped) */
  planPackage(): Promise<void>;
  runPackage(): Promise<void>;
  dismissPackageResult(): void;
}

export const INITIAL_PACKAGE_FORM: PackageForm = {
  format: 'app',
  outDir: '',
  overwrite: false,
  name: '',
  version: '1.0.0',
  appId: '',
  iconPath: '',
  platform: '',
  build: false,
  electronDist: '',
  zip: true,
  measure: true,
  reportPath: '',
  tritonName: '',
  maxBatchSize: 8,
  targetId: '',
};

/** @returns the model the package is made from: the selected variant, else the open model. */
function packageModel(s: StudioState): { modelId: string; configDir?: string } | null {
  const selected = s.variants.find((v) => v.id === s.selectedVariantId);
  const original = s.variants.find((v) => v.kind === 'original');
  const modelId = selected?.modelId ?? s.modelId;
  if (!modelId) return null;
  const dir = (p: string) => p.replace(/[\\/][^\\/]*$/, '');
  return selected && original && selected.id !== original.id ? { modelId, configDir: dir(original.path) } : { modelId };
}

/** @returns the request for a form (only the fields of its format; empty fields left to the engine's defaults). */
export function specOf(form: PackageForm, model: { modelId: string; configDir?: string }): PackageSpec {
  const opt = <T>(key: string, v: T | '' | undefined) => (v === '' || v === undefined ? {} : { [key]: v });
  const common = { modelId: model.modelId, format: form.format, ...opt('configDir', model.configDir), ...opt('outDir', form.outDir.trim()), ...(form.overwrite ? { overwrite: true } : {}) };
  if (form.format === 'app') {
    return {
      ...common,
      ...opt('name', form.name),
      ...opt('version', form.version.trim()),
      ...opt('appId', form.appId.trim()),
      ...opt('iconPath', form.iconPath),
      ...opt('platform', form.platform),
      ...(form.build ? { build: true, ...opt('electronDist', form.electronDist.trim()) } : {}),
    };
  }
  if (form.format === 'bundle') {
    return { ...common, zip: form.zip, measure: form.measure, ...opt('targetId', form.targetId), ...(form.reportPath ? { reportPaths: [form.reportPath] } : {}) };
  }
  return { ...common, ...opt('tritonName', form.tritonName.trim()), maxBatchSize: form.maxBatchSize, ...opt('targetId', form.targetId) };
}

function newJobId(): string {
  return `job-${crypto.randomUUID().replace(/-/g, '').slice(0, 20)}`;
}

let planSeq = 0;

export const createPackageSlice: StateCreator<StudioState, [], [], PackageSlice> = (set, get) => ({
  packageForm: INITIAL_PACKAGE_FORM,
  packagePlan: null,
  packagePlanError: null,
  packagePlanning: false,
  packageJobId: null,
  packageResult: null,
  packageError: null,
  setPackageForm: (patch) => set((s) => ({ packageForm: { ...s.packageForm, ...patch } })),
  planPackage: async () => {
    const model = packageModel(get());
    if (!model) {
      set({ packagePlan: null, packagePlanError: null });
      return;
    }
    const seq = ++planSeq;
    set({ packagePlanning: true });
    try {
      const plan = await studioClient().api.planPackage(specOf(get().packageForm, model));
      if (seq === planSeq) set({ packagePlan: plan, packagePlanError: null });
    } catch (err) {
      if (seq === planSeq) set({ packagePlan: null, packagePlanError: toErrorDto(err) });
    } finally {
      if (seq === planSeq) set({ packagePlanning: false });
    }
  },
  runPackage: async () => {
    const model = packageModel(get());
    if (!model || get().packageJobId) return;
    const jobId = newJobId();
    set({ packageJobId: jobId, packageResult: null, packageError: null });
    try {
      const result = await studioClient().api.runPackage({ ...specOf(get().packageForm, model), jobId });
      set({ packageResult: result });
    } catch (err) {
      set({ packageError: toErrorDto(err) });
    } finally {
      set({ packageJobId: null });
      void get().planPackage();
    }
  },
  dismissPackageResult: () => set({ packageResult: null, packageError: null }),
});

/** Named selectors of the package slice. */
export const packageSelectors = {
  form: (s: StudioState) => s.packageForm,
  plan: (s: StudioState) => s.packagePlan,
  planError: (s: StudioState) => s.packagePlanError,
  planning: (s: StudioState) => s.packagePlanning,
  jobId: (s: StudioState) => s.packageJobId,
  result: (s: StudioState) => s.packageResult,
  error: (s: StudioState) => s.packageError,
  /** the model the package is made from (the selected variant's, else the open model's) */
  modelId: (s: StudioState) => packageModel(s)?.modelId ?? null,
};
