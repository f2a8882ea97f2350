/** Draws a task result to a PNG without a window (`run --render OUT.png`), with the SVG code the renderer uses. */
import * as path from 'node:path';
import sharp, { type OverlayOptions } from 'sharp';
import { StudioError } from '../../../../shared/api/errors';
import { maskRgba } from '../../../../shared/tasks/palette';
import { audioSvg, boxesSvg, captionSvg, classifyLines, sequenceLines, svgDocument, tensorSvg } from '../../../../shared/tasks/task-svg';
import type { TaskResultDto } from '../../../../shared/tasks/task-types';
import { writeFileAtomic } from '../../store/atomic-write';

/** Renders of small inputs are scaled up to at least this long side (nearest neighbour) so labels are legible. */
const MIN_SIDE = 512;
const MAX_SIDE = 1600;
const MASK_OPACITY = 0.5;

/** @returns how much the render scales the source image: up for small images, down for huge ones. */
export function renderScale(width: number, height: number): number {
  const long = Math.max(width, height, 1);
  if (long < MIN_SIDE) return Math.ceil(MIN_SIDE / long);
  return Math.min(1, MAX_SIDE / long);
}

async function baseImage(inputPath: string, width: number, height: number): Promise<Buffer> {
  return sharp(inputPath).rotate().toColourspace('srgb').removeAlpha().resize(width, height, { kernel: 'nearest', fit: 'fill' }).png().toBuffer();
}

function svgLayer(content: string, width: number, height: number): OverlayOptions {
  return { input: Buffer.from(svgDocument(content, width, height)), top: 0, left: 0 };
}

/**
 * Renders a result as a PNG image.
 * @param result - the task's result
 * @param inputPath - the input file (images are drawn under the overlay)
 * @returns the PNG bytes and their size
 */
export async function renderTaskPng(result: TaskResultDto, inputPath: string): Promise<{ png: Buffer; width: number; height: number; scale: number }> {
  if (result.kind === 'audio') {
    const [width, height] = [1200, 360];
    const png = await sharp(Buffer.from(svgDocument(audioSvg(result, width, height), width, height))).png().toBuffer();
    return { png, width, height, scale: 1 };
  }
  if (result.kind === 'tensor' && result.sourceWidth === 0) {
    const width = 900;
    const { svg, height } = tensorSvg(result, width);
    return { png: await sharp(Buffer.from(svgDocument(svg, width, Math.max(40, height)))).png().toBuffer(), width, height, scale: 1 };
  }
  const scale = renderScale(result.sourceWidth, result.sourceHeight);
  const w = Math.round(result.sourceWidth * scale);
  const h = Math.round(result.sourceHeight * scale);
  const base = await baseImage(inputPath, w, h);
  const layers: OverlayOptions[] = [];
  let canvasWidth = w;
  let canvasHeight = h;
  switch (result.kind) {
    case 'detect':
      layers.push(svgLayer(boxesSvg(result.boxes, scale, result.sourceWidth), w, h));
      break;
    case 'segment': {
      const rgba = Buffer.from(maskRgba(result, MASK_OPACITY).buffer);
      const mask = await sharp(rgba, { raw: { width: result.maskWidth, height: result.maskHeight, channels: 4 } }).resize(w, h, { kernel: 'nearest', fit: 'fill' }).png().toBuffer();
      layers.push({ input: mask, top: 0, left: 0 });
      const lines = result.classes.filter((c) => c.classIndex > 0).map((c) => `${c.label ?? `class ${c.classIndex}`}: ${(c.fraction * 100).toFixed(1)} % of pixels`);
      layers.push(svgLayer(captionSvg(lines.length ? lines : ['nothing found'], w, h), w, h));
      break;
    }
    case 'classify':
      layers.push(svgLayer(captionSvg(classifyLines(result), w, h), w, h));
      break;
    case 'sequence':
      layers.push(svgLayer(captionSvg(sequenceLines(result), w, h), w, h));
      break;
    case 'image': {
      // before | after, side by side at the same height
      const out = Buffer.from(result.outputDataUrl.split(',')[1], 'base64');
      const after = await sharp(out).resize(w, h, { kernel: 'nearest', fit: 'fill' }).png().toBuffer();
      canvasWidth = w * 2 + 8;
      const png = await sharp({ create: { width: canvasWidth, height: h, channels: 3, background: '#808080' } })
        .composite([
          { input: base, top: 0, left: 0 },
          { input: after, top: 0, left: w + 8 },
        ])
        .png()
        .toBuffer();
      return { png, width: canvasWidth, height: h, scale };
    }
    case 'tensor': {
      const { svg, height } = tensorSvg(result, w);
      canvasHeight = h + height;
      const png = await sharp({ create: { width: w, height: canvasHeight, channels: 3, background: '#ffffff' } })
        .composite([{ input: base, top: 0, left: 0 }, { input: Buffer.from(svgDocument(svg, w, height)), top: h, left: 0 }])
        .png()
        .toBuffer();
      return { png, width: w, height: canvasHeight, scale };
    }
  }
  const png = await sharp(base).composite(layers).png().toBuffer();
  return { png, width: canvasWidth, height: canvasHeight, scale };
}

/**
 * Renders a result and writes it atomically.
 * @param outPath - the PNG to write (never the model or the input)
 * @throws StudioError `INVALID_REQUEST` when the output would replace the model or the input
 */
export async function writeTaskRender(result: TaskResultDto, inputPath: string, outPath: string, modelPath: string): Promise<{ path: string; width: number; height: number; scale: number }> {
  const out = path.resolve(outPath);
  if (out === path.resolve(modelPath) || out === path.resolve(inputPath)) {
    throw new StudioError('INVALID_REQUEST', `--render ${outPath} would replace the ${out === path.resolve(modelPath) ? 'model' : 'input'} file; choose another file name.`);
  }
  if (!/\.png$/i.test(out)) throw new StudioError('INVALID_REQUEST', `--render writes PNG images; give a file name ending in .png (got ${path.basename(out)}).`);
  const r = await renderTaskPng(result, inputPath);
  writeFileAtomic(out, r.png);
  return { path: out, width: r.width, height: r.height, scale: r.scale };
}
