/** One image preprocessed as the model will see it: the resized/cropped pixels and per-channel statistics of the tensor. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { StudioError } from '../../../../shared/api/errors';
import type { PreprocessConfig } from '../../../../shared/api/preprocess';
import type { ChannelStatsDto, PreprocessPreviewDto } from '../../../../shared/api/preprocess-api';
import type { TensorDtype } from '../backend';
import { isTensorDtype, valueAt } from '../host-tensor';
import type { LoadedModel } from '../../onnx/load';
import { imageToTensor, pixelsToDataUrl } from './image-input';
import { configMisfit, imageInputOf } from './preprocess-state';

/**
 * Preprocesses one image file.
 * @param config - the config to apply
 * @throws StudioError `FILE_NOT_FOUND`, `INVALID_INPUT` (not an image, or the model has no image input)
 */
export async function previewPreprocess(loaded: LoadedModel, imagePath: string, config: PreprocessConfig): Promise<PreprocessPreviewDto> {
  const input = imageInputOf(loaded, config);
  if (!input) throw new StudioError('INVALID_INPUT', `${loaded.fileName} has no input images can feed (rank 4 with 1 or 3 channels).`);
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(imagePath);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new StudioError(code === 'ENOENT' ? 'FILE_NOT_FOUND' : 'FILE_UNREADABLE', `The image ${imagePath} cannot be read (${code ?? 'error'}).`);
  }
  const dtype: TensorDtype = isTensorDtype(input.dtype) && ['float32', 'float16', 'float64', 'uint8'].includes(input.dtype) ? input.dtype : 'float32';
  const img = await imageToTensor(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length), path.basename(imagePath), input.name, dtype, config);
  const c = img.channels;
  const plane = img.width * img.height;
  const nchw = config.layout === 'NCHW';
  const names = c === 1 ? ['Y'] : config.channels === 'bgr' ? ['B', 'G', 'R'] : ['R', 'G', 'B'];
  const channels: ChannelStatsDto[] = names.map((name, k) => {
    let min = Infinity;
    let max = -Infinity;
    let sum = 0;
    for (let i = 0; i < plane; i++) {
      const v = valueAt(img.tensor, nchw ? k * plane + i : i * c + k);
      if (v < min) min = v;
      if (v > max) max = v;
      sum += v;
    }
    return { name, min, mean: sum / Math.max(1, plane), max };
  });
  const dims = img.tensor.dims;
  const misfit = configMisfit(config, input) ?? shapeMisfit(dims, input.shape, input.name);
  return {
    imageName: path.basename(imagePath),
    dataUrl: await pixelsToDataUrl(img, 160),
    width: img.width,
    height: img.height,
    tensorShape: dims,
    dtype,
    channels,
    fits: misfit === null,
    misfit,
  };
}

function shapeMisfit(dims: readonly number[], declared: ReadonlyArray<number | string | null>, name: string): string | null {
  for (let i = 1; i < dims.length; i++) {
    const want = declared[i];
    if (typeof want === 'number' && want !== dims[i]) {
      return `This image makes [${dims.join(', ')}] but input "${name}" takes [${declared.map((d) => d ?? '?').join(', ')}]: set a resize or crop of the input's size.`;
    }
  }
  return null;
}
