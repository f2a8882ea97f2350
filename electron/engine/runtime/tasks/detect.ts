/** Detection outputs to boxes: YOLO-style rows ([N, boxes, 4 + classes (+1)], or transposed) and boxes/scores/labels. */
import { StudioError } from '../../../../shared/api/errors';
import { filterBoxes } from '../../../../shared/tasks/boxes';
import type { BoxDto, DetectResult } from '../../../../shared/tasks/task-types';
import type { HostTensor } from '../backend';
import { valueAt } from '../host-tensor';

/** How model-input pixels map to the source image's pixels. */
export interface BoxScale {
  /** the model's input size (what box coordinates refer to, unless normalized to 0..1) */
  modelWidth: number;
  modelHeight: number;
  /** the source image's size (what the result's boxes are in) */
  sourceWidth: number;
  sourceHeight: number;
}

/** The lowest score a candidate keeps (so the GUI's slider can go down to it without another run). */
export const MIN_CANDIDATE_SCORE = 0.05;
const MAX_CANDIDATES = 2000;

interface Decoded {
  format: DetectResult['format'];
  outputNames: string[];
  candidates: BoxDto[];
}

function clampBox(b: BoxDto, s: BoxScale): BoxDto {
  return { ...b, x0: Math.max(0, b.x0), y0: Math.max(0, b.y0), x1: Math.min(s.sourceWidth, b.x1), y1: Math.min(s.sourceHeight, b.y1) };
}

/**
 * Reads YOLO rows: each row is cx, cy, w, h, then either class scores (YOLOv8, transposed [1, 4 + C, N]) or an
 * objectness and class scores (YOLOv5, [1, N, 5 + C]). Which of the two is read off the layout unless `labels` tells
 * the class count.
 */
function decodeYolo(name: string, t: HostTensor, scale: BoxScale, labels: readonly string[] | null): Decoded {
  const [, d1, d2] = t.dims.length === 3 ? t.dims : [1, ...t.dims];
  const transposed = d1 < d2;
  const rows = transposed ? d2 : d1;
  const width = transposed ? d1 : d2;
  const at = (r: number, k: number) => valueAt(t, transposed ? k * rows + r : r * width + k);
  let objectness = !transposed;
  if (labels && labels.length === width - 4) objectness = false;
  else if (labels && labels.length === width - 5) objectness = true;
  const classes = width - 4 - (objectness ? 1 : 0);
  if (classes < 1) throw new StudioError('INVALID_INPUT', `Output "${name}" [${t.dims.join(', ')}] has rows of ${width} values: too few for 4 box coordinates and class scores.`);
  // coordinates in 0..1 are normalized; else they are model-input pixels
  let maxCoord = 0;
  for (let r = 0; r < Math.min(rows, 200); r++) maxCoord = Math.max(maxCoord, at(r, 0), at(r, 1));
  const norm = maxCoord <= 1.5;
  const sx = (norm ? scale.modelWidth : 1) * (scale.sourceWidth / scale.modelWidth);
  const sy = (norm ? scale.modelHeight : 1) * (scale.sourceHeight / scale.modelHeight);
  const candidates: BoxDto[] = [];
  for (let r = 0; r < rows; r++) {
    const obj = objectness ? at(r, 4) : 1;
    if (obj < MIN_CANDIDATE_SCORE) continue;
    let best = 0;
    let bestScore = -Infinity;
    for (let c = 0; c < classes; c++) {
      const v = at(r, 4 + (objectness ? 1 : 0) + c);
      if (v > bestScore) [best, bestScore] = [c, v];
    }
    const score = obj * bestScore;
    if (!(score >= MIN_CANDIDATE_SCORE)) continue;
    const [cx, cy, w, h] = [at(r, 0) * sx, at(r, 1) * sy, at(r, 2) * sx, at(r, 3) * sy];
    candidates.push(clampBox({ x0: cx - w / 2, y0: cy - h / 2, x1: cx + w / 2, y1: cy + h / 2, score, classIndex: best, label: labels?.[best] ?? null }, scale));
  }
  return { format: transposed ? 'yolo-transposed' : 'yolo', outputNames: [name], candidates };
}

