/** Image tasks: one image preprocessed for the model, one run, and the outputs read as the task says. */
import * as path from 'node:path';
import sharp from 'sharp';
import { StudioError } from '../../../../shared/api/errors';
import type { InputSpec } from '../../../../shared/api/input-spec';
import type { PreprocessConfig } from '../../../../shared/api/preprocess';
import type { ImageResult, TaskKind, TaskOptions, TaskResultDto } from '../../../../shared/tasks/task-types';
import type { LoadedModel } from '../../onnx/load';
import type { HostTensor } from '../backend';
import { valueAt } from '../host-tensor';
import { buildFeeds } from '../inputs/build-feeds';
import { configFromShape } from '../inputs/image-input';
import { modelInputs, type DeclaredValue } from '../inputs/input-spec';
import { findModelExtras } from '../inputs/model-extras';
import type { RuntimeService } from '../runtime-service';
import { isClassScores, topK } from '../stats';
import { decodeCtc, decodeSegmentation, findDenseOutput } from './dense';
import { decodeDetections } from './detect';
import { imageLikeInput } from './guess-task';
import { tensorView } from './tensor-view';

/** What an image run needs. */
export interface ImageRunRequest {
  kind: Exclude<TaskKind, 'audio'>;
  inputPath: string;
  options: TaskOptions;
  labels: string[] | null;
  /** preprocessing set for the model's family (before a `preprocess.json` beside the model) */
  preprocess?: { config: PreprocessConfig; source: string } | null;
  spec?: InputSpec;
  targetId?: string;
  checkReadable?: (absPath: string) => void;
}

/** For an image input with free height or width: the source size, rounded to a multiple of 32 (the stride of most dense models), at most 1024. */
function freeSizeConfig(input: DeclaredValue, src: { width: number; height: number }): PreprocessConfig | null {
  const base = configFromShape(input.shape);
  if (!base || base.resize) return base;
  const nchw = base.layout === 'NCHW';
  const [h, w] = nchw ? [input.shape[2], input.shape[3]] : [input.shape[1], input.shape[2]];
  const round = (v: number) => Math.max(32, Math.min(1024, Math.round(v / 32) * 32));
  const fit = Math.min(1, 1024 / Math.max(src.width, src.height));
  const height = typeof h === 'number' ? h : round(src.height * fit);
  const width = typeof w === 'number' ? w : typeof h === 'number' ? Math.max(8, Math.round((src.width * h) / src.height / 8) * 8) : round(src.width * fit);
  return { ...base, resize: { width, height, mode: 'stretch' } };
}

/** @returns the output as an image: NCHW or NHWC with 1 or 3 channels, values mapped to 0..255. */
async function outputImage(name: string, t: HostTensor): Promise<Pick<ImageResult, 'outputName' | 'width' | 'height' | 'outputDataUrl' | 'valueRange'>> {
  const d = t.dims.length === 3 ? [1, ...t.dims] : t.dims;
  if (d.length !== 4) throw new StudioError('INVALID_INPUT', `Output "${name}" [${t.dims.join(', ')}] is not an image (rank 3 or 4). Choose another task with --task.`);
  const nchw = d[1] === 1 || d[1] === 3 || d[1] === 4;
  const [c, h, w] = nchw ? [d[1], d[2], d[3]] : [d[3], d[1], d[2]];
  const channels = Math.min(3, c);
  const n = h * w;
  let [lo, hi] = [Infinity, -Infinity];
  for (let i = 0; i < n * c; i++) {
    const v = valueAt(t, i);
    if (Number.isFinite(v)) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
  }
  const range: [number, number] = lo >= -0.01 && hi <= 1.01 ? [0, 1] : lo >= 0 && hi <= 255.5 ? [0, 255] : lo >= -1.01 && hi <= 1.01 ? [-1, 1] : [lo, hi];
  const px = Buffer.alloc(n * channels);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let k = 0; k < channels; k++) {
        const v = valueAt(t, nchw ? k * n + y * w + x : (y * w + x) * c + k);
        px[(y * w + x) * channels + k] = Math.round(Math.max(0, Math.min(1, (v - range[0]) / (range[1] - range[0] || 1))) * 255);
      }
    }
  }
  const png = await sharp(px, { raw: { width: w, height: h, channels: channels as 1 | 3 } }).png().toBuffer();
  return { outputName: name, width: w, height: h, outputDataUrl: `data:image/png;base64,${png.toString('base64')}`, valueRange: range };
}

