/** Shape formatting for the screens (byte sizes and counts: shared/format). */
import type { TensorInfo } from '../../../shared/api/model-summary';

/** @returns a shape as `[batch, 1, 28, 28]`. */
export function formatShape(t: Pick<TensorInfo, 'shape'>): string {
  return t.shape ? `[${t.shape.map((d) => (d === null ? '?' : String(d))).join(', ')}]` : 'unknown';
}
