/** Box geometry shared by the engine's detection decoder and the renderer's threshold slider: IoU, NMS, filtering. */
import type { BoxDto } from './task-types';

/** @returns the intersection over union of two boxes (0 when either is empty). */
export function boxIou(a: Pick<BoxDto, 'x0' | 'y0' | 'x1' | 'y1'>, b: Pick<BoxDto, 'x0' | 'y0' | 'x1' | 'y1'>): number {
  const iw = Math.max(0, Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0));
  const ih = Math.max(0, Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0));
  const inter = iw * ih;
  const union = (a.x1 - a.x0) * (a.y1 - a.y0) + (b.x1 - b.x0) * (b.y1 - b.y0) - inter;
  return union > 0 ? inter / union : 0;
}

/**
 * Greedy non-maximum suppression per class: best score first, dropping boxes of the same class that overlap a kept one.
 * @param boxes - candidates (any order)
 * @param iouThreshold - overlap above which the weaker box is dropped
 * @param maxBoxes - at most this many kept
 * @returns the kept boxes, best first
 */
export function nonMaxSuppression(boxes: readonly BoxDto[], iouThreshold: number, maxBoxes = 300): BoxDto[] {
  const sorted = [...boxes].sort((a, b) => b.score - a.score);
  const kept: BoxDto[] = [];
  for (const b of sorted) {
    if (kept.length >= maxBoxes) break;
    if (kept.some((k) => k.classIndex === b.classIndex && boxIou(k, b) > iouThreshold)) continue;
    kept.push(b);
  }
  return kept;
}

/** @returns the boxes at or above a score threshold, after NMS (what the slider shows without running again). */
export function filterBoxes(candidates: readonly BoxDto[], scoreThreshold: number, iouThreshold: number): BoxDto[] {
  return nonMaxSuppression(
    candidates.filter((b) => b.score >= scoreThreshold),
    iouThreshold,
  );
}