/**
 * Runs an image model and reads its outputs as the task says.
 * @throws StudioError `INVALID_INPUT` for a model without an image input, or outputs the task cannot read
 */
export async function runImageTask(runtime: RuntimeService, loaded: LoadedModel, req: ImageRunRequest): Promise<TaskResultDto> {
  const inputs = modelInputs(loaded);
  const extras = findModelExtras(loaded.path);
  if (!req.preprocess && extras.preprocessError) throw new StudioError('INVALID_INPUT', extras.preprocessError);
  const own = req.preprocess ?? (extras.preprocess && extras.preprocessPath ? { config: extras.preprocess, source: extras.preprocessPath } : null);
  const named = own?.config.inputName ? inputs.find((i) => i.name === own.config.inputName) : undefined;
  const input = named ?? imageLikeInput(inputs);
  if (!input) throw new StudioError('INVALID_INPUT', `${loaded.fileName} has no input shaped like an image (rank 4 with 1 or 3 channels) and no preprocess.json saying which input takes images.`);
  req.checkReadable?.(req.inputPath);
  const meta = await sharp(req.inputPath, { failOn: 'error' })
    .metadata()
    .catch((err: Error) => {
      throw new StudioError('INVALID_INPUT', `${path.basename(req.inputPath)} cannot be read as an image (${err.message.replace(/\s+/g, ' ').trim()}). Give a PNG, JPEG, WebP, GIF, TIFF or AVIF file.`);
    });
  const src = { width: meta.autoOrient?.width ?? meta.width ?? 0, height: meta.autoOrient?.height ?? meta.height ?? 0 };
  const derived = own ? null : freeSizeConfig(input, src);
  const built = await buildFeeds({
    inputs,
    sources: { [input.name]: { kind: 'file', path: req.inputPath } },
    preprocess: own ?? (derived ? { config: derived, source: 'derived from the input shape' } : null),
    checkReadable: req.checkReadable,
    spec: req.spec,
    specDir: loaded.dir,
    proto: loaded.proto,
  });
  const image = built.images[input.name];
  const r = await runtime.runFeeds(loaded, built.feeds, { targetId: req.targetId });
  const base = {
    fileName: loaded.fileName,
    inputName: input.name,
    inputFile: path.basename(req.inputPath),
    sourceWidth: src.width,
    sourceHeight: src.height,
    latencyMs: r.ms,
    runs: 1,
    notes: [`the model saw ${image.width}×${image.height} px (${image.configSource})`, ...built.guesses],
  };
  const outputs = r.outputs;
  const first = Object.entries(outputs)[0];
  switch (req.kind) {
    case 'classify': {
      const scored = Object.entries(outputs).find(([, t]) => isClassScores(t));
      if (!scored) throw new StudioError('INVALID_INPUT', `No output of ${loaded.fileName} is shaped like class scores ([N, classes]). Choose another task with --task.`);
      const classes = scored[1].dims.length === 1 ? scored[1].dims[0] : scored[1].dims[1];
      const row = Array.from({ length: classes }, (_, i) => valueAt(scored[1], i));
      const { top, softmaxApplied } = topK(row, 5, req.labels);
      return { ...base, kind: 'classify', outputName: scored[0], top, softmaxApplied };
    }
    case 'detect': {
      const scale = { modelWidth: image.width, modelHeight: image.height, sourceWidth: src.width, sourceHeight: src.height };
      return { ...base, kind: 'detect', ...decodeDetections(outputs, scale, req.labels, { score: req.options.scoreThreshold, iou: req.options.iouThreshold }) };
    }
    case 'segment': {
      const dense = findDenseOutput(outputs);
      if (!dense) throw new StudioError('INVALID_INPUT', `No output of ${loaded.fileName} is a map (height and width above 1). Choose another task with --task.`);
      return { ...base, kind: 'segment', ...decodeSegmentation(dense[0], dense[1], src, req.labels) };
    }
    case 'image':
      return { ...base, kind: 'image', ...(await outputImage(first[0], first[1])) };
    case 'sequence': {
      const seq = Object.entries(outputs).find(([, t]) => t.dims.length === 3 || t.dims.length === 2) ?? first;
      return { ...base, kind: 'sequence', ...decodeCtc(seq[0], seq[1], req.options.characters ?? req.labels, req.options.blankIndex ?? 0) };
    }
    default:
      return { ...base, kind: 'tensor', outputs: Object.entries(outputs).map(([n, t]) => tensorView(n, t)) };
  }
}
