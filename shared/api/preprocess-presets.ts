/** Named preprocessing presets ([0, 1], [-1, 1], ImageNet mean/std, [0, 255]) shared by the editor and the CLI. */
import type { PreprocessConfig } from './preprocess';

/** A normalization preset: how pixel values in [0, 255] become the model's numbers. */
export interface NormalizationPreset {
  id: 'unit' | 'signed' | 'imagenet' | 'raw';
  label: string;
  scale: number;
  mean?: number[];
  std?: number[];
}

/** The presets, in the order the editor shows them. */
export const NORMALIZATION_PRESETS: readonly NormalizationPreset[] = [
  { id: 'unit', label: '[0, 1]', scale: 255 },
  { id: 'signed', label: '[-1, 1]', scale: 255, mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] },
  { id: 'imagenet', label: 'ImageNet mean/std', scale: 255, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] },
  { id: 'raw', label: '[0, 255]', scale: 1 },
];

/** A preset id, or `custom` for values that match none. */
export type NormalizationId = NormalizationPreset['id'] | 'custom';

const same = (a: readonly number[] | undefined, b: readonly number[] | undefined, fill: number): boolean => {
  const x = a?.length ? a : [fill];
  const y = b?.length ? b : [fill];
  const n = Math.max(x.length, y.length);
  for (let i = 0; i < n; i++) if (Math.abs(x[Math.min(i, x.length - 1)] - y[Math.min(i, y.length - 1)]) > 1e-6) return false;
  return true;
};

/** @returns the preset a config's scale and mean/std match, or `custom`. */
export function normalizationOf(config: Pick<PreprocessConfig, 'scale' | 'mean' | 'std'>): NormalizationId {
  const hit = NORMALIZATION_PRESETS.find((p) => Math.abs(p.scale - config.scale) < 1e-9 && same(p.mean, config.mean, 0) && same(p.std, config.std, 1));
  return hit?.id ?? 'custom';
}

/**
 * Applies a normalization preset.
 * @returns a copy of the config with the preset's scale and mean/std (mean/std dropped for presets without them)
 */
export function withNormalization(config: PreprocessConfig, id: NormalizationPreset['id']): PreprocessConfig {
  const p = NORMALIZATION_PRESETS.find((x) => x.id === id);
  if (!p) return config;
  const { mean: _m, std: _s, ...rest } = config;
  return { ...rest, scale: p.scale, ...(p.mean ? { mean: [...p.mean] } : {}), ...(p.std ? { std: [...p.std] } : {}) };
}

/**
 * ImageNet's geometry for an input of `size`: resize the shorter side to size × 256/224, then centre-crop `size`.
 * @param size - the model's input height and width
 */
export function withImagenetGeometry(config: PreprocessConfig, size: { width: number; height: number }): PreprocessConfig {
  const shorter = Math.round((Math.min(size.width, size.height) * 256) / 224);
  return { ...config, resize: { width: shorter, height: shorter, mode: 'shorter' }, crop: { width: size.width, height: size.height } };
}

/**
 * The range a normalized channel spans for pixels 0…255, for the UI's "[-2.12, 2.25]" hints.
 * @param channel - the channel index (mean/std of one element apply to all)
 */
export function channelRange(config: Pick<PreprocessConfig, 'scale' | 'mean' | 'std'>, channel: number): [number, number] {
  const m = config.mean?.length ? config.mean[Math.min(channel, config.mean.length - 1)] : 0;
  const s = config.std?.length ? config.std[Math.min(channel, config.std.length - 1)] : 1;
  return [(0 / config.scale - m) / s, (255 / config.scale - m) / s];
}
