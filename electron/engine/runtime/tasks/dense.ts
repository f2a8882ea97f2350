/** Dense outputs: segmentation maps (argmax over classes, or one probability channel) and CTC-style sequence decoding. */
import { StudioError } from '../../../../shared/api/errors';
import type { MaskClassDto, SegmentResult, SequenceResult } from '../../../../shared/tasks/task-types';
import type { HostTensor } from '../backend';
import { valueAt } from '../host-tensor';

/** The largest mask the result carries (bigger maps are sampled down by nearest neighbour). */
const MAX_MASK_SIDE = 512;

/** @returns the first output shaped like a map: [N, C, H, W], [N, H, W] or [H, W] with H, W > 1. */
export function findDenseOutput(outputs: Record<string, HostTensor>): [string, HostTensor] | undefined {
  return Object.entries(outputs).find(([, t]) => t.dtype !== 'string' && t.dims.length >= 2 && t.dims.length <= 4 && t.dims[t.dims.length - 1] > 1 && t.dims[t.dims.length - 2] > 1);
}

/**
 * Turns a dense output into a class mask and per-class statistics in the source image's pixels.
 * @param name - the output's name
 * @param t - [N, C, H, W] (C classes, argmax; or C = 1 probability), [N, H, W] or [H, W] (probabilities)
 * @param source - the source image's size (class boxes are scaled to it)
 * @param labels - class names, when known
 */
export function decodeSegmentation(
  name: string,
  t: HostTensor,
  source: { width: number; height: number },
  labels: readonly string[] | null,
): Pick<SegmentResult, 'outputName' | 'mode' | 'maskWidth' | 'maskHeight' | 'mask' | 'probability' | 'classes' | 'coverage'> {
  const d = t.dims;
  const [c, h, w] = d.length === 4 ? [d[1], d[2], d[3]] : d.length === 3 ? [1, d[1], d[2]] : [1, d[0], d[1]];
  if (!(h > 1 && w > 1)) throw new StudioError('INVALID_INPUT', `Output "${name}" [${d.join(', ')}] is not a map (height and width above 1). Choose another task with --task.`);
  const step = Math.max(1, Math.ceil(Math.max(h, w) / MAX_MASK_SIDE));
  const mh = Math.ceil(h / step);
  const mw = Math.ceil(w / step);
  const mask = new Array<number>(mw * mh).fill(0);
  const probability = c === 1 ? new Array<number>(mw * mh).fill(0) : null;
  const plane = h * w;
  // a single channel of logits (values outside 0..1) goes through a sigmoid
  let logits = false;
  if (c === 1) for (let i = 0; i < plane && !logits; i += Math.max(1, Math.floor(plane / 4096))) logits = valueAt(t, i) < -0.01 || valueAt(t, i) > 1.01;
  for (let y = 0; y < mh; y++) {
    for (let x = 0; x < mw; x++) {
      const p = y * step * w + x * step;
      if (c === 1) {
        const v = valueAt(t, p);
        const prob = logits ? 1 / (1 + Math.exp(-v)) : v;
        probability![y * mw + x] = Math.round(Math.max(0, Math.min(1, prob)) * 255);
        mask[y * mw + x] = prob >= 0.5 ? 1 : 0;
      } else {
        let best = 0;
        let bestV = -Infinity;
        for (let k = 0; k < c; k++) {
          const v = valueAt(t, k * plane + p);
          if (v > bestV) [best, bestV] = [k, v];
        }
        mask[y * mw + x] = best;
      }
    }
  }
  const classCount = Math.max(2, c);
  const counts = new Array<number>(classCount).fill(0);
  const bbox = Array.from({ length: classCount }, () => [Infinity, Infinity, -Infinity, -Infinity]);
  for (let y = 0; y < mh; y++) {
    for (let x = 0; x < mw; x++) {
      const k = mask[y * mw + x];
      counts[k]++;
      const b = bbox[k];
      b[0] = Math.min(b[0], x);
      b[1] = Math.min(b[1], y);
      b[2] = Math.max(b[2], x + 1);
      b[3] = Math.max(b[3], y + 1);
    }
  }
  const total = mw * mh;
  const sx = source.width / mw;
  const sy = source.height / mh;
  const classes: MaskClassDto[] = counts
    .map((pixels, k) => ({
      classIndex: k,
      label: labels?.[k] ?? (c === 1 ? (k === 1 ? 'foreground' : 'background') : null),
      pixels,
      fraction: pixels / total,
      bbox: pixels ? ([bbox[k][0] * sx, bbox[k][1] * sy, bbox[k][2] * sx, bbox[k][3] * sy] as [number, number, number, number]) : null,
    }))
    .filter((k) => k.pixels > 0);
  return { outputName: name, mode: c === 1 ? 'probability' : 'classes', maskWidth: mw, maskHeight: mh, mask, probability, classes, coverage: 1 - counts[0] / total };
}

/**
 * CTC greedy decoding: the best class per step, repeats merged, blanks dropped.
 * @param name - the output's name
 * @param t - [N, T, C] (or [T, C]) per-step scores
 * @param characters - the characters of classes (with the blank at `blankIndex`); without them indices are shown
 * @param blankIndex - the blank class (default 0)
 */
export function decodeCtc(
  name: string,
  t: HostTensor,
  characters: readonly string[] | null,
  blankIndex = 0,
): Pick<SequenceResult, 'outputName' | 'text' | 'tokens' | 'hasCharacters' | 'blankIndex' | 'meanProbability'> {
  const [steps, classes] = t.dims.length >= 3 ? [t.dims[t.dims.length - 2], t.dims[t.dims.length - 1]] : [t.dims[0], t.dims[1]];
  if (!(classes > 1)) throw new StudioError('INVALID_INPUT', `Output "${name}" [${t.dims.join(', ')}] is not per-step class scores ([N, T, C]). Choose another task with --task.`);
  // PaddleOCR's lists leave out the blank (index 0) and end with a space: class k is character k - 1
  const offset = characters && characters.length === classes - 1 && blankIndex === 0 ? 1 : 0;
  const tokens: SequenceResult['tokens'] = [];
  let prev = -1;
  for (let s = 0; s < steps; s++) {
    let best = 0;
    let bestV = -Infinity;
    let sum = 0;
    let max = -Infinity;
    for (let k = 0; k < classes; k++) {
      const v = valueAt(t, s * classes + k);
      if (v > bestV) [best, bestV] = [k, v];
      max = Math.max(max, v);
    }
    // probabilities already (softmax output) or logits: the best class's softmax probability either way
    let isProb = true;
    for (let k = 0; k < classes; k++) {
      const v = valueAt(t, s * classes + k);
      if (v < 0 || v > 1) isProb = false;
      sum += Math.exp(v - max);
    }
    const probability = isProb ? bestV : 1 / sum;
    if (best !== blankIndex && best !== prev) {
      const ch = characters?.[best - offset] ?? `⟨${best}⟩`;
      tokens.push({ index: best, char: ch, probability });
    }
    prev = best;
  }
  const meanProbability = tokens.length ? tokens.reduce((a, b) => a + b.probability, 0) / tokens.length : 0;
  return { outputName: name, text: tokens.map((x) => x.char).join(''), tokens, hasCharacters: Boolean(characters), blankIndex, meanProbability };
}
