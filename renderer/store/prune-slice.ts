/** Prune slice: the Prune panel's method and options, the dry-run preview, and making a pruned variant. */
import type { StateCreator } from 'zustand';
import { toErrorDto, type StudioErrorDto } from '../../shared/api/errors';
import type { PrunePreviewDto } from '../../shared/prune/prune-report';
import type { PruneChannelsOptionsInput, PruneMagnitudeOptionsInput } from '../../shared/prune/prune-options';
import { prunedOverlay } from '../../shared/prune/prune-overlay';
import { pruneRefusal } from '../../shared/prune/prune-refusal';
import { studioClient } from '../services';
import type { StudioState } from './index';

export type PruneMethod = 'channel' | 'magnitude';

/** The panel's form: one set of options per method (kept when switching back and forth). */
export interface PruneForm {
  method: PruneMethod;
  channel: PruneChannelsOptionsInput;
  magnitude: PruneMagnitudeOptionsInput;
  /** the calibration data path typed in the form ('' for none) */
  calibrationPath: string;
}

export interface PruneSlice {
  prune: {
    form: PruneForm;
    preview: PrunePreviewDto | null;
    /** the options the preview was made with, to tell when it is stale */
    previewKey: string | null;
    previewJobId: string | null;
    error: StudioErrorDto | null;
  };
  setPruneForm(patch: Partial<PruneForm>): void;
  setPruneOptions(method: PruneMethod, patch: Partial<PruneChannelsOptionsInput & PruneMagnitudeOptionsInput>): void;
  /** runs the dry run on the selected variant (or the original) */
  previewPruning(): Promise<void>;
  /** makes the pruned variant */
  runPruning(): Promise<void>;
}

function newJobId(): string {
  return `job-${crypto.randomUUID().replace(/-/g, '').slice(0, 20)}`;
}

/** @returns the pass id and options the form stands for. */
export function pruneStep(form: PruneForm): { pass: 'prune-channels' | 'prune-magnitude'; options: Record<string, unknown> } {
  const calibration = form.calibrationPath.trim() ? { path: form.calibrationPath.trim() } : undefined;
  if (form.method === 'magnitude') return { pass: 'prune-magnitude', options: { ...form.magnitude, ...(calibration ? { calibration } : {}) } };
  const channel = { ...form.channel };
  if (!calibration) {
    channel.recover = false;
    if (channel.criterion === 'activation') channel.criterion = 'l2';
  }
  return { pass: 'prune-channels', options: { ...channel, ...(calibration ? { calibration } : {}) } };
}

/** @returns a short variant name for the form, e.g. `channels-30` or `magnitude-2of4`. */
export function pruneVariantName(form: PruneForm): string {
  if (form.method === 'magnitude') return form.magnitude.nm ? `magnitude-${form.magnitude.nm.replace(':', 'of')}` : `magnitude-${Math.round(100 * (form.magnitude.sparsity ?? 0.5))}`;
  return `channels-${Math.round(100 * (form.channel.sparsity ?? 0.3))}${form.channel.recover && form.calibrationPath ? '-recovered' : ''}`;
}

const initialForm: PruneForm = {
  method: 'channel',
  // roundTo left out: the engine rounds kept channel counts to the target's channel multiple
  channel: { sparsity: 0.3, criterion: 'l2', global: false, target: 'channels', skip: [], recover: true, foldBatchNorm: true },
  magnitude: { sparsity: 0.5, global: false, skip: [] },
  calibrationPath: '',
};

/** @returns the model pruning works on: the selected variant, else the original. */
function sourceModelId(s: StudioState): string | null {
  return (s.variants.find((v) => v.id === s.selectedVariantId) ?? s.variants[0])?.modelId ?? s.modelId;
}

/** @returns why pruning the current variant with the form's options must not run, or null. */
export function currentRefusal(s: StudioState): string | null {
  const form = s.prune.form;
  const source = s.variants.find((v) => v.id === s.selectedVariantId) ?? null;
  const amount = form.method === 'channel' ? { method: 'channel' as const, sparsity: form.channel.sparsity } : { method: 'magnitude' as const, sparsity: form.magnitude.sparsity, nm: form.magnitude.nm };
  return pruneRefusal(source, amount);
}

/** @returns the key of a preview of `form` on the current model (stale previews have another). */
function previewKeyOf(s: StudioState, form: PruneForm): string {
  return `${sourceModelId(s)}:${s.selectedTargetId}:${JSON.stringify(pruneStep(form))}`;
}

export const createPruneSlice: StateCreator<StudioState, [], [], PruneSlice> = (set, get) => {
  const patch = (p: Partial<PruneSlice['prune']>) => set((s) => ({ prune: { ...s.prune, ...p } }));
  return {
    prune: { form: initialForm, preview: null, previewKey: null, previewJobId: null, error: null },
    setPruneForm: (p) => patch({ form: { ...get().prune.form, ...p } }),
    setPruneOptions: (method, p) => {
      const form = get().prune.form;
      patch({ form: method === 'channel' ? { ...form, channel: { ...form.channel, ...p } } : { ...form, magnitude: { ...form.magnitude, ...p } } });
    },
    previewPruning: async () => {
      const modelId = sourceModelId(get());
      if (!modelId) return;
      const previous = get().prune.previewJobId;
      if (previous) void studioClient().api.cancelJob({ jobId: previous }).catch(() => undefined);
      if (currentRefusal(get())) {
        patch({ preview: null, previewKey: null, previewJobId: null, error: null });
        return;
      }
      const step = pruneStep(get().prune.form);
      const key = previewKeyOf(get(), get().prune.form);
      const jobId = newJobId();
      patch({ previewJobId: jobId, error: null });
      try {
        const targetId = get().selectedTargetId || undefined;
        const preview = await studioClient().api.previewPruning({ modelId, pass: step.pass, options: step.options, ...(targetId ? { targetId } : {}), jobId });
        if (get().prune.previewJobId !== jobId) return;
        patch({ preview, previewKey: key, previewJobId: null });
        get().setOverlay(prunedOverlay(preview.layers, 'Pruned fraction (preview)'));
      } catch (err) {
        if (get().prune.previewJobId !== jobId) return;
        const e = toErrorDto(err);
        patch({ previewJobId: null, error: e.code === 'JOB_CANCELLED' ? null : e });
      }
    },
    runPruning: async () => {
      if (currentRefusal(get())) return;
      const form = get().prune.form;
      const step = pruneStep(form);
      patch({ error: null });
      const created = await get().runPasses([step], pruneVariantName(form), get().selectedTargetId || undefined);
      const layers = (created?.variant.reports[step.pass] as { layers?: Parameters<typeof prunedOverlay>[0] } | undefined)?.layers;
      if (created && step.pass === 'prune-channels' && layers) get().setOverlay(prunedOverlay(layers, `Pruned fraction (${created.variant.name})`));
    },
  };
};

/** Named selectors of the prune slice. */
export const pruneSelectors = {
  form: (s: StudioState) => s.prune.form,
  preview: (s: StudioState) => s.prune.preview,
  previewKey: (s: StudioState) => s.prune.previewKey,
  /** true when the preview on screen was made for other options or another model */
  previewStale: (s: StudioState) => s.prune.preview !== null && s.prune.previewKey !== previewKeyOf(s, s.prune.form),
  previewJobId: (s: StudioState) => s.prune.previewJobId,
  error: (s: StudioState) => s.prune.error,
  /** why the panel refuses to run (a quantized variant, a 0 % amount), or null */
  refusal: currentRefusal,
};
