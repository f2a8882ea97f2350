/** Quantize slice: the Quantize panel's form, the target's defaults for it, and making a quantized variant. */
import type { StateCreator } from 'zustand';
import { toErrorDto, type StudioErrorDto } from '../../shared/api/errors';
import type { CalibrationMethodDto, QuantFormatDto, QuantizeDefaultsDto, QuantizeReportDto } from '../../shared/api/quantize-api';
import type { NodeOverlay } from '../../shared/graph/overlay';
import type { RecipeStep } from '../../shared/recipes/recipe';
import { studioClient } from '../services';
import type { StudioState } from './index';

export type QuantMode = 'static' | 'dynamic' | 'fp16';

/** The panel's form; `null` fields follow the target's defaults. */
export interface QuantizeForm {
  mode: QuantMode | null;
  /** '' means random calibration data (with a warning) */
  calibrationPath: string;
  method: CalibrationMethodDto | null;
  percentile: number;
  format: QuantFormatDto | null;
  perChannel: boolean | null;
  reduceRange: boolean | null;
  symmetric: boolean;
  /** node names or /regex/, comma-separated */
  exclude: string;
  accuracyAware: boolean;
  maxDrop: number;
  maxDropRelative: boolean;
  evalPath: string;
  keepIoTypes: boolean;
  mixedFp16: boolean;
}

export interface QuantizeSlice {
  quantize: {
    form: QuantizeForm;
    defaults: QuantizeDefaultsDto | null;
    /** the model and target the defaults are for */
    defaultsKey: string | null;
    error: StudioErrorDto | null;
  };
  setQuantizeForm(patch: Partial<QuantizeForm>): void;
  /** fetches the defaults for the open model on the chosen target (and offers its data folder) */
  loadQuantizeDefaults(): Promise<void>;
  /** makes the variant with the form's options */
  runQuantization(): Promise<void>;
}

const initialForm: QuantizeForm = {
  mode: null,
  calibrationPath: '',
  method: null,
  percentile: 99.999,
  format: null,
  perChannel: null,
  reduceRange: null,
  symmetric: false,
  exclude: '',
  accuracyAware: false,
  maxDrop: 1,
  maxDropRelative: false,
  evalPath: '',
  keepIoTypes: true,
  mixedFp16: false,
};

/** @returns the mode the form stands for (its own, else the default). */
export function effectiveMode(form: QuantizeForm, d: QuantizeDefaultsDto | null): QuantMode {
  return form.mode ?? d?.mode ?? 'static';
}

/** @returns the recipe step the form stands for. */
export function quantizeStep(form: QuantizeForm, d: QuantizeDefaultsDto | null): RecipeStep {
  const mode = effectiveMode(form, d);
  const exclude = form.exclude.split(',').map((s) => s.trim()).filter(Boolean);
  const calibration = form.calibrationPath.trim() ? { calibration: form.calibrationPath.trim() } : {};
  if (mode === 'fp16') return { pass: 'convert-fp16', options: { keepIoTypes: form.keepIoTypes, mixed: form.mixedFp16, exclude, ...calibration } };
  const aware = form.accuracyAware
    ? { maxDrop: form.maxDrop, maxDropRelative: form.maxDropRelative, ...(form.evalPath.trim() ? { eval: form.evalPath.trim() } : {}) }
    : {};
  const common = { exclude, ...calibration, ...aware, ...(form.perChannel !== null ? { perChannel: form.perChannel } : {}), ...(form.reduceRange !== null ? { reduceRange: form.reduceRange } : {}) };
  if (mode === 'dynamic') return { pass: 'quantize-dynamic', options: common };
  return {
    pass: 'quantize-static',
    options: {
      ...common,
      symmetric: form.symmetric,
      ...(form.format ? { format: form.format } : {}),
      ...(form.method ? { method: form.method } : {}),
      ...(form.method === 'percentile' ? { percentile: form.percentile } : {}),
    },
  };
}

/** @returns a short variant name, e.g. `int8-u8s8-minmax`. */
export function quantizeVariantName(form: QuantizeForm, d: QuantizeDefaultsDto | null): string {
  const mode = effectiveMode(form, d);
  if (mode === 'fp16') return form.mixedFp16 ? 'fp16-mixed' : 'fp16';
  if (mode === 'dynamic') return 'int8-dynamic';
  return `int8-${form.format ?? d?.format ?? 'u8s8'}-${form.method ?? d?.method ?? 'minmax'}${form.accuracyAware ? '-aware' : ''}`;
}

/** @returns the quantization report of a variant's reports, when a quantize pass made it. */
export function quantizeReportOf(reports: Record<string, unknown> | undefined): QuantizeReportDto | null {
  const entry = Object.entries(reports ?? {})
    .filter(([k]) => /(quantize-static|quantize-dynamic|convert-fp16)$/.test(k))
    .pop();
  return entry ? (entry[1] as QuantizeReportDto) : null;
}

/** @returns the graph overlay of a report: per node, the noise-to-signal ratio in dB (higher is worse). */
export function quantErrorOverlay(report: QuantizeReportDto, variantName: string): NodeOverlay | null {
  const values: Record<string, number> = {};
  for (const [node, snr] of Object.entries(report.nodeErrors ?? {})) if (snr !== null && Number.isFinite(snr)) values[node] = -snr;
  if (!Object.keys(values).length) return null;
  return { id: 'quantization-error', title: `Quantization noise (${variantName})`, unit: 'dB N/S', values, scale: 'linear' };
}

export const createQuantizeSlice: StateCreator<StudioState, [], [], QuantizeSlice> = (set, get) => {
  const patch = (p: Partial<QuantizeSlice['quantize']>) => set((s) => ({ quantize: { ...s.quantize, ...p } }));
  return {
    quantize: { form: initialForm, defaults: null, defaultsKey: null, error: null },
    setQuantizeForm: (p) => patch({ form: { ...get().quantize.form, ...p } }),
    loadQuantizeDefaults: async () => {
      const modelId = get().modelId;
      if (!modelId) return;
      const targetId = get().selectedTargetId;
      const key = `${modelId}|${targetId}`;
      if (get().quantize.defaultsKey === key) return;
      try {
        const defaults = await studioClient().api.getQuantizeDefaults({ modelId, ...(targetId ? { targetId } : {}) });
        const form = get().quantize.form;
        const first = get().quantize.defaultsKey === null || !get().quantize.defaultsKey?.startsWith(`${modelId}|`);
        const suggested = defaults.calibrationSuggestions[0]?.path ?? '';
        patch({ defaults, defaultsKey: key, error: null, form: first ? { ...form, calibrationPath: suggested, evalPath: '' } : form });
      } catch (err) {
        patch({ error: toErrorDto(err) });
      }
    },
    runQuantization: async () => {
      const { form, defaults } = get().quantize;
      patch({ error: null });
      const created = await get().runPasses([quantizeStep(form, defaults)], quantizeVariantName(form, defaults), get().selectedTargetId || undefined);
      const report = created ? quantizeReportOf(created.variant.reports) : null;
      const overlay = report ? quantErrorOverlay(report, created?.variant.name ?? '') : null;
      if (overlay) get().setOverlay(overlay);
    },
  };
};

/** Named selectors of the quantize slice. */
export const quantizeSelectors = {
  form: (s: StudioState) => s.quantize.form,
  defaults: (s: StudioState) => s.quantize.defaults,
  error: (s: StudioState) => s.quantize.error,
};
