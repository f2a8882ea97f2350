/** Guesses a model's task from its inputs' and outputs' shapes, names and metadata, with the clues it used. */
import type { DeclaredDim } from '../../../../shared/api/runtime-api';
import type { TaskGuessDto, TaskKind } from '../../../../shared/tasks/task-types';
import { configFromShape } from '../inputs/image-input';
import type { DeclaredValue } from '../inputs/input-spec';

/** What the guess reads: the declared inputs and outputs and the model's metadata_props. */
export interface TaskClues {
  inputs: readonly DeclaredValue[];
  outputs: readonly DeclaredValue[];
  metadata: Readonly<Record<string, string>>;
}

const AUDIO_NAME = /audio|wav|pcm|waveform|signal|speech|samples/i;
const STATE_NAME = /^(state|h|c|hidden|cell|h0|c0|hx|cx)(_?in)?$|state/i;
const RATE_NAME = /^(sr|sample_?rate|sampling_?rate)$/i;
const IMAGE_OUT_NAME = /image|img|output_?image|rgb|pred_?image|sr_out|enhanced|restored|stylized/i;
const SEG_OUT_NAME = /seg|mask|logit|prob|sigmoid|alpha|matte|depth|heat|saliency|class/i;
const DET_NAME = /box|bbox|det|anchor|score|label|class|output0/i;

const shapeText = (s: readonly DeclaredDim[]) => `[${s.map((d) => d ?? '?').join(', ')}]`;
const fixed = (d: DeclaredDim): d is number => typeof d === 'number';

/** @returns the image input, when one is shaped like an image (rank 4 with 1 or 3 channels). */
export function imageLikeInput(inputs: readonly DeclaredValue[]): DeclaredValue | undefined {
  return inputs.find((i) => i.isTensor && i.dtype.startsWith('float') && configFromShape(i.shape) !== null) ?? inputs.find((i) => i.isTensor && i.dtype === 'uint8' && configFromShape(i.shape) !== null);
}

/** @returns the audio input: a float input of rank 1-3 whose last axis is samples (by name, or because a sample-rate input sits beside it). */
export function audioLikeInput(inputs: readonly DeclaredValue[]): DeclaredValue | undefined {
  const hasRate = inputs.some((i) => RATE_NAME.test(i.name) && i.shape.length <= 1);
  return inputs.find((i) => {
    if (!i.isTensor || !i.dtype.startsWith('float') || i.shape.length < 1 || i.shape.length > 3 || STATE_NAME.test(i.name)) return false;
    if (i.shape.length === 3 && i.shape[1] !== 1) return false;
    const last = i.shape[i.shape.length - 1];
    const named = AUDIO_NAME.test(i.name) || (typeof last === 'string' && /sample|sequence|audio|time|length|len/i.test(last));
    return named || (hasRate && !fixed(last)) || (hasRate && fixed(last) && last >= 256);
  });
}

function metadataTask(meta: Readonly<Record<string, string>>): TaskKind | null {
  const t = (meta.task ?? meta['model.task'] ?? '').toLowerCase();
  if (/detect|pose|obb/.test(t)) return 'detect';
  if (/segment|matting|depth/.test(t)) return 'segment';
  if (/classif/.test(t)) return 'classify';
  if (/^(image|image-to-image|super|enhance)/.test(t)) return 'image';
  if (/audio|vad|speech|wake/.test(t)) return 'audio';
  if (/sequence|ocr|ctc|text-rec/.test(t)) return 'sequence';
  return null;
}

/** True when an output's spatial axes match the image input's (same fixed size or the same symbols), or are large. */
function sameSpatial(out: readonly DeclaredDim[], img: readonly DeclaredDim[], nchw: boolean): boolean {
  const [ih, iw] = nchw ? [img[2], img[3]] : [img[1], img[2]];
  const [oh, ow] = [out[2], out[3]];
  if (oh === ih && ow === iw && oh !== null) return true;
  const big = (d: DeclaredDim) => d === null || typeof d === 'string' || d >= 16;
  return big(oh) && big(ow) && !(fixed(oh) && oh === 1);
}

