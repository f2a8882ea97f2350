/** Class colours and mask rasters, shared by the renderer's overlays and the CLI's `--render`. */
import type { SegmentResult } from './task-types';

/** Distinct colours for classes (Tableau 10), as [r, g, b]; class k takes colour k mod 10 (background is never drawn). */
export const CLASS_COLORS: ReadonlyArray<readonly [number, number, number]> = [
  [78, 121, 167],
  [242, 142, 43],
  [225, 87, 89],
  [118, 183, 178],
  [89, 161, 79],
  [237, 201, 72],
  [176, 122, 161],
  [255, 157, 167],
  [156, 117, 95],
  [186, 176, 172],
];

/** @returns the colour of a class as `#rrggbb`. */
export function classColor(classIndex: number): string {
  const [r, g, b] = CLASS_COLORS[((classIndex % CLASS_COLORS.length) + CLASS_COLORS.length) % CLASS_COLORS.length];
  return `#${[r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}

/** @returns the colour of a detection box: by class (box colours skip the first entry so class 0 is not blue-grey). */
export function boxColor(classIndex: number): string {
  return classColor(classIndex + 1);
}

/**
 * A segmentation mask as RGBA pixels at the mask's size: each class in its colour at `opacity`, background clear; a
 * probability map shades the foreground colour by probability.
 * @param r - the mask and its mode
 * @param opacity - 0..1
 */
export function maskRgba(r: Pick<SegmentResult, 'mask' | 'probability' | 'maskWidth' | 'maskHeight' | 'mode'>, opacity: number): Uint8ClampedArray {
  const out = new Uint8ClampedArray(r.maskWidth * r.maskHeight * 4);
  const alpha = Math.round(Math.max(0, Math.min(1, opacity)) * 255);
  for (let i = 0; i < r.mask.length; i++) {
    const k = r.mask[i];
    if (r.mode === 'probability' && r.probability) {
      const [cr, cg, cb] = CLASS_COLORS[1];
      out.set([cr, cg, cb, Math.round((alpha * r.probability[i]) / 255)], i * 4);
    } else if (k > 0) {
      const [cr, cg, cb] = CLASS_COLORS[k % CLASS_COLORS.length];
      out.set([cr, cg, cb, alpha], i * 4);
    }
  }
  return out;
}
