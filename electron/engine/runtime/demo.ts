/** The demo's engine side: sample images beside a model (as thumbnails) and classifying one image, top-k with softmax. */
import * as path from 'node:path';
import sharp from 'sharp';
import { StudioError } from '../../../shared/api/errors';
import type { PreprocessConfig } from '../../../shared/api/preprocess';
import type { ClassifyResultDto, DemoImageDto } from '../../../shared/api/runtime-api';
import type { LoadedModel } from '../onnx/load';
import { buildFeeds } from './inputs/build-feeds';
import { pixelsToDataUrl } from './inputs/image-input';
import { modelInputs, type DeclaredValue } from './inputs/input-spec';
import { findModelExtras, listImages } from './inputs/model-extras';
import type { RuntimeService } from './runtime-service';
import { isClassScores, topK } from './stats';
import { valueAt } from './host-tensor';

const THUMB = 64;

/**
 * The sample images in the `images/` folder beside a model, with PNG thumbnails.
 * @returns an empty list when there is no such folder
 */
export async function listDemoImages(loaded: LoadedModel, limit = 100): Promise<DemoImageDto[]> {
  const extras = findModelExtras(loaded.path);
  if (!extras.imagesDir) return [];
  const files = listImages(extras.imagesDir, limit);
  return Promise.all(
    files.map(async (f) => {
      let dataUrl = '';
      try {
        const png = await sharp(f.path).resize(THUMB, THUMB, { fit: 'inside', withoutEnlargement: false, kernel: 'nearest' }).png().toBuffer();
        dataUrl = `data:image/png;base64,${png.toString('base64')}`;
      } catch {
        // an unreadable sample shows without a thumbnail; classifying it reports why
      }
      return { path: f.path, fileName: path.basename(f.path), className: f.className, dataUrl };
    }),
  );
}

/** The input an image feeds: the config's `inputName`, else the first rank-4 input, else the first input. */
function imageInput(inputs: readonly DeclaredValue[], config: PreprocessConfig | null): DeclaredValue {
  const named = config?.inputName ? inputs.find((i) => i.name === config.inputName) : undefined;
  const found = named ?? inputs.find((i) => i.shape.length === 4) ?? inputs[0];
  if (!found) throw new StudioError('INVALID_INPUT', 'The model has no inputs to feed an image to.');
  return found;
}

/** One image to classify, with the config and labels to fall back on. */
export interface ClassifyRequest {
  imagePath: string;
  topK?: number;
  preprocess?: PreprocessConfig;
  labels?: string[];
  targetId?: string;
  checkReadable?: (absPath: string) => void;
  /** the family's preprocessing and labels (the Model place's editor); they come before the request's fallbacks */
  family?: { preprocess: { config: PreprocessConfig; source: string } | null; labels: { names: string[] } | null };
}

/**
 * Classifies one image: preprocess with the model's config, run, top-k of the first class-score output.
 * @throws StudioError `INVALID_INPUT` for an image that cannot be read or fed (naming the input and what it expects),
 * or a model without a class-score output
 */
export async function classifyImage(runtime: RuntimeService, loaded: LoadedModel, modelId: string, req: ClassifyRequest): Promise<ClassifyResultDto> {
  const extras = findModelExtras(loaded.path);
  if (!req.family?.preprocess && extras.preprocessError) throw new StudioError('INVALID_INPUT', extras.preprocessError);
  const own = req.family ? req.family.preprocess : extras.preprocess && extras.preprocessPath ? { config: extras.preprocess, source: extras.preprocessPath } : null;
  const preprocess = own ?? (req.preprocess ? { config: req.preprocess, source: 'the first model\u2019s preprocess.json' } : null);
  const inputs = modelInputs(loaded);
  const target = imageInput(inputs, preprocess?.config ?? null);
  const t0 = performance.now();
  const built = await buildFeeds({
    inputs,
    sources: { [target.name]: { kind: 'file', path: req.imagePath } },
    dims: {},
    preprocess,
    checkReadable: req.checkReadable,
  });
  const preprocessMs = performance.now() - t0;
  const image = built.images[target.name];
  if (!image) {
    throw new StudioError('INVALID_INPUT', `${path.basename(req.imagePath)} is not an image. The demo classifies images (PNG, JPEG, WebP, GIF, TIFF, AVIF).`);
  }
  const r = await runtime.runFeeds(loaded, built.feeds, { targetId: req.targetId });
  const scored = Object.entries(r.outputs).find(([, t]) => isClassScores(t));
  if (!scored) {
    const shapes = Object.entries(r.outputs).map(([n, t]) => `${n} [${t.dims.join(', ')}]`).join(', ');
    throw new StudioError('INVALID_INPUT', `${loaded.fileName} does not look like a classifier: no output is shaped like class scores ([N, classes]); it gives ${shapes}.`);
  }
  const [outputName, scores] = scored;
  const classes = scores.dims.length === 1 ? scores.dims[0] : scores.dims[1];
  const row = Array.from({ length: classes }, (_, i) => valueAt(scores, i));
  const labels = (req.family ? req.family.labels?.names : extras.labels) ?? req.labels ?? null;
  const { top, softmaxApplied } = topK(row, req.topK ?? 5, labels);
  return {
    modelId,
    fileName: loaded.fileName,
    imageName: path.basename(req.imagePath),
    inputName: target.name,
    inputShape: image.tensor.dims,
    outputName,
    top,
    softmaxApplied,
    latencyMs: r.ms,
    preprocessMs,
    sessionCreateMs: r.session.createMs,
    sessionOptions: r.sessionOptions,
    modelViewDataUrl: await pixelsToDataUrl(image),
    preprocessSource: image.configSource,
  };
}