function guessImageTask(img: DeclaredValue, outs: readonly DeclaredValue[], reasons: string[]): { kind: TaskKind; confidence: TaskGuessDto['confidence']; alternatives: TaskKind[] } {
  const nchw = img.shape[1] === 1 || img.shape[1] === 3;
  reasons.push(`input "${img.name}" ${shapeText(img.shape)} is shaped like an image (${nchw ? 'NCHW' : 'NHWC'})`);
  const names = outs.map((o) => o.name.toLowerCase());
  const hasBoxes = names.some((n) => /box|bbox|dets/.test(n));
  if (hasBoxes && (names.some((n) => /score|conf|prob/.test(n)) || outs.some((o) => o.shape.length === 3 && o.shape[2] === 5))) {
    reasons.push(`outputs ${outs.map((o) => `"${o.name}"`).join(', ')} name boxes and scores`);
    return { kind: 'detect', confidence: 'high', alternatives: ['tensor'] };
  }
  const first = outs[0];
  const s = first.shape;
  if (s.length === 2 || (s.length === 4 && s[2] === 1 && s[3] === 1)) {
    const c = s[1];
    if (!fixed(c) || c > 1) {
      reasons.push(`output "${first.name}" ${shapeText(s)} is shaped like class scores`);
      return { kind: 'classify', confidence: fixed(c) ? 'high' : 'medium', alternatives: ['tensor'] };
    }
  }
  if (s.length === 3) {
    const [a, k] = [s[1], s[2]];
    if (fixed(a) && fixed(k) && k >= 5 && k <= 4 + 1 + 1000 && a >= 4 * k) {
      reasons.push(`output "${first.name}" ${shapeText(s)} looks like detection rows (${a} boxes of 4 coordinates + ${k - 4} scores)`);
      return { kind: 'detect', confidence: DET_NAME.test(first.name) ? 'high' : 'medium', alternatives: ['sequence', 'tensor'] };
    }
    if (fixed(a) && fixed(k) && a >= 5 && a <= 4 + 1000 && k >= 4 * a) {
      reasons.push(`output "${first.name}" ${shapeText(s)} looks like transposed detection rows (4 coordinates + ${a - 4} scores for ${k} boxes)`);
      return { kind: 'detect', confidence: DET_NAME.test(first.name) ? 'high' : 'medium', alternatives: ['sequence', 'tensor'] };
    }
    if (fixed(k) && k > 2 && (!fixed(a) || a < k)) {
      reasons.push(`output "${first.name}" ${shapeText(s)} looks like per-step class scores over ${k} symbols (CTC-style text)`);
      return { kind: 'sequence', confidence: /softmax|ctc|rec|logit|prob/i.test(first.name) || !fixed(a) ? 'medium' : 'ask', alternatives: ['detect', 'tensor'] };
    }
  }
  if (s.length === 4 && sameSpatial(s, img.shape, true)) {
    const c = s[1];
    const imgC = nchw ? img.shape[1] : img.shape[3];
    if (fixed(c) && c === imgC && c === 3 && !SEG_OUT_NAME.test(first.name)) {
      reasons.push(`output "${first.name}" ${shapeText(s)} has the input's 3 channels at image size`);
      return { kind: 'image', confidence: IMAGE_OUT_NAME.test(first.name) ? 'high' : 'ask', alternatives: ['segment', 'tensor'] };
    }
    reasons.push(`output "${first.name}" ${shapeText(s)} is a dense map (${fixed(c) ? c : '?'} channel${c === 1 ? '' : 's'} per pixel)`);
    return { kind: 'segment', confidence: fixed(c) && c === 3 && !SEG_OUT_NAME.test(first.name) ? 'ask' : 'high', alternatives: fixed(c) && c === 3 ? ['image', 'tensor'] : ['tensor'] };
  }
  if (s.length === 3 && s.every((d) => !fixed(d) || d >= 16)) {
    reasons.push(`output "${first.name}" ${shapeText(s)} is a single-channel dense map`);
    return { kind: 'segment', confidence: 'medium', alternatives: ['tensor'] };
  }
  reasons.push(`no output is shaped like class scores, boxes, a map or an image (first: "${first.name}" ${shapeText(s)})`);
  return { kind: 'tensor', confidence: 'ask', alternatives: ['classify', 'segment'] };
}

/**
 * Guesses the task: metadata (`task` as Ultralytics writes it) first, then an image input with its outputs' shapes,
 * then an audio input, else the generic tensor view.
 * @param clues - declared inputs, outputs and metadata
 * @returns the guess, with `confidence: 'ask'` when the shapes fit more than one task equally
 */
export function guessTask(clues: TaskClues): TaskGuessDto {
  const reasons: string[] = [];
  const outs = clues.outputs.filter((o) => o.isTensor);
  const fromMeta = metadataTask(clues.metadata);
  if (fromMeta) {
    reasons.push(`the model's metadata says task "${clues.metadata.task ?? clues.metadata['model.task']}"`);
    return { kind: fromMeta, confidence: 'high', reasons, alternatives: ['tensor'] };
  }
  if (!outs.length) return { kind: 'tensor', confidence: 'ask', reasons: ['the model declares no tensor outputs'], alternatives: [] };
  const audio = audioLikeInput(clues.inputs);
  const img = imageLikeInput(clues.inputs);
  if (img && !audio) {
    const g = guessImageTask(img, outs, reasons);
    return { ...g, reasons };
  }
  if (audio) {
    reasons.push(`input "${audio.name}" ${shapeText(audio.shape)} is shaped like audio samples`);
    const rate = clues.inputs.find((i) => RATE_NAME.test(i.name));
    if (rate) reasons.push(`input "${rate.name}" is a sample rate`);
    const states = clues.inputs.filter((i) => i !== audio && i !== rate && STATE_NAME.test(i.name));
    if (states.length) reasons.push(`state input${states.length > 1 ? 's' : ''} ${states.map((s) => `"${s.name}"`).join(', ')}: a streaming model, fed chunk by chunk`);
    return { kind: 'audio', confidence: 'high', reasons, alternatives: ['tensor'] };
  }
  const tokens = clues.inputs.find((i) => i.dtype.startsWith('int'));
  reasons.push(
    tokens
      ? `input "${tokens.name}" holds integers (token ids), not an image or audio`
      : `no input is shaped like an image (rank 4, 1 or 3 channels) or audio samples: ${clues.inputs.map((i) => `"${i.name}" ${shapeText(i.shape)}`).join(', ')}`,
  );
  return { kind: 'tensor', confidence: 'medium', reasons, alternatives: [] };
}