/** Reads separate outputs: boxes [.., N, 4] (x0, y0, x1, y1), scores [.., N] and optional labels [.., N]. */
function decodeSeparate(outputs: Record<string, HostTensor>, scale: BoxScale, labels: readonly string[] | null): Decoded | null {
  const entries = Object.entries(outputs);
  const boxes = entries.find(([n, t]) => /box|bbox|dets/i.test(n) && t.dims[t.dims.length - 1] >= 4);
  if (!boxes) return null;
  const scores = entries.find(([n]) => /score|conf|prob/i.test(n));
  const classes = entries.find(([n]) => /label|class/i.test(n) && n !== scores?.[0]);
  const bt = boxes[1];
  const per = bt.dims[bt.dims.length - 1];
  const count = bt.dims.reduce((a, b) => a * b, 1) / per;
  let maxCoord = 0;
  for (let i = 0; i < Math.min(count, 200) * per; i++) maxCoord = Math.max(maxCoord, valueAt(bt, i));
  const norm = maxCoord <= 1.5;
  const sx = (norm ? scale.modelWidth : 1) * (scale.sourceWidth / scale.modelWidth);
  const sy = (norm ? scale.modelHeight : 1) * (scale.sourceHeight / scale.modelHeight);
  const candidates: BoxDto[] = [];
  for (let i = 0; i < count; i++) {
    // a fifth value in a row is the score (the `dets [N, 5]` form)
    const score = scores ? valueAt(scores[1], i) : per >= 5 ? valueAt(bt, i * per + 4) : 1;
    if (!(score >= MIN_CANDIDATE_SCORE)) continue;
    const cls = classes ? Math.round(valueAt(classes[1], i)) : 0;
    const [x0, y0, x1, y1] = [0, 1, 2, 3].map((k) => valueAt(bt, i * per + k));
    candidates.push(clampBox({ x0: x0 * sx, y0: y0 * sy, x1: x1 * sx, y1: y1 * sy, score, classIndex: cls, label: labels?.[cls] ?? null }, scale));
  }
  return { format: 'boxes-scores-labels', outputNames: [boxes[0], ...(scores ? [scores[0]] : []), ...(classes ? [classes[0]] : [])], candidates };
}

/**
 * Decodes a detector's outputs into boxes in the source image's pixels, with score threshold and per-class NMS.
 * @param outputs - the model's outputs by name
 * @param scale - model input and source image sizes
 * @param labels - class names, when known
 * @param thresholds - score and IoU thresholds (defaults 0.25 and 0.45, as YOLO's tools use)
 * @throws StudioError `INVALID_INPUT` when no output is shaped like detections
 */
export function decodeDetections(
  outputs: Record<string, HostTensor>,
  scale: BoxScale,
  labels: readonly string[] | null,
  thresholds: { score?: number; iou?: number } = {},
): Pick<DetectResult, 'format' | 'outputNames' | 'boxes' | 'candidates' | 'scoreThreshold' | 'iouThreshold'> {
  const scoreThreshold = thresholds.score ?? 0.25;
  const iouThreshold = thresholds.iou ?? 0.45;
  let decoded = decodeSeparate(outputs, scale, labels);
  if (!decoded) {
    const rows = Object.entries(outputs).find(([, t]) => t.dtype !== 'string' && (t.dims.length === 3 || t.dims.length === 2) && Math.max(...t.dims.slice(-2)) >= 5);
    if (!rows) {
      const shapes = Object.entries(outputs).map(([n, t]) => `"${n}" [${t.dims.join(', ')}]`).join(', ');
      throw new StudioError('INVALID_INPUT', `No output looks like detections (YOLO rows [1, boxes, 4 + classes] or boxes/scores/labels outputs); the model gives ${shapes}. Choose another task with --task.`);
    }
    decoded = decodeYolo(rows[0], rows[1], scale, labels);
  }
  const candidates = decoded.candidates.sort((a, b) => b.score - a.score).slice(0, MAX_CANDIDATES);
  return { format: decoded.format, outputNames: decoded.outputNames, candidates, boxes: filterBoxes(candidates, scoreThreshold, iouThreshold), scoreThreshold, iouThreshold };
}
